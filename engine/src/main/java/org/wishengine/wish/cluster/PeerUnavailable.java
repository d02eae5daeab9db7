package org.wishengine.wish.cluster;

/**
 * A peer node could not answer a forwarded request: it could not be connected to, it closed the
 * connection before its answer was complete, it did not answer in time, or too many requests to
 * it were already waiting for a connection. The message names the peer; {@link #reason()} tells
 * the cases apart (a caller answers 503 either way, but may log or count them differently).
 */
public final class PeerUnavailable extends RuntimeException {

    /** Why the peer did not answer. */
    public enum Reason {
        /** The connection could not be made (refused, unreachable, unknown host, connect timeout). */
        CONNECT_FAILED,
        /** The connection closed or failed before the whole answer arrived. */
        CLOSED,
        /** No complete answer within the request's timeout. */
        TIMEOUT,
        /** Every connection to the peer was busy and the queue of waiting requests was full. */
        BUSY
    }

    private final String peer;
    private final Reason reason;

    public PeerUnavailable(String peer, Reason reason, String what, Throwable cause) {
        super("peer " + peer + " " + what, cause, false, false);
        this.peer = peer;
        this.reason = reason;
    }

    /** The peer's base URL ({@code http://host:port}). */
    public String peer() {
        return peer;
    }

    public Reason reason() {
        return reason;
    }
}
