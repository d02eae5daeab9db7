package org.wishengine.wish.store;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.core.AuditRecord;

/**
 * The audit trail in Redis ({@link Keys#AUDIT}, or {@link Keys#REGISTRY_AUDIT} on a cluster), as the HTTP edge uses it: appends the
 * records only the edge knows of (token issues and revocations; the writer commits the book's
 * own with its batches), and reads pages of it, newest first, filtered to a set of orgs.
 *
 * <p>Nothing of the trail is held in memory: the book only names the orgs of a subtree, and each
 * read scans the list from its tail in chunks ({@link #CHUNK}), at most {@link #MAX_SCAN}
 * records per request, so a read costs the same however long the trail grows. A position is
 * the record's index from the head, which appends never change, so a cursor stays valid while
 * records are added.
 */
public final class RedisAuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(RedisAuditTrail.class);
    /** Records fetched per LRANGE. */
    static final int CHUNK = 500;
    /** Records looked at per read at most: a subtree with few records still answers promptly. */
    public static final int MAX_SCAN = 20_000;

    private final RedisClusterAsyncCommands<String, String> redis;
    /** {@link Keys#AUDIT} on a single Redis, {@link Keys#REGISTRY_AUDIT} on a cluster. */
    private final String key;
    private final Duration timeout;

    RedisAuditTrail(RedisClusterAsyncCommands<String, String> redis, String key, Duration timeout) {
        this.redis = redis;
        this.key = key;
        this.timeout = timeout;
    }

    /**
     * One page: the matching records, newest first, and where the next (older) page starts, or 0
     * when the scan reached the oldest record.
     */
    public record Page(List<AuditRecord> records, long nextCursor) {
    }

    /** Appends one record (RPUSH): for what happens at the edge rather than in the book. */
    public CompletionStage<Void> append(AuditRecord record) {
        return redis.rpush(key, AuditCodec.write(record)).toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(length -> null);
    }

    /**
     * Up to {@code limit} records whose org is in {@code orgs} (null: every record), newest first,
     * among those at positions below {@code cursor} (0: from the newest).
     */
    public CompletionStage<Page> newest(long cursor, int limit, Set<String> orgs) {
        CompletionStage<Long> end = cursor > 0 ? CompletableFuture.completedFuture(cursor)
                : redis.llen(key).toCompletableFuture();
        return end.thenCompose(below -> scan(below, limit, orgs, new ArrayList<>(), 0))
                .toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the chunk just below position {@code below}, then the next, until the page is full. */
    private CompletionStage<Page> scan(long below, int limit, Set<String> orgs, List<AuditRecord> found, int scanned) {
        if (below <= 0 || found.size() >= limit || scanned >= MAX_SCAN) {
            return CompletableFuture.completedFuture(new Page(found, Math.max(below, 0)));
        }
        long from = Math.max(0, below - CHUNK);
        return redis.lrange(key, from, below - 1).thenCompose(elements -> {
            for (int i = elements.size() - 1; i >= 0; i--) {
                AuditRecord record = parse(elements.get(i), from + i);
                if (record != null && (orgs == null || orgs.contains(record.org()))) {
                    found.add(record);
                    if (found.size() == limit) {
                        // The page ends here: the next starts just below this record.
                        return CompletableFuture.completedFuture(new Page(found, from + i));
                    }
                }
            }
            return scan(from, limit, orgs, found, scanned + elements.size());
        });
    }

    private static AuditRecord parse(String element, long position) {
        try {
            return AuditCodec.read(element);
        } catch (IllegalArgumentException damaged) {
            // One bad element must not hide the rest of the trail from every reader.
            LOG.warn("Skipping element {} of the audit trail: {}", position, damaged.getMessage());
            return null;
        }
    }
}
