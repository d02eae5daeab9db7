package org.wishengine.wish.ring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.wishengine.wish.core.Outcome;

/**
 * Stage ②: gathers every change of a ring batch and sends it to the store in one call at the end
 * of the batch, without waiting for the answer: up to {@code maxInFlight} batches are on the wire
 * at once, so the ring thread settles the next batch while Redis applies the last one. Each
 * batch's deliveries (its replies and events) run when it is durable, strictly in batch order.
 *
 * <p>A failure stops the line: no later batch is delivered, the ring thread is held back, and a
 * repair thread waits for everything in flight to settle, merges every undelivered batch into one
 * (latest state wins, so it is right whichever of them already landed) and commits that with
 * exponential backoff until it succeeds (or {@link #halt()}). Nothing is ever acknowledged before
 * it is durable, nothing is dropped, and while the store is down the ring fills up, which is how
 * back-pressure reaches the HTTP edge.
 */
public final class CommitStage {

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BatchStore store;
    private final RingObserver observer;
    private final int maxBatch;
    private final int maxInFlight;
    private final Object lock = new Object();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ExecutorService repairs = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wish-commit-repair");
        thread.setDaemon(true);
        return thread;
    });
    /** The batch the ring thread is gathering; only the ring thread touches it. */
    private Batch batch;
    /** The next batch number; guarded by the lock. */
    private long nextSequence;
    private boolean repairing;
    private volatile boolean halted;

    /**
     * @param firstSequence the sequence of the first batch; must be above every sequence the
     *                      store has already seen
     * @param maxBatch      changes after which a batch is sent even before the ring batch ends
     * @param maxInFlight   batches that may await the store at once
     */
    public CommitStage(BatchStore store, RingObserver observer, long firstSequence, int maxBatch, int maxInFlight) {
        this.store = store;
        this.observer = observer;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.nextSequence = firstSequence;
        this.batch = new Batch();
    }

    /** Adds the entry's changes (if any) to the current batch. Ring thread. */
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

    /** True when the batch is large enough to send before the ring batch ends. */
    boolean isFull() {
        return batch.size() >= maxBatch;
    }

    /**
     * Sends the gathered changes and arranges for {@code delivery} to run once they (and every
     * batch before them) are durable. Ring thread; waits only while too many batches are in flight
     * or a repair is under way.
     */
    void submit(Runnable delivery) throws InterruptedException {
        Batch sealed = batch;
        InFlight sending;
        synchronized (lock) {
            while ((repairing || inFlight.size() >= maxInFlight) && !halted) {
                lock.wait();
            }
            if (halted) {
                return;
            }
            sealed.assign(nextSequence++);
            batch = new Batch();
            sending = new InFlight(sealed, delivery, System.nanoTime());
            inFlight.addLast(sending);
            if (sealed.isEmpty()) {
                sending.done = true; // nothing to write; delivered in turn
                deliverReady();
                return;
            }
        }
        // Encoded and sent outside the lock, so that completions (of earlier batches, when more than
        // one may be in flight) are not held up meanwhile. Order still holds: only this thread sends,
        // and a repair waits until this batch is done before it takes a number and merges it.
        store.commitAsync(sealed).whenComplete((ignored, failure) -> completed(sending, failure));
    }

    private void completed(InFlight sending, Throwable failure) {
        synchronized (lock) {
            sending.done = true;
            sending.failure = failure;
            deliverReady();
            lock.notifyAll();
        }
    }

    /** Delivers finished batches from the head, in order; starts a repair at the first failure. Holds the lock. */
    private void deliverReady() {
        while (!repairing && !inFlight.isEmpty() && inFlight.peekFirst().done) {
            InFlight head = inFlight.peekFirst();
            if (head.failure != null) {
                repairing = true;
                observer.commitFailed(asException(head.failure), 1);
                repairs.execute(this::repair);
                return;
            }
            inFlight.pollFirst();
            if (!head.batch.isEmpty()) {
                observer.committed(head.batch.size(), System.nanoTime() - head.sentNanos);
            }
            head.delivery.run();
            lock.notifyAll();
        }
    }

    /** Repair thread: re-commit everything undelivered as one merged batch until it sticks. */
    private void repair() {
        Batch merged;
        long started = System.nanoTime();
        synchronized (lock) {
            try {
                while (!allDone() && !halted) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<Batch> pending = new ArrayList<>(inFlight.size());
            for (InFlight sending : inFlight) {
                pending.add(sending.batch);
            }
            // Numbered above every batch sent so far; batches sent after the repair number above it.
            merged = Batch.merge(nextSequence++, pending);
        }
        long backoff = MIN_BACKOFF_NANOS;
        for (int attempt = 2; !halted; attempt++) {
            try {
                store.commit(merged);
                break;
            } catch (Exception e) {
                observer.commitFailed(e, attempt);
                try {
                    TimeUnit.NANOSECONDS.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            }
        }
        synchronized (lock) {
            if (halted) {
                return; // shutting down with the store unreachable: none of it was acknowledged
            }
            observer.committed(merged.size(), System.nanoTime() - started);
            while (!inFlight.isEmpty()) {
                inFlight.pollFirst().delivery.run();
            }
            repairing = false;
            lock.notifyAll();
        }
    }

    private boolean allDone() {
        for (InFlight sending : inFlight) {
            if (!sending.done) {
                return false;
            }
        }
        return true;
    }

    private static Exception asException(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof Exception e ? e : new RuntimeException(cause);
    }

    /** Waits (bounded) until every batch sent so far is delivered; for an orderly shutdown. */
    boolean drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
        }
        return true;
    }

    /** Stops retrying and sending, so that shutdown cannot hang on an unreachable store. */
    public void halt() {
        halted = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        repairs.shutdownNow();
    }

    /** One sent batch and what to do once it is durable. */
    private static final class InFlight {
        final Batch batch;
        final Runnable delivery;
        final long sentNanos;
        boolean done;
        Throwable failure;

        InFlight(Batch batch, Runnable delivery, long sentNanos) {
            this.batch = batch;
            this.delivery = delivery;
            this.sentNanos = sentNanos;
        }
    }
}
