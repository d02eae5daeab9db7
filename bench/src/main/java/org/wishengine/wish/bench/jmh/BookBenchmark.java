package org.wishengine.wish.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Result;
import org.wishengine.wish.core.WishSpec;

/**
 * Settle throughput of the {@link Book} alone: claims decided per second by one thread, the
 * work the ring's settle stage does per claim.
 *
 * <ul>
 *   <li>{@link #flashGrab}: a fresh book per invocation holding one open campaign of
 *       {@value #WISHES} wishes; {@value #CLAIMS} claims by distinct, rotating users on
 *       shuffled wishes. {@code oversubscription} is demand divided by supply: at 1 every claim
 *       is {@code CREATED} (the pure "unit taken" path: a new claim id, a {@code Claim}, the
 *       indexes updated); at 4 a quarter are created and the rest meet a sold-out wish, the mix
 *       of a real flash-grab. The score is per claim ({@link OperationsPerInvocation}).</li>
 *   <li>{@link #soldOut}: every wish already sold out, fresh users keep trying: the rejection
 *       path (two hash lookups, a shared {@link Outcome}), which is what most of a flash-grab
 *       is once the units are gone.</li>
 * </ul>
 *
 * <p>Leaves out: the ring (publishing, thread hand-offs), the commit to Redis, HTTP, JSON and
 * token checks, and the creation of the book itself (per-invocation setup, outside the
 * measurement; each invocation is tens of milliseconds, so JMH's per-invocation setup cost is
 * negligible). The book's hash maps grow from empty within each invocation, so their resizes
 * are included, as in the first seconds of a real campaign. Garbage made by created claims is
 * collected during the run, as in the engine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Six warm-up seconds: with two, the all-created case was still being compiled (2-3 M/s in the
// first iterations, 8 M/s once C2 settled), and the score mixed both.
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class BookBenchmark {

    /** Wishes in the campaign. */
    static final int WISHES = 1024;
    /** Claims per invocation of {@link #flashGrab}; also the number of distinct users. */
    static final int CLAIMS = 65_536;
    private static final long OPENS_AT = 1_000L;
    private static final long NOW = 2_000_000L;

    /** A fresh book per invocation, and the order in which users hit wishes. */
    @State(Scope.Thread)
    public static class Grab {

        /** Demand / supply: 1 = every claim succeeds; 4 = three in four find the wish sold out. */
        @Param({"1", "4"})
        public int oversubscription;

        String[] wishIds;
        String[] userIds;
        /** Wish index of claim i. */
        int[] wishOf;
        Campaign draft;
        Book book;

        @Setup(Level.Trial)
        public void prepare() {
            int units = CLAIMS / oversubscription;
            int perWish = Math.max(1, units / WISHES);
            wishIds = new String[WISHES];
            List<WishSpec> specs = new ArrayList<>(WISHES);
            for (int w = 0; w < WISHES; w++) {
                wishIds[w] = "w-" + w;
                specs.add(new WishSpec(wishIds[w], "wish " + w, perWish, "elderly", "Zhujing", null, null));
            }
            draft = new Campaign("c-bench", "bench", OPENS_AT, 1, 168, 0, specs);
            userIds = new String[CLAIMS];
            wishOf = new int[CLAIMS];
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < CLAIMS; i++) {
                userIds[i] = "user-" + i;
                wishOf[i] = i % WISHES; // each wish gets CLAIMS / WISHES attempts ...
            }
            for (int i = CLAIMS - 1; i > 0; i--) { // ... in shuffled order
                int j = random.nextInt(i + 1);
                int t = wishOf[i];
                wishOf[i] = wishOf[j];
                wishOf[j] = t;
            }
        }

        @Setup(Level.Invocation)
        public void freshBook() {
            book = new Book();
            Outcome created = book.createCampaign(draft, 0);
            if (created.result() != Result.CREATED) {
                throw new IllegalStateException("campaign not created: " + created);
            }
        }
    }

    /** A book whose every wish is sold out, and a stream of users who have not claimed. */
    @State(Scope.Thread)
    public static class SoldOut {

        String[] wishIds;
        String[] userIds;
        Book book;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            wishIds = new String[WISHES];
            List<WishSpec> specs = new ArrayList<>(WISHES);
            for (int w = 0; w < WISHES; w++) {
                wishIds[w] = "w-" + w;
                specs.add(new WishSpec(wishIds[w], "wish " + w, 1, null, null, null, null));
            }
            book = new Book();
            book.createCampaign(new Campaign("c-bench", "bench", OPENS_AT, 1, 168, 0, specs), 0);
            for (int w = 0; w < WISHES; w++) {
                if (book.claim(wishIds[w], "holder-" + w, NOW).result() != Result.CREATED) {
                    throw new IllegalStateException("could not fill wish " + w);
                }
            }
            userIds = new String[CLAIMS];
            for (int i = 0; i < CLAIMS; i++) {
                userIds[i] = "user-" + i;
            }
        }
    }

    /** One flash-grab of {@value #CLAIMS} claims on a fresh book; the score is claims per second. */
    @Benchmark
    @OperationsPerInvocation(CLAIMS)
    public void flashGrab(Grab grab, Blackhole blackhole) {
        Book book = grab.book;
        String[] wishIds = grab.wishIds;
        String[] userIds = grab.userIds;
        int[] wishOf = grab.wishOf;
        for (int i = 0; i < CLAIMS; i++) {
            blackhole.consume(book.claim(wishIds[wishOf[i]], userIds[i], NOW));
        }
    }

    /** One claim on a sold-out wish by a user who holds nothing. */
    @Benchmark
    public Outcome soldOut(SoldOut state) {
        int i = state.next++;
        if (state.next == CLAIMS) {
            state.next = 0;
        }
        return state.book.claim(state.wishIds[i & (WISHES - 1)], state.userIds[i], NOW);
    }
}
