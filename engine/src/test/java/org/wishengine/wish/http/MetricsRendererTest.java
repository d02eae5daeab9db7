package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsRendererTest {

    /** An executor the test runs by hand, standing for the rendering thread. */
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private final AtomicInteger renderings = new AtomicInteger();
    private final MetricsRenderer renderer = new MetricsRenderer(
            () -> "wish_up " + renderings.incrementAndGet() + "\n", queued::add);

    @Test
    void shouldRenderOnTheRenderingThreadNotTheCallers() throws Exception {
        CompletionStage<byte[]> text = renderer.render();
        assertEquals(0, renderings.get(), "nothing is rendered on the calling thread (an event loop)");
        assertFalse(text.toCompletableFuture().isDone());
        queued.poll().run();
        assertArrayEquals("wish_up 1\n".getBytes(StandardCharsets.UTF_8), text.toCompletableFuture().get());
    }

    @Test
    void shouldShareOneRenderingAmongScrapesThatArriveWhileItRuns() throws Exception {
        CompletionStage<byte[]> first = renderer.render();
        CompletionStage<byte[]> second = renderer.render();
        assertSame(first, second);
        assertEquals(1, queued.size(), "one rendering queued for both");
        queued.poll().run();
        CompletionStage<byte[]> later = renderer.render();
        assertNotSame(first, later, "a scrape after it finished gets fresh numbers");
        queued.poll().run();
        assertEquals("wish_up 2\n", new String(later.toCompletableFuture().get(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldFailTheScrapeAndRecoverWhenRenderingThrows() throws Exception {
        MetricsRenderer failing = new MetricsRenderer(() -> {
            if (renderings.incrementAndGet() == 1) {
                throw new IllegalStateException("a meter threw");
            }
            return "ok";
        }, Runnable::run);
        assertThrows(ExecutionException.class, () -> failing.render().toCompletableFuture().get());
        assertEquals("ok", new String(failing.render().toCompletableFuture().get(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldFailTheScrapeWhenTheRenderingThreadRefusesIt() throws Exception {
        MetricsRenderer refused = new MetricsRenderer(() -> "ok", task -> {
            throw new RejectedExecutionException("shut down");
        });
        CompletionStage<byte[]> text = refused.render();
        assertTrue(text.toCompletableFuture().isCompletedExceptionally());
        assertNotSame(text, refused.render(), "the next scrape tries again");
    }
}
