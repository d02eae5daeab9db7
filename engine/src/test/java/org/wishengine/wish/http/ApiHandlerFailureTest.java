package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a client sees when handling a request throws: a 500 JSON error, not a silently dropped connection. */
class ApiHandlerFailureTest {

    @Test
    void shouldAnswer500InternalAndCloseWhenARouteThrows() throws Exception {
        List<String> responded = new CopyOnWriteArrayList<>();
        HttpMetrics metrics = new HttpMetrics() {
            @Override
            public void responded(String route, String method, int status, long nanos) {
                responded.add(method + " " + route + " " + status);
            }

            @Override
            public void claimDecided(String outcome, long nanos) {
            }
        };
        // The readiness check stands in for any bug a route may hit: it is given no gateway, so
        // it throws a NullPointerException on its first line. Only what the handler touches on
        // the way there is supplied.
        Endpoints endpoints = new Endpoints(null, null, () -> "", null, metrics);
        ApiContext api = new ApiContext(null, new Authenticator(null, null), endpoints, Clock.systemUTC(), metrics,
                null, false, new ConnectionDrain(), new java.util.concurrent.atomic.AtomicReference<>());

        for (int attempt = 0; attempt < 2; attempt++) { // the second is logged at DEBUG, answered alike
            EmbeddedChannel channel = new EmbeddedChannel(new HttpServerKeepAliveHandler(), new ApiHandler(api));
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health/ready"));

            FullHttpResponse response = channel.readOutbound();
            assertNotNull(response, "an answer, not a dropped connection");
            try {
                assertEquals(500, response.status().code());
                assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
                assertEquals(Integer.toString(response.content().readableBytes()),
                        response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
                JsonNode body = new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
                assertEquals("internal", body.path("error").asText(null), body::toString);
                assertFalse(body.path("message").asText("").isBlank(), body::toString);
            } finally {
                response.release();
            }
            assertFalse(channel.isOpen(), "the connection is closed after the 500");
            channel.finishAndReleaseAll();
        }
        assertEquals(List.of("GET /health/ready 500", "GET /health/ready 500"), responded);
    }
}
