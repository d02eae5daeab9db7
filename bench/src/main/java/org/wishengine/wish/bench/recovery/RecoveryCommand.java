package org.wishengine.wish.bench.recovery;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.store.LocalRedis;
import org.wishengine.wish.store.RecoveryReport;
import org.wishengine.wish.store.RedisStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recovery}: how fast the engine's start-up recovery ({@link RedisStore#recover}) reads
 * committed claims back from Redis. Starts its own {@code redis-server} on a free loopback port
 * (no persistence), fills it through the store's commit path ({@link RecoveryData}), then times
 * {@code recover} into a fresh book on a fresh connection, as a restart does, for two layouts:
 * {@code journal} (everything still in the journal, as at the first restart after a grab, so the
 * time includes folding it) and {@code snapshot} (everything folded at a previous start). Before
 * each run the keys are put back as they were after the fill, so every run does the same work.
 * Each run prints the split the store reports ({@link RecoveryReport#split()}).
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "Time the engine's start-up recovery from a Redis it fills itself.")
public final class RecoveryCommand implements Callable<Integer> {

    private static final String BACKUP = "bench-backup:";

    @Option(names = "--claims", defaultValue = "1000000", description = "claims to commit (default ${DEFAULT-VALUE})")
    int claims;

    @Option(names = "--campaigns", defaultValue = "4", description = "campaigns (default ${DEFAULT-VALUE})")
    int campaigns;

    @Option(names = "--batch", defaultValue = "256", description = "claims per committed batch (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--runs", defaultValue = "3", description = "timed recoveries per layout (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--layouts", defaultValue = "journal,snapshot", split = ",",
            description = "layouts to time, in order: journal, snapshot (default ${DEFAULT-VALUE})")
    List<String> layouts;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("wish-recovery-bench");
        try (LocalRedis redis = LocalRedis.start(dir, 0, List.of("--appendonly", "no", "--save", ""))) {
            RecoveryData data = new RecoveryData(claims, campaigns, batchSize);
            long fillStarted = System.nanoTime();
            try (RedisStore store = RedisStore.connect(redis.uri(), Duration.ofSeconds(30))) {
                data.fill(store);
                System.out.printf("filled %,d claims over %d campaigns in batches of %d in %.1f s; Redis uses %s%n",
                        claims, campaigns, batchSize, (System.nanoTime() - fillStarted) / 1e9, memory(store.sync()));
            }
            for (String layout : layouts) {
                switch (layout) {
                    case "journal" -> { }
                    case "snapshot" -> recoverOnce(redis.uri(), data); // folds whatever is in the journal
                    default -> throw new IllegalArgumentException("unknown layout " + layout);
                }
                time(layout, redis.uri(), data);
            }
        } finally {
            delete(dir);
        }
        return 0;
    }

    private void time(String layout, String uri, RecoveryData data) throws Exception {
        try (RedisStore store = RedisStore.connect(uri, Duration.ofSeconds(30))) {
            backup(store.sync());
            System.out.printf("layout %s: Redis uses %s%n", layout, memory(store.sync()));
        }
        double[] millis = new double[runs];
        for (int run = 0; run < runs; run++) {
            try (RedisStore store = RedisStore.connect(uri, Duration.ofSeconds(30))) {
                restore(store.sync());
            }
            System.gc(); // start each run from the same heap, not from the previous run's garbage
            millis[run] = recoverOnce(uri, data);
            System.out.printf("  %s run %d: %,.0f ms, %,.0f claims/s%n", layout, run + 1, millis[run],
                    claims / (millis[run] / 1000));
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = sorted[runs / 2];
        System.out.printf("%s: median %,.0f ms over %d runs = %,.0f claims/s (runs %s)%n", layout, median, runs,
                claims / (median / 1000), Arrays.toString(Arrays.stream(millis).map(Math::rint).toArray()));
        try (RedisStore store = RedisStore.connect(uri, Duration.ofSeconds(30))) {
            dropBackup(store.sync());
        }
    }

    /** One restart's recovery: a new connection and an empty book; returns the time taken, in ms. */
    private static double recoverOnce(String uri, RecoveryData data) throws Exception {
        try (RedisStore store = RedisStore.connect(uri, Duration.ofSeconds(30))) {
            Book book = new Book();
            long started = System.nanoTime();
            RecoveryReport report = store.recover(book);
            double millis = (System.nanoTime() - started) / 1e6;
            data.verify(book.stats());
            System.out.printf("    %,d claim states read, %,d journal entries folded; %s%n", report.lines(),
                    report.journalEntries(), report.split());
            return millis;
        }
    }

    private static void backup(RedisClusterCommands<String, String> redis) {
        for (String key : keys(redis, "wish:*")) {
            redis.copy(key, BACKUP + key);
        }
    }

    /** Deletes every engine key, then copies the backup back: exactly the state after the fill. */
    private static void restore(RedisClusterCommands<String, String> redis) {
        for (String key : keys(redis, "wish:*")) {
            redis.del(key);
        }
        for (String key : keys(redis, BACKUP + "*")) {
            redis.copy(key, key.substring(BACKUP.length()));
        }
    }

    private static void dropBackup(RedisClusterCommands<String, String> redis) {
        for (String key : keys(redis, BACKUP + "*")) {
            redis.del(key);
        }
    }

    private static List<String> keys(RedisClusterCommands<String, String> redis, String pattern) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private static String memory(RedisClusterCommands<String, String> redis) {
        for (String line : redis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory_human:")) {
                return line.substring("used_memory_human:".length()).trim();
            }
        }
        return "?";
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
