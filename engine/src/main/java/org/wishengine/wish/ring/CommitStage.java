package org.wishengine.wish.ring;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Stage ②: gathers every change of a ring batch and sends it to the store in one call at the end
 * of the batch, without waiting for the answer, so the ring thread settles the next batch while
 * Redis applies this one. One batch is on the wire at a time: what arrives meanwhile gathers in
 * the ring and goes out together (group commit), so batches grow with the load and with Redis's
 * distance by themselves. Measured on 2 cores at 64 connections against four in flight: batches
 * of ~14 claims instead of ~6, ~25% less Redis CPU per claim, the same throughput and p99.
 *
 * <p>Each batch's deliveries (its replies and events) run once it is durable, strictly in batch
 * order, and outside the stage's lock: the thread that learns of a commit frees the ring thread
 * to send the next batch first, then delivers, so a slow fan-out never holds back the next
 * submit. Should two threads have deliveries at once, the one already delivering runs the other's
 * too, in order.
 *
 * <p>A failure stops the line: the ring thread is held back while a repair thread re-sends the
 * failed batch, under the same sequence (the store skips a batch it has already applied), with
 * exponential backoff until it succeeds (or {@link #halt()}). Nothing is ever acknowledged before
 * it is durable, nothing is dropped, and while the store is down the ring fills up, which is how
 * back-pressure reaches the HTTP edge.
 *
 * <p>One refusal is final: {@link WriterFenced}, the store saying that another writer holds the
 * lease. Then the batch and every later one are answered {@link Fault#FENCED} without being sent
 * (their decisions were taken on a book that is no longer the store's), and the writer stops.
 */
public final class CommitStage {

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BatchStore store;
    private final RingObserver observer;
    private final WriterHealth health;
    private final int maxBatch;
    private final Object lock = new Object();
    private final ExecutorService repairs = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wish-commit-repair");
        thread.setDaemon(true);
        return thread;
    });
    /** The batch the ring thread is gathering; only the ring thread touches it. */
    private Batch batch = new Batch();
    /** The next batch number; only the ring thread touches it. */
    private long nextSequence;
    /** The batch awaiting the store, or null; guarded by the lock. */
    private InFlight inFlight;
    /** Deliveries of durable batches, in batch order, not yet run; guarded by the lock. */
    private final ArrayDeque<Runnable> deliveries = new ArrayDeque<>();
    /** True while some thread runs {@link #deliveries}; guarded by the lock. */
    private boolean delivering;
    /** True once the store refused a batch as fenced; guarded by the lock. */
    private boolean fenced;
    private volatile boolean halted;

    /**
     * @param firstSequence the sequence of the first batch; must be above every sequence the
     *                      store has already seen
     * @param maxBatch      changes after which a batch is sent even before the ring batch ends
     */
    public CommitStage(BatchStore store, RingObserver observer, WriterHealth health, long firstSequence,
                       int maxBatch) {
        this.store = store;
        this.observer = observer;
        this.health = health;
        this.maxBatch = maxBatch;
        this.nextSequence = firstSequence;
    }

    /** Adds the entry's changes (if any) to the current batch. Ring thread. */
    void collect(RingEntry entry) {
        if (entry.reply != null) {
            entry.reply.changes(batch);
        }
    }

    /** Remembers where the current batch stands, to take back what a failing command adds. Ring thread. */
    void mark() {
        batch.mark();
    }

    /** Drops every change collected since the last {@link #mark()}. Ring thread. */
    void discardSinceMark() {
        batch.discardSinceMark();
    }

    /** True when the batch is large enough to send before the ring batch ends. */
    boolean isFull() {
        return batch.size() >= maxBatch;
    }

    /**
     * Sends the gathered changes and arranges for {@code delivery} to run once they (and every
     * batch before them) are durable. Ring thread; waits while the previous batch is on the wire.
     * {@code settlingNanos} is when the writer began settling the batch, kept with its answers
     * together with when it was sent and made durable (see {@link PendingReply#sentNanos()}).
     */
    void submit(BatchDelivery delivery, long settlingNanos) throws InterruptedException {
        Batch sealed = batch;
        InFlight sending;
        Runnable now = delivery;
        synchronized (lock) {
            while (inFlight != null && !halted) {
                lock.wait();
            }
            if (halted) {
                return;
            }
            sealed.assign(nextSequence++);
            batch = new Batch();
            if (fenced || sealed.isEmpty()) {
                // Nothing to write (or nothing may be): delivered in turn, after the batch before
                // (whose delivery is already running or queued, since it is no longer in flight).
                delivery.sent(settlingNanos, 0);
                now = fenced ? refusal(delivery) : delivery;
                if (!claimDelivery(now)) {
                    return;
                }
                sending = null;
            } else {
                long sent = System.nanoTime();
                delivery.sent(settlingNanos, sent);
                sending = inFlight = new InFlight(sealed, delivery, sent);
            }
        }
        if (sending == null) {
            runDeliveries(now);
            return;
        }
        try {
            store.commitAsync(sealed).whenComplete((ignored, failure) -> completed(sending, failure));
        } catch (RuntimeException e) {
            completed(sending, e); // a store that throws instead of failing the stage is repaired alike
        }
    }

    private void completed(InFlight sending, Throwable failure) {
        long durable = System.nanoTime();
        Exception cause = failure == null ? null : asException(failure);
        if (cause == null) {
            sending.delivery.durable(durable); // before release: another thread may run the delivery
        }
        boolean deliverHere;
        synchronized (lock) {
            if (cause instanceof WriterFenced) {
                if (halted) {
                    return;
                }
                deliverHere = fence(sending);
            } else if (cause != null) {
                if (!halted) {
                    meter(() -> observer.commitFailed(cause, 1));
                    repairs.execute(() -> repair(sending));
                }
                return;
            } else {
                deliverHere = release(sending);
            }
        }
        if (cause instanceof WriterFenced refused) {
            afterFence(sending, refused, deliverHere);
            return;
        }
        try {
            observer.committed(sending.batch.size(), durable - sending.sentNanos);
        } catch (RuntimeException e) {
            observer.writerError("meter", null, e);
        }
        if (deliverHere) {
            runDeliveries(sending.delivery);
        }
    }

    /**
     * The batch is durable: the ring thread may send the next one. Returns true when the caller
     * is to run the batch's delivery itself, false when it was queued behind one under way.
     * Holds the lock.
     */
    private boolean release(InFlight sending) {
        inFlight = null;
        lock.notifyAll();
        return claimDelivery(sending.delivery);
    }

    /**
     * The store refused the batch for good: nothing more is sent, and the batch is answered as
     * refused once the batches before it are delivered. Returns true when the caller runs that.
     * Holds the lock.
     */
    private boolean fence(InFlight refused) {
        fenced = true;
        inFlight = null;
        lock.notifyAll();
        return claimDelivery(refusal(refused.delivery));
    }

    /** Outside the lock: stops the writer and answers the refused batch if this thread delivers. */
    private void afterFence(InFlight refused, WriterFenced cause, boolean deliverHere) {
        health.fence("another engine took over the store's writer lease; restart this one only once that "
                + "engine is stopped");
        meter(() -> observer.fenced(cause, refused.batch.size()));
        if (deliverHere) {
            runDeliveries(refusal(refused.delivery));
        }
    }

    private static Runnable refusal(BatchDelivery delivery) {
        return () -> delivery.refuse(Fault.FENCED);
    }

    /**
     * Queues the delivery behind one under way and returns false, or, when none is, marks the
     * caller as the thread that delivers and returns true. Holds the lock.
     */
    private boolean claimDelivery(Runnable delivery) {
        if (delivering) {
            deliveries.addLast(delivery);
            return false;
        }
        delivering = true;
        return true;
    }

    /** Repair thread: re-commit the failed batch until it sticks. */
    private void repair(InFlight failed) {
        long backoff = MIN_BACKOFF_NANOS;
        for (int attempt = 2; !halted; attempt++) {
            try {
                TimeUnit.NANOSECONDS.sleep(backoff);
                store.commit(failed.batch);
                failed.delivery.durable(System.nanoTime());
                boolean deliverHere;
                synchronized (lock) {
                    if (halted) {
                        return; // shutting down: none of it was acknowledged
                    }
                    deliverHere = release(failed);
                }
                meter(() -> observer.committed(failed.batch.size(), System.nanoTime() - failed.sentNanos));
                if (deliverHere) {
                    runDeliveries(failed.delivery);
                }
                return;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (WriterFenced refused) {
                boolean deliverHere;
                synchronized (lock) {
                    if (halted) {
                        return;
                    }
                    deliverHere = fence(failed);
                }
                afterFence(failed, refused, deliverHere);
                return;
            } catch (Exception e) {
                int failures = attempt;
                meter(() -> observer.commitFailed(e, failures));
                backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            }
        }
    }

    /**
     * Runs {@code first}, then whatever was queued behind it meanwhile, in order and outside the
     * lock, by the one thread that claimed the delivery (see {@link #claimDelivery}).
     */
    private void runDeliveries(Runnable first) {
        Runnable next = first;
        while (next != null) {
            try {
                next.run();
            } catch (RuntimeException e) {
                observer.writerError("delivery", null, e);
            }
            synchronized (lock) {
                next = deliveries.pollFirst();
                if (next == null) {
                    delivering = false;
                    lock.notifyAll();
                }
            }
        }
    }

    private void meter(Runnable record) {
        try {
            record.run();
        } catch (RuntimeException e) {
            observer.writerError("meter", null, e);
        }
    }

    private static Exception asException(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof Exception e ? e : new RuntimeException(cause);
    }

    /** Waits (bounded) until every batch sent so far is durable and delivered; for an orderly shutdown. */
    boolean drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            while (inFlight != null || delivering || !deliveries.isEmpty()) {
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

    /** The sent batch and what to do once it is durable. */
    private record InFlight(Batch batch, BatchDelivery delivery, long sentNanos) {
    }
}
