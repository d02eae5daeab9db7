package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection while the engine stops: answers close it, so that the client learns before its
 * next request that the connection is done; one with nothing in progress closes after the grace;
 * one with a request arriving is left to that request's answer.
 */
class ConnectionDrainTest {

    private static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private static final HttpMetrics NO_METRICS = new HttpMetrics() {
        @Override
        public void responded(String route, String method, int status, long nanos) {
        }

        @Override
        public void claimDecided(String outcome, long nanos) {
        }
    };

    private final ConnectionDrain drain = new ConnectionDrain();
    private final ApiContext api = new ApiContext(null, new Authenticator(null, null),
            new Endpoints(null, null, null, null, NO_METRICS), Clock.systemUTC(), NO_METRICS, null, false, drain,
            new java.util.concurrent.atomic.AtomicReference<>());
    private EmbeddedChannel channel;

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** The production pipeline, less the connection cap and the idle timeout. */
    private EmbeddedChannel connection() {
        channel = new EmbeddedChannel(new RequestDeadline(10_000), new HttpServerCodec(),
                new HttpServerKeepAliveHandler(), new BodilessRequests(), new BodyLimit(1024), new ApiHandler(api));
        return channel;
    }

    @Test
    void shouldAnswerWithConnectionCloseAndCloseOnceTheDrainHasBegun() {
        EmbeddedChannel connection = connection();
        connection.writeInbound(bytes(LIVE));
        String before = response(connection);
        assertTrue(before.startsWith("HTTP/1.1 200"), before);
        assertFalse(before.toLowerCase().contains("connection: close"), before);
        assertTrue(connection.isOpen(), "keep-alive before the drain");

        drain.begin();
        connection.writeInbound(bytes(LIVE));
        String last = response(connection);
        assertTrue(last.startsWith("HTTP/1.1 200"), last);
        assertTrue(last.toLowerCase().contains("connection: close"), last);
        assertFalse(connection.isOpen(), "closed once its last answer was written");
    }

    @Test
    void shouldCloseAConnectionWithNothingInProgressOnlyAfterTheGrace() {
        drain.begin();
        EmbeddedChannel connection = connection();
        connection.advanceTimeBy(ConnectionDrain.IDLE_GRACE_MILLIS - 1, TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertTrue(connection.isOpen(), "a client may still be writing its next request");

        connection.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertFalse(connection.isOpen(), "idle for the whole grace");
        assertNull(connection.readOutbound(), "closed without a word: no request was made");
    }

    @Test
    void shouldLeaveAConnectionWhoseRequestIsArrivingToThatRequestsAnswer() {
        drain.begin();
        EmbeddedChannel connection = connection();
        connection.writeInbound(bytes(LIVE.substring(0, 20)));
        connection.advanceTimeBy(ConnectionDrain.IDLE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertTrue(connection.isOpen(), "half a request has arrived: it is answered, not dropped");

        connection.writeInbound(bytes(LIVE.substring(20)));
        String answer = response(connection);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
        assertFalse(connection.isOpen());
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** Everything written to the client so far, as text. */
    private static String response(EmbeddedChannel connection) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf out = connection.readOutbound(); out != null; out = connection.readOutbound()) {
            text.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        assertFalse(text.isEmpty(), "no response was written");
        return text.toString();
    }
}
