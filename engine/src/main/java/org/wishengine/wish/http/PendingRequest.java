package org.wishengine.wish.http;

import org.wishengine.wish.core.Outcome;

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

    PendingRequest(ApiHandler handler, Route route, String id, boolean csv, long startedNanos) {
        this.handler = handler;
        this.route = route;
        this.id = id;
        this.csv = csv;
        this.startedNanos = startedNanos;
    }
}
