package org.wishengine.wish.ring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the commit stage makes batches durable. Implementations must be idempotent per
 * {@link Batch#sequence()}: applying the same batch twice, or an older batch after a newer one,
 * leaves the store as if it had been applied once in order. Calls never overlap.
 */
public interface BatchStore {

    /** Makes every change of the batch durable, or throws; never partially acknowledges. */
    void commit(Batch batch) throws Exception;

    /**
     * Sends the batch and returns at once; the stage completes when it is durable, exceptionally
     * when it may not be. Batches sent one after another must be applied in that order. The
     * default commits synchronously.
     */
    default CompletionStage<Void> commitAsync(Batch batch) {
        try {
            commit(batch);
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * True when {@link #commitAsync} never blocks the calling thread, so that the thread that
     * learns a batch is durable (an event loop) may send the next one itself. The default, false,
     * has the next batch sent from a thread of the commit stage's own.
     */
    default boolean sendsWithoutBlocking() {
        return false;
    }
}
