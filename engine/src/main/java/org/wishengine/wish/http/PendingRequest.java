package org.wishengine.wish.http;

import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.ring.Fault;

/**
 * A request waiting for the ring: created on its connection's event loop, filled by the reply
 * stage, and handed back to the same event loop (the executor hand-off orders the writes).
 */
final class PendingRequest {

    final ApiHandler handler;
    final Route route;
    final String id;
    final boolean csv;
    final long startedNanos;
    Outcome outcome;
    Object view;
    /** Set when the writer could not settle or answer this request normally. */
    Fault fault;

    PendingRequest(ApiHandler handler, Route route, String id, boolean csv, long startedNanos) {
        this.handler = handler;
        this.route = route;
        this.id = id;
        this.csv = csv;
        this.startedNanos = startedNanos;
    }
}
