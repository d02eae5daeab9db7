package org.wishengine.wish.ring;

import java.util.concurrent.TimeUnit;
import org.wishengine.wish.core.Outcome;

/**
 * Stage ②: gathers every change of a ring batch and commits it to the store in one call at the
 * end of the batch (or when {@link #isFull()}). A failed commit is retried with exponential
 * backoff, forever (until {@link #halt()}): a batch is never dropped, and because the reply
 * stage runs after this one, nothing in it is acknowledged before it is durable. While it
 * retries the ring fills up, which is how back-pressure reaches the HTTP edge.
 */
public final class CommitStage {

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BatchStore store;
    private final RingObserver observer;
    private final int maxBatch;
    private final Batch batch = new Batch();
    private long nextSequence;
    private volatile boolean halted;

    /**
     * @param firstSequence the sequence of the first batch; must be above every sequence the
     *                      store has already seen
     * @param maxBatch      changes after which a batch is committed even before its end
     */
    public CommitStage(BatchStore store, RingObserver observer, long firstSequence, int maxBatch) {
        this.store = store;
        this.observer = observer;
        this.maxBatch = maxBatch;
        this.nextSequence = firstSequence;
        batch.reset(nextSequence);
    }

    /** Adds the entry's changes (if any) to the current batch. */
    void collect(RingEntry entry) {
        Outcome outcome = entry.outcome;
        if (outcome != null && outcome.result().changesState()) {
            if (outcome.claim() != null) {
                batch.claims().add(outcome.claim());
            } else if (outcome.campaign() != null) {
                batch.campaigns().add(outcome.campaign());
            }
        }
        if (!entry.expired.isEmpty()) {
            batch.claims().addAll(entry.expired);
        }
    }

    /** True when the batch is large enough to commit before the ring batch ends. */
    boolean isFull() {
        return batch.size() >= maxBatch;
    }

    /** Makes the gathered changes durable (retrying until it succeeds or the stage is halted). */
    void commit() throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long backoff = MIN_BACKOFF_NANOS;
        for (int attempt = 1; ; attempt++) {
            try {
                store.commit(batch);
                break;
            } catch (Exception e) {
                if (halted) {
                    // Shutting down with the store unreachable: the batch was never acknowledged.
                    batch.reset(nextSequence);
                    return;
                }
                observer.commitFailed(e, attempt);
                TimeUnit.NANOSECONDS.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            }
        }
        observer.committed(batch.size(), System.nanoTime() - started);
        batch.reset(++nextSequence);
    }

    /** Stops retrying, so that shutdown cannot hang on an unreachable store. */
    public void halt() {
        halted = true;
    }
}
