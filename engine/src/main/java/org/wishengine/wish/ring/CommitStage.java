package org.wishengine.wish.ring;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Stage ②: gathers every change of a ring batch and sends it to the store in one call at the end
 * of the batch, without waiting for the answer. One store batch is on the wire at a time; the
 * ring batches settled meanwhile join one waiting batch (group commit), which the thread that
 * learns the wire is free sends at once, so batches grow with the load and with Redis's distance
 * by themselves. Measured on 2 cores at 64 connections against four in flight: batches of ~14
 * claims instead of ~6, ~25% less Redis CPU per claim, the same throughput and p99.
 *
 * <p>The ring thread never waits for the store unless the waiting batch is full ({@code maxBatch}
 * changes): it settles the next commands while Redis applies the last batch, and a claim that
 * arrives while a batch is on the wire goes out as soon as that batch is durable, sent by the
 * thread that read the answer (no hand-off back to the ring thread on the way). A ring batch that
 * changes nothing (reads, refusals) is answered once every batch before it is durable, not later:
 * it rides with the waiting batch only behind changes settled before it.
 *
 * <p>Each batch's deliveries (its replies and events) run once it is durable, strictly in batch
 * order, and outside the stage's lock: the thread that learns of a commit sends the waiting batch
 * first, then delivers, so a slow fan-out never holds back the next send. Should two threads have
 * deliveries at once, the one already delivering runs the other's too, in order.
 *
 * <p>A failure stops the line: nothing more is sent while a repair thread re-sends the failed
 * batch, under the same sequence (the store skips a batch it has already applied), with
 * exponential backoff until it succeeds (or {@link #halt()}). Nothing is ever acknowledged before
 * it is durable, nothing is dropped, and while the store is down the waiting batch fills, then
 * the ring, which is how back-pressure reaches the HTTP edge.
 *
 * <p>{@link #halt()} (a shutdown whose drain ran out of time) answers what the store never
 * confirmed, the batch on the wire and the one waiting, as {@link Fault#SHUT_DOWN}, and so is every
 * batch the ring thread submits afterwards: a client is told, instead of finding its connection
 * closed without an answer.
 *
 * <p>One refusal is final: {@link WriterFenced}, the store saying that another writer holds the
 * lease. Then the batch, the waiting one and every later one are answered {@link Fault#FENCED}
 * without being sent (their decisions were taken on a book that is no longer the store's), and the
 * writer stops.
 */
public final class CommitStage {

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final BatchStore store;
    private final RingObserver observer;
    private final WriterHealth health;
    private final int maxBatch;
    private final Object lock = new Object();
    /**
     * Re-sends failed batches, and sends the waiting batch for a store that may block while
     * sending ({@link BatchStore#sendsWithoutBlocking()}), since the thread that reads the answer
     * may be an event loop the store itself needs.
     */
    private final ExecutorService aside = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wish-commit-aside");
        thread.setDaemon(true);
        return thread;
    });
    /** The batch the ring thread is gathering; only the ring thread touches it. */
    private Batch batch = new Batch();
    /** The next batch number; guarded by the lock. */
    private long nextSequence;
    /** The batch awaiting the store, or null; guarded by the lock. */
    private CommitGroup inFlight;
    /** What was settled while {@link #inFlight} was on the wire, or null; guarded by the lock. */
    private CommitGroup waiting;
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
     * @param maxBatch      changes after which a batch is sent even before the ring batch ends,
     *                      and that the waiting batch holds at most
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
     * Hands the gathered changes on and arranges for {@code delivery} to run once they (and every
     * batch before them) are durable: sends them when the wire is free, or lets them join the
     * waiting batch. Ring thread; waits only while the waiting batch is full. {@code
     * settlingNanos} is when the writer began settling the batch, kept with its answers together
     * with when their store batch was sent and made durable (see {@link PendingReply#sentNanos()}).
     */
    void submit(BatchDelivery delivery, long settlingNanos) throws InterruptedException {
        delivery.settling(settlingNanos);
        Batch sealed = batch;
        CommitGroup sending;
        Runnable now;
        synchronized (lock) {
            while (waiting != null && !waiting.hasRoomFor(sealed, maxBatch) && !halted) {
                lock.wait();
            }
            if (halted || fenced) {
                // Nothing may be written any more: refused in turn, after the batches before.
                sealed.reset(0);
                now = refusal(delivery, halted ? Fault.SHUT_DOWN : Fault.FENCED);
                if (!claimDelivery(now)) {
                    return;
                }
                sending = null;
            } else if (inFlight != null) {
                if (waiting == null) {
                    waiting = new CommitGroup();
                }
                batch = waiting.join(sealed, delivery) ? new Batch() : sealed;
                return;
            } else if (sealed.isEmpty()) {
                // Nothing to write, and every batch before is durable: delivered in turn, after
                // the delivery of the batch before (already running or queued).
                now = delivery;
                if (!claimDelivery(now)) {
                    return;
                }
                sending = null;
            } else {
                batch = new Batch();
                sending = inFlight = new CommitGroup();
                sending.join(sealed, delivery);
                sending.numberAndStamp(nextSequence++, System.nanoTime());
                now = null;
            }
        }
        if (sending == null) {
            runDeliveries(now);
        } else {
            send(sending);
        }
    }

    /** Sends a batch that is now {@link #inFlight}; outside the lock. */
    private void send(CommitGroup sending) {
        try {
            store.commitAsync(sending.batch).whenComplete((ignored, failure) -> completed(sending, failure));
        } catch (RuntimeException e) {
            completed(sending, e); // a store that throws instead of failing the stage is repaired alike
        }
    }

    /** Sends the waiting batch, now in flight: from this thread unless the store may block. */
    private void sendNext(CommitGroup next) {
        if (store.sendsWithoutBlocking()) {
            send(next);
            return;
        }
        try {
            aside.execute(() -> send(next));
        } catch (RejectedExecutionException halting) {
            // halt() shut the executor down: the batch is never sent; halt() answered it as SHUT_DOWN.
        }
    }

    private void completed(CommitGroup sending, Throwable failure) {
        long durable = System.nanoTime();
        Exception cause = failure == null ? null : asException(failure);
        if (cause == null) {
            afterDurable(sending, durable);
            return;
        }
        boolean deliverHere;
        synchronized (lock) {
            if (halted) {
                return;
            }
            if (!(cause instanceof WriterFenced)) {
                meter(() -> observer.commitFailed(cause, 1));
                aside.execute(() -> repair(sending));
                return;
            }
            deliverHere = fence(sending);
        }
        afterFence(sending, (WriterFenced) cause, deliverHere);
    }

    /**
     * The batch is durable: sends the waiting batch at once (see {@link #sendNext}), then runs the
     * durable batch's deliveries unless another thread is delivering, which then runs them in turn.
     */
    private void afterDurable(CommitGroup done, long durableNanos) {
        CommitGroup next;
        boolean deliverHere;
        synchronized (lock) {
            if (inFlight != done) {
                return; // halt() answered it already, when it gave up waiting for this answer
            }
            done.stampDurable(durableNanos); // before release: another thread may run the delivery
            inFlight = null;
            deliverHere = claimDelivery(done);
            next = waiting;
            waiting = null;
            if (next != null) {
                if (next.answersBeforeItsChanges()) {
                    deliveries.addLast(next::runUnbound);
                }
                if (next.hasChanges() && !halted) {
                    next.numberAndStamp(nextSequence++, System.nanoTime());
                    inFlight = next;
                } else {
                    next = null;
                }
            }
            lock.notifyAll();
        }
        if (next != null) {
            sendNext(next);
        }
        try {
            // Not through meter(): a capturing lambda per batch, on the thread that reads Redis's answer.
            observer.committed(done.batch.size(), durableNanos - done.sentNanos);
        } catch (RuntimeException e) {
            observer.writerError("meter", null, e);
        }
        if (deliverHere) {
            runDeliveries(done);
        }
    }

    /**
     * The store refused the batch for good: nothing more is sent, and the batch and the one
     * waiting behind it are answered as refused once the batches before them are delivered.
     * Returns true when the caller runs that. Holds the lock.
     */
    private boolean fence(CommitGroup refused) {
        fenced = true;
        inFlight = null;
        boolean deliverHere = claimDelivery(refusal(refused, Fault.FENCED));
        if (waiting != null) {
            CommitGroup unsent = waiting;
            deliveries.addLast(() -> unsent.refuseAll(Fault.FENCED)); // never sent: none of its answers went out
            waiting = null;
        }
        lock.notifyAll();
        return deliverHere;
    }

    /** Outside the lock: stops the writer and answers the refused batch if this thread delivers. */
    private void afterFence(CommitGroup refused, WriterFenced cause, boolean deliverHere) {
        health.fence("another engine took over the store's writer lease; restart this one only once that "
                + "engine is stopped");
        meter(() -> observer.fenced(cause, refused.batch.size()));
        if (deliverHere) {
            runDeliveries(refusal(refused, Fault.FENCED));
        }
    }

    private static Runnable refusal(BatchDelivery delivery, Fault why) {
        return () -> delivery.refuse(why);
    }

    /** Refuses a group that was sent: its unbound answers already went out when it was. */
    private static Runnable refusal(CommitGroup sent, Fault why) {
        return () -> sent.refuseBound(why);
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
    private void repair(CommitGroup failed) {
        long backoff = MIN_BACKOFF_NANOS;
        for (int attempt = 2; !halted; attempt++) {
            try {
                TimeUnit.NANOSECONDS.sleep(backoff);
                store.commit(failed.batch);
                afterDurable(failed, System.nanoTime());
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
            while (inFlight != null || waiting != null || delivering || !deliveries.isEmpty()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
        }
        return true;
    }

    /**
     * Stops retrying and sending, so that shutdown cannot hang on an unreachable store, and answers
     * what the store never confirmed as {@link Fault#SHUT_DOWN}, after the deliveries already due:
     * the batch on the wire (an answer that comes later is ignored) and the one waiting behind it.
     * Later submits are refused alike. Idempotent.
     */
    public void halt() {
        Runnable deliverHere = null;
        synchronized (lock) {
            if (halted) {
                return;
            }
            halted = true;
            if (inFlight != null) {
                deliverHere = refuseAtHalt(refusal(inFlight, Fault.SHUT_DOWN), deliverHere);
                inFlight = null;
            }
            if (waiting != null) {
                CommitGroup unsent = waiting;
                deliverHere = refuseAtHalt(() -> unsent.refuseAll(Fault.SHUT_DOWN), deliverHere);
                waiting = null;
            }
            lock.notifyAll();
        }
        aside.shutdownNow();
        if (deliverHere != null) {
            runDeliveries(deliverHere);
        }
    }

    /** Queues a refusal, or returns it for this thread to run first when no one is delivering. Holds the lock. */
    private Runnable refuseAtHalt(Runnable refusal, Runnable deliverHere) {
        if (deliverHere != null) {
            deliveries.addLast(refusal);
            return deliverHere;
        }
        return claimDelivery(refusal) ? refusal : null;
    }
}
