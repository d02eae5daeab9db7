package org.wishengine.wish.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.LocalRedis;
import org.wishengine.wish.store.RedisStore;

/**
 * Commit throughput against a real Redis: {@link RedisStore#commit} of one ring batch of
 * {@code batchSize} new claims of one campaign, i.e. one {@code EVALSHA} of the commit script
 * (sequence check, one {@code RPUSH} of the batch's journal entry, sequence update) and its round trip, on the store's
 * own commit connection, exactly as the commit stage calls it.
 *
 * <p>The primary score is commits (batches) per second; the {@code claims} secondary counter is
 * claims made durable per second (score × batch size), the number to compare with the ring's
 * and the book's throughput. Redis is started by {@link LocalRedis} in the trial setup (on a
 * free loopback port, append-only file with {@code appendfsync everysec}, as the engine's
 * embedded default) under a temporary directory that is removed afterwards.
 *
 * <p>Each commit carries a new batch sequence (so the script never skips it as a replay) and
 * claims with ids from a rotating pool of {@value #ID_POOL} ids. The journal grows by one entry
 * per commit for the length of the run (tens of megabytes), as it does in the engine between
 * starts. Claims are encoded into the journal format by the store inside the measurement, as in
 * the engine.
 *
 * <p>Leaves out: the ring and the book, network latency (Redis is on loopback, a managed Redis
 * across a network adds its round-trip time per commit), disk fsync per write (everysec), and
 * Redis Cluster.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
public class CommitBenchmark {

    static final int ID_POOL = 1 << 16;
    static final String CAMPAIGN = "c-bench";

    /** One Redis and one store for the trial; the claims to commit. */
    @State(Scope.Thread)
    public static class Store {

        @Param({"1", "16", "256"})
        public int batchSize;

        Path dir;
        LocalRedis redis;
        RedisStore store;
        Claim[] claims;
        final Batch batch = new Batch();
        long sequence;
        int nextClaim;

        @Setup(Level.Trial)
        public void start() throws IOException {
            dir = Files.createTempDirectory("wish-commit-bench");
            redis = LocalRedis.start(dir);
            store = RedisStore.connect(redis.uri(), Duration.ofSeconds(5));
            // Commits carry the writer lease's epoch, as the engine's do.
            store.takeWriterLease(NodeIdentity.thisProcess("bench"), Duration.ofMinutes(10));
            claims = new Claim[ID_POOL];
            long now = System.currentTimeMillis();
            for (int i = 0; i < ID_POOL; i++) {
                claims[i] = new Claim("cl-" + (i + 1), "w-" + (i % 1024), CAMPAIGN, "user-" + i,
                        ClaimStatus.CLAIMED, now, 0, 0, 0, 0, 0, null);
            }
            // The first batch writes the campaign definition, as the engine's first commit would.
            batch.reset(++sequence);
            batch.campaigns().add(new Campaign(CAMPAIGN, "bench", now, 1, 168, now,
                    List.of(new WishSpec("w-0", "bench", 1024, null, null, null, null))));
            try {
                store.commit(batch);
            } catch (Exception e) {
                throw new IllegalStateException("the first commit failed", e);
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            long stored = store.sync().llen(Keys.journal(CAMPAIGN));
            String last = store.sync().get(Keys.sequence(CAMPAIGN));
            if (stored == 0 || last == null || Keys.batchSequence(last) != sequence) {
                throw new IllegalStateException("commits did not arrive: " + stored + " journal entries, sequence " + last
                        + " (expected " + sequence + ")");
            }
            store.close();
            redis.stop();
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
                for (Path path : all) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Claims committed, as a rate (secondary result {@code claims}). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Claims {
        public long claims;

        @Setup(Level.Iteration)
        public void reset() {
            claims = 0;
        }
    }

    @Benchmark
    public void commit(Store state, Claims counter) throws Exception {
        Batch batch = state.batch;
        batch.reset(++state.sequence);
        List<Claim> claims = batch.claims();
        int next = state.nextClaim;
        for (int i = 0; i < state.batchSize; i++) {
            claims.add(state.claims[next]);
            next = (next + 1) & (ID_POOL - 1);
        }
        state.nextClaim = next;
        state.store.commit(batch);
        counter.claims += state.batchSize;
    }
}
