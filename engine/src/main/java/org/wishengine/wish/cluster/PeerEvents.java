package org.wishengine.wish.cluster;

/**
 * What {@link PeerClient} reports for metrics. Called on event loops: implementations must be
 * quick and must not block. Every method does nothing by default.
 */
public interface PeerEvents {

    PeerEvents NONE = new PeerEvents() { };

    /** A new connection to {@code peer} was established. */
    default void connected(String peer) {
    }

    /** {@code peer} answered a forwarded request with {@code status} after {@code nanos}. */
    default void answered(String peer, int status, long nanos) {
    }

    /** A forwarded request to {@code peer} failed. */
    default void failed(String peer, PeerUnavailable.Reason reason) {
    }
}
