package org.wishengine.wish.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Renders the Prometheus text off the event loops. A scrape writes ~900 lines of numbers: a few
 * milliseconds once compiled, tens to hundreds while the JVM still interprets it (the first
 * scrapes of a process), and on an event loop every connection of that loop waited that long: a
 * load generator saw a 60–300 ms stall at each of an engine's first scrapes. Scrapes that arrive
 * while one renders share its text, so a flood of them costs one rendering at a time.
 */
final class MetricsRenderer {

    private static final ExecutorService SHARED = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wish-metrics");
        thread.setDaemon(true);
        return thread;
    });

    private final Supplier<String> metrics;
    private final Executor renderer;
    private final Object lock = new Object();
    /** The rendering under way, or null; guarded by the lock. */
    private CompletableFuture<byte[]> rendering;

    MetricsRenderer(Supplier<String> metrics) {
        this(metrics, SHARED);
    }

    MetricsRenderer(Supplier<String> metrics, Executor renderer) {
        this.metrics = metrics;
        this.renderer = renderer;
    }

    /** The current text as UTF-8, from a rendering that began now or is under way. */
    CompletionStage<byte[]> render() {
        CompletableFuture<byte[]> next;
        synchronized (lock) {
            if (rendering != null) {
                return rendering;
            }
            next = rendering = new CompletableFuture<>();
        }
        try {
            renderer.execute(() -> finish(next));
        } catch (RuntimeException e) { // the executor refused: nobody will finish it
            synchronized (lock) {
                rendering = null;
            }
            next.completeExceptionally(e);
        }
        return next;
    }

    private void finish(CompletableFuture<byte[]> next) {
        byte[] text = null;
        RuntimeException failure = null;
        try {
            text = metrics.get().getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (lock) {
            rendering = null; // a scrape that arrives from now on gets a fresh rendering
        }
        if (failure == null) {
            next.complete(text);
        } else {
            next.completeExceptionally(failure);
        }
    }
}
