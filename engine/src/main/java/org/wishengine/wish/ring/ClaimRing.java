package org.wishengine.wish.ring;

import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import com.lmax.disruptor.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Command;

/**
 * Owns the Disruptor: settle → commit → reply, run by one consumer thread (see
 * {@link StagePipeline} for why one, and what it does on a fault), with one batch awaiting the
 * store at a time (see {@link CommitStage}). Any thread may publish; a full ring refuses at once
 * ({@link #tryPublish} returns false) so that an event loop never blocks.
 *
 * <p>When the ring runs dry the consumer spins for {@value #SPIN_MICROS} µs, then yields the core
 * for up to {@value #YIELD_MICROS} µs, and only then blocks. A blocked consumer costs every
 * publisher a futex wake-up and the consumer a trip through the scheduler; on a VM that wake-up is
 * an inter-processor interrupt. Yielding leaves the core to the event loops that produce the next
 * command. Measured on 2 vCPUs against pure spinning and pure blocking: refusals (a sold-out
 * grab) +15% answers/s over blocking, while spinning alone was 5–10% slower than blocking;
 * committed claims, whose wait is mostly the store's round trip, are unchanged, as are the CPU
 * per claim and the p99 at 10 k claims/s. An idle engine blocks after those few microseconds.
 */
public final class ClaimRing implements AutoCloseable {

    private static final EventTranslatorTwoArg<RingEntry, Command, PendingReply> TRANSLATOR =
            (entry, sequence, command, origin) -> {
                entry.command = command;
                entry.origin = origin;
            };

    /**
     * How long the writer spins, then yields, waiting for the next command before it blocks; the
     * system properties {@code wish.ring.spinMicros} and {@code wish.ring.yieldMicros} set them
     * for experiments (docs/operations.md).
     */
    /** How long the writer gets, after its drain ran out of time, to answer what is left in the ring. */
    private static final long REFUSE_MILLIS = 1_000;
    private static final long SPIN_MICROS = Long.getLong("wish.ring.spinMicros", 10);
    private static final long YIELD_MICROS = Long.getLong("wish.ring.yieldMicros", 50);

    private final Disruptor<RingEntry> disruptor;
    private final RingBuffer<RingEntry> ring;
    private final CommitStage commit;
    private final StagePipeline pipeline;

    /**
     * @param answers            the replier that answers requests (the HTTP edge)
     * @param watchers           repliers that only observe committed entries (events, meters)
     * @param health             where the writer reports that it stopped; shared with the gateway
     * @param hooks              a test's fault injection, or {@link WriterHooks#NONE}
     * @param size               ring capacity, a power of two
     * @param firstBatchSequence the first commit batch sequence (above what the store has seen)
     */
    public ClaimRing(Book book, BatchStore store, Replier answers, List<Replier> watchers, RingObserver observer,
                     WriterHealth health, WriterHooks hooks, int size, long firstBatchSequence) {
        this.commit = new CommitStage(store, observer, health, firstBatchSequence, 8192);
        this.disruptor = new Disruptor<>(RingEntry::new, size, threadFactory(), ProducerType.MULTI,
                PhasedBackoffWaitStrategy.withLock(SPIN_MICROS, YIELD_MICROS, TimeUnit.MICROSECONDS));
        this.ring = disruptor.getRingBuffer();
        List<Replier> allWatchers = new ArrayList<>(hooks.watchers());
        allWatchers.addAll(watchers);
        this.pipeline = new StagePipeline(new SettleStage(book, hooks.settler(SettleStage::settle), observer), commit,
                new ReplyStage(answers, allWatchers, observer), health, observer);
        // Last resort: the pipeline contains its own faults, so only a bug in it lands here; the
        // Disruptor's default handler would rethrow and kill the only writer thread.
        disruptor.setDefaultExceptionHandler(new WriterExceptionHandler(health, observer));
        disruptor.handleEventsWith(pipeline);
    }

    public void start() {
        disruptor.start();
    }

    /** Publishes a command; false when the ring is full (the caller answers 503 at once). */
    public boolean tryPublish(Command command, PendingReply origin) {
        return ring.tryPublishEvent(TRANSLATOR, command, origin);
    }

    public int capacity() {
        return ring.getBufferSize();
    }

    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    /** The last sequence the writer has finished (moves once per Disruptor batch). */
    public long consumed() {
        return disruptor.getSequenceValueFor(pipeline);
    }

    /** The last sequence claimed by a publisher. */
    public long published() {
        return ring.getCursor();
    }

    /**
     * Lets every published command be settled, committed and delivered (bounded waits), then stops
     * the stage threads. Callers close the door first, so nothing new arrives meanwhile. When the
     * store does not confirm everything in time, what it did not confirm is answered
     * {@link Fault#SHUT_DOWN} (see {@link CommitStage#halt()}).
     *
     * @return true when everything published was committed and delivered in time
     */
    public boolean drain(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            disruptor.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
            return commit.drain(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (TimeoutException e) {
            // The writer waits for a store that does not answer: stop waiting, so that it answers
            // what is left in the ring as SHUT_DOWN (quickly: nothing is sent any more), then stop it.
            commit.halt();
            try {
                disruptor.shutdown(REFUSE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stuck) {
                disruptor.halt();
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            commit.halt();
        }
    }

    @Override
    public void close() {
        drain(5_000);
    }

    private static ThreadFactory threadFactory() {
        String[] names = {"wish-ring"};
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            int n = next.getAndIncrement();
            Thread thread = new Thread(runnable, n < names.length ? names[n] : "wish-ring-" + n);
            thread.setDaemon(true);
            return thread;
        };
    }
}
