package org.wishengine.wish.cluster;

/**
 * A live node as the cluster registry lists it: its id, the URL other nodes reach it at, and when
 * its heartbeat runs out (millis, Redis's clock).
 */
public record NodeRecord(String nodeId, String url, long expiresAt) {
}
