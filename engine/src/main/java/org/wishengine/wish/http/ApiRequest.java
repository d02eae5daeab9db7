package org.wishengine.wish.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * One routed, authenticated request as an endpoint sees it. Valid only while the endpoint runs
 * on the event loop: the request's buffers are released right after.
 *
 * @param id           the path's {@code {id}}, or null
 * @param now          the engine clock, stamped on the command
 * @param startedNanos when handling began, for latency meters
 * @param address      the client's address, for per-address limits
 */
record ApiRequest(FullHttpRequest http, Route route, String id, QueryStringDecoder uri, Actor actor, long now,
                  long startedNanos, String address, ByteBufAllocator alloc) {

    /** A query parameter's first value; null when absent or empty. */
    String param(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /** The body as a stream the parser may read (and close) after the request is released. */
    ByteBufInputStream body() {
        return new ByteBufInputStream(http.content().retainedDuplicate(), true);
    }
}
