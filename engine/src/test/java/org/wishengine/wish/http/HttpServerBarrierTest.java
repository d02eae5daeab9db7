package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.config.HttpLimits;

/**
 * The barrier a stop passes after closing the door: it returns only once every event loop has
 * finished what it was doing, so that a publish that found the door open has reached the ring
 * before the ring's drain looks for a backlog.
 */
@Timeout(30)
class HttpServerBarrierTest {

    private static final HttpMetrics NO_METRICS = new HttpMetrics() {
        @Override
        public void responded(String route, String method, int status, long nanos) {
        }

        @Override
        public void claimDecided(String outcome, long nanos) {
        }
    };

    private final HttpServer server = new HttpServer(new CommandGateway(), null, null, Clock.systemUTC(), null, null,
            NO_METRICS, null, HttpLimits.DEFAULTS, 2, false, OrganiserTokens.none("barrier-test-token-secret-0123456789"));

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void shouldNotPassAnEventLoopThatIsStillBusy() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean published = new AtomicBoolean();
        EventExecutor loop = server.transport().loops().next();
        // Stands for a request being handled when the door closed: it publishes at its end.
        loop.execute(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            published.set(true);
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));

        assertFalse(server.awaitEventLoops(100), "one loop is still busy: the barrier must not pass it");
        CompletableFuture<Boolean> barrier = CompletableFuture.supplyAsync(() -> server.awaitEventLoops(10_000));
        release.countDown();
        assertTrue(barrier.get(20, TimeUnit.SECONDS));
        assertTrue(published.get(), "the barrier passed before the busy loop's publish");
    }

    @Test
    void shouldPassIdleEventLoopsAtOnce() {
        assertTrue(server.awaitEventLoops(10_000));
    }
}
