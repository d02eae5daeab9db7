package org.wishengine.wish.cluster;

import java.time.Duration;

/**
 * Bounds of the connections a node keeps to each peer (see {@link PeerClient}).
 *
 * @param connectionsPerPeer at most this many keep-alive connections to one peer
 * @param pendingPerPeer     at most this many requests wait for one of them; more fail at once
 *                           ({@link PeerUnavailable.Reason#BUSY}) instead of queueing without bound
 * @param connectTimeout     a connection attempt that has not succeeded by then fails
 * @param idleClose          a pooled connection unused this long is closed; shorter than the
 *                           peer's own idle timeout (60 s by default), so that a request is never
 *                           written into a connection the peer is closing at that moment
 * @param maxAnswerBytes     a larger answer fails the request (a campaign of 10,000 wishes is ~2 MB)
 */
public record PeerLimits(int connectionsPerPeer, int pendingPerPeer, Duration connectTimeout, Duration idleClose,
                         int maxAnswerBytes) {

    public static final PeerLimits DEFAULTS = new PeerLimits(32, 4096, Duration.ofSeconds(1), Duration.ofSeconds(30),
            64 * 1024 * 1024);

    public PeerLimits {
        if (connectionsPerPeer < 1 || pendingPerPeer < 1 || maxAnswerBytes < 1) {
            throw new IllegalArgumentException("peer limits must be positive: " + connectionsPerPeer + " connections, "
                    + pendingPerPeer + " pending, " + maxAnswerBytes + " answer bytes");
        }
    }

    public PeerLimits withConnectionsPerPeer(int connections) {
        return new PeerLimits(connections, pendingPerPeer, connectTimeout, idleClose, maxAnswerBytes);
    }

    public PeerLimits withPendingPerPeer(int pending) {
        return new PeerLimits(connectionsPerPeer, pending, connectTimeout, idleClose, maxAnswerBytes);
    }
}
