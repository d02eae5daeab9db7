package org.wishengine.wish.cluster;

/**
 * The store's answer to a lease request: whether it was granted, and who holds the lease now
 * (the caller itself when granted).
 */
public record LeaseAnswer(boolean granted, LeaseHolder holder) {
}
