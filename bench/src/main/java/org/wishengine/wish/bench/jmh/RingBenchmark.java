package org.wishengine.wish.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.ring.BatchStore;
import org.wishengine.wish.ring.ClaimRing;
import org.wishengine.wish.ring.PendingReply;
import org.wishengine.wish.ring.RingObserver;
import org.wishengine.wish.ring.WriterHealth;
import org.wishengine.wish.ring.WriterHooks;
import org.wishengine.wish.ring.Replier;
import org.wishengine.wish.ring.RingEntry;

/**
 * Ring throughput with a no-op store: claim commands published by several producer threads
 * (standing in for Netty event loops) through {@link ClaimRing}'s settle → commit → reply
 * stages, the engine's ring size and wait strategy included. The score is commands accepted
 * into the ring per second; since the ring is kept full, that equals the rate at which the
 * reply stage hands entries back (the difference is at most one ring of entries per iteration).
 * The {@code ringFull} secondary counter is how often a producer found the ring full and
 * yielded (what the engine would answer with 503).
 *
 * <p>Every command is a claim that creates a unit (distinct user/wish pairs, ample quantity),
 * so every entry is collected into a commit batch: the heaviest path through the stages. A
 * fresh book and ring per iteration keep memory bounded; a book can hold at most
 * {@value #UNITS} units, after which claims would meet sold-out wishes (not reached with the
 * default 1-second iterations below about four million commands per second).
 *
 * <p>Leaves out: Redis (the {@link BatchStore} does nothing), HTTP parsing, token checks and
 * rendering replies (the {@link Replier} only counts), and the hand-back of replies to event
 * loops.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx3g"})
public class RingBenchmark {

    static final int WISHES = 1024;
    static final int UNITS = 4 * 1024 * 1024;
    static final int USERS_PER_PRODUCER = 65_536;
    /** The engine's default ring size. */
    static final int RING_SIZE = 1 << 16;

    /** A fresh book, ring and counting replier per iteration. */
    @State(Scope.Benchmark)
    public static class Engine {

        String[] wishIds;
        ClaimRing ring;
        CountingReplier replier;

        @Setup(Level.Trial)
        public void prepare() {
            wishIds = new String[WISHES];
            for (int w = 0; w < WISHES; w++) {
                wishIds[w] = "w-" + w;
            }
        }

        @Setup(Level.Iteration)
        public void start() {
            List<WishSpec> specs = new ArrayList<>(WISHES);
            for (String id : wishIds) {
                specs.add(new WishSpec(id, id, UNITS / WISHES, null, null, null, null));
            }
            Book book = new Book();
            book.createCampaign(new Campaign("c-bench", "bench", 0, Integer.MAX_VALUE, 168, 0, specs), 0);
            replier = new CountingReplier();
            BatchStore noop = batch -> { };
            ring = new ClaimRing(book, noop, replier, List.of(), RingObserver.NONE, new WriterHealth(), WriterHooks.NONE,
                    RING_SIZE, 1);
            ring.start();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            ring.close(); // drains what is still queued
            if (replier.replies == 0) {
                throw new IllegalStateException("the reply stage answered nothing");
            }
        }
    }

    /** Each producer's own users, so that user/wish pairs never repeat across producers. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Producer extends PendingReply {

        private static final AtomicInteger NEXT_PRODUCER = new AtomicInteger();

        /** Times this producer found the ring full and yielded (the engine would answer 503). */
        public long ringFull;

        String[] userIds;
        long next;

        @Setup(Level.Trial)
        public void prepare() {
            int producer = NEXT_PRODUCER.getAndIncrement();
            userIds = new String[USERS_PER_PRODUCER];
            for (int u = 0; u < USERS_PER_PRODUCER; u++) {
                userIds[u] = "p" + producer + "-u" + u;
            }
        }

        @Setup(Level.Iteration)
        public void resetCounters() {
            ringFull = 0; // JMH does not reset auxiliary counters by itself
        }
    }

    /** Counts what the reply stage hands back; written by the reply thread only. */
    static final class CountingReplier implements Replier {
        volatile long replies;
        volatile long batches;

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField") // single writer: the reply thread
        public void reply(RingEntry entry) {
            replies++;
        }

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        public Runnable endOfBatch() {
            batches++;
            return null;
        }
    }

    @Benchmark
    @Threads(2)
    public void producers2(Engine engine, Producer producer) {
        publishOne(engine, producer);
    }

    @Benchmark
    @Threads(3)
    public void producers3(Engine engine, Producer producer) {
        publishOne(engine, producer);
    }

    @Benchmark
    @Threads(4)
    public void producers4(Engine engine, Producer producer) {
        publishOne(engine, producer);
    }

    private static void publishOne(Engine engine, Producer producer) {
        long k = producer.next++;
        // users rotate fastest, wishes slowly: user/wish pairs are distinct for 64M commands.
        String user = producer.userIds[(int) (k & (USERS_PER_PRODUCER - 1))];
        String wish = engine.wishIds[(int) ((k >>> 16) & (WISHES - 1))];
        Command command = new Command.ClaimWish(wish, user, 1_000L);
        while (!engine.ring.tryPublish(command, producer)) {
            producer.ringFull++;
            Thread.yield();
        }
    }
}
