package org.wishengine.wish.http;

import org.wishengine.wish.ring.PendingReply;

/**
 * A request waiting for the ring: created on its connection's event loop, answered by the reply
 * stage, and handed back to the same event loop (the executor hand-off orders the writes).
 * {@code csv} asks for the ledger as CSV rather than JSON. {@code campaign} is the campaign a
 * cluster node settled it for (its answer goes out only while the node surely holds that
 * campaign's lease), or null.
 */
final class PendingRequest extends PendingReply {

    final ApiHandler handler;
    final Route route;
    final boolean csv;
    final long startedNanos;
    final String campaign;

    PendingRequest(ApiHandler handler, Route route, boolean csv, long startedNanos, String campaign) {
        this.handler = handler;
        this.route = route;
        this.csv = csv;
        this.startedNanos = startedNanos;
        this.campaign = campaign;
    }
}
