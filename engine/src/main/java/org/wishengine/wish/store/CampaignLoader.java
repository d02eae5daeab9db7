package org.wishengine.wish.store;

import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.WishSpec;

/**
 * Loads one campaign from Redis into a {@link Book} at start-up, then folds its journal into its
 * snapshot. Every key it touches carries the campaign's hash tag, so it works per campaign, in
 * one Redis Cluster slot.
 *
 * <p>Layout: {@code wish:{c}:snapshot} is a list of {@link ClaimJournal} entries of up to
 * {@value #CHUNK_CLAIMS} claims each, the journal folded in at the last start; an older engine's
 * JSON hash {@code wish:{c}:claims} is still read, and migrated by the first fold.
 *
 * <p>Speed: list pages are requested ahead ({@value #WINDOW} in flight) on a connection of its
 * own and parsed, from the bytes Redis returns, on a parser thread while the calling thread
 * loads the pages before them into the book. States are handed to the book newest first (the journal from its
 * tail, each entry from its last line, then the snapshot, then the old hash): the book keeps the
 * first state it is given for a claim, so no map of every claim is built to find the latest.
 *
 * <p>Folding is safe to interrupt: the new snapshot is written under {@code wish:{c}:snapshot-next},
 * then one {@code MULTI}/{@code EXEC} renames it over the snapshot, drops exactly the journal
 * entries read and unlinks the old hash. Until that transaction, the old snapshot and journal are
 * intact (a leftover {@code snapshot-next} is dropped by the next start); after it, the new
 * snapshot holds every state that was read. Entries replayed again change nothing, because a fold
 * writes each claim's latest state.
 */
final class CampaignLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignLoader.class);
    /** Claims per snapshot entry: a few hundred kilobytes, one Redis string each. */
    static final int CHUNK_CLAIMS = 4096;
    /** Entries per LRANGE: journal entries hold a batch (hundreds of claims, more after a repair). */
    private static final int JOURNAL_PAGE = 32;
    private static final int SNAPSHOT_PAGE = 2;
    /** Requests in flight at once: enough to keep Redis busy, few enough to bound the memory held. */
    private static final int WINDOW = 8;
    private static final int HSCAN_COUNT = 10_000;

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final StoreCodec codec;
    private final Duration timeout;

    private final ExecutorService parser = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wish-recovery-parser");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong parserNanos = new AtomicLong();

    private long readNanos;
    private long parseNanos;
    private long restoreNanos;

    /**
     * Uses {@code connection} alone (it sends a transaction); the caller closes it, and closes
     * this loader to stop its parser thread.
     */
    CampaignLoader(StatefulRedisConnection<byte[], byte[]> connection, StoreCodec codec, Duration timeout) {
        this.redis = connection.async();
        this.codec = codec;
        this.timeout = timeout;
    }

    @Override
    public void close() {
        parser.shutdownNow();
    }

    /**
     * Restores the campaign and its claims into the book and folds its journal into its snapshot.
     * Returns {@link RecoveryReport#NONE} when the campaign's definition is not in Redis.
     */
    RecoveryReport load(Book book, String campaignId) throws IOException {
        readNanos = parseNanos = restoreNanos = 0;
        parserNanos.set(0);
        byte[] campaignKey = utf8(Keys.campaign(campaignId));
        byte[] journalKey = utf8(Keys.journal(campaignId));
        byte[] snapshotKey = utf8(Keys.snapshot(campaignId));
        byte[] legacyKey = utf8(Keys.claims(campaignId));
        byte[] nextKey = utf8(Keys.snapshotNext(campaignId));
        RedisFuture<byte[]> definition = redis.get(campaignKey);
        RedisFuture<Long> journalLength = redis.llen(journalKey);
        RedisFuture<Long> snapshotLength = redis.llen(snapshotKey);
        RedisFuture<Long> legacyFields = redis.hlen(legacyKey);
        RedisFuture<Long> leftover = redis.exists(nextKey);
        RedisFuture<byte[]> sequence = redis.get(utf8(Keys.sequence(campaignId)));
        RedisFuture<List<byte[]>> entryElements = redis.lrange(utf8(Keys.entries(campaignId)), 0, -1);
        byte[] json = await(definition);
        if (json == null) {
            return RecoveryReport.NONE;
        }
        Campaign campaign = codec.readCampaign(new String(json, StandardCharsets.UTF_8));
        book.restore(campaign);
        Set<String> wishIds = new HashSet<>();
        for (WishSpec wish : campaign.wishes()) {
            wishIds.add(wish.id());
        }
        Restorer restorer = new Restorer(book, wishIds);
        long entries = await(journalLength);
        readNewestFirst(journalKey, entries, JOURNAL_PAGE, campaignId, restorer);
        readNewestFirst(snapshotKey, await(snapshotLength), SNAPSHOT_PAGE, campaignId, restorer);
        long oldFields = await(legacyFields);
        if (oldFields > 0) {
            readLegacy(legacyKey, restorer);
        }
        restoreEntries(book, campaignId, await(entryElements));
        boolean stale = await(leftover) > 0;
        byte[] last = await(sequence);

        long foldStarted = System.nanoTime();
        if (entries > 0 || oldFields > 0) {
            fold(book, campaignId, restorer.rejected.values(), entries, oldFields > 0);
        } else if (stale) {
            await(redis.unlink(nextKey)); // a fold interrupted before its transaction
        }
        long foldNanos = System.nanoTime() - foldStarted;
        return new RecoveryReport(1, restorer.lines, entries, last == null ? 0 : Keys.batchSequence(utf8(last)),
                readNanos, parseNanos + parserNanos.get(), restoreNanos, foldNanos);
    }

    /**
     * Reads the list's entries last to first, each entry's claims last to first, into the
     * restorer. Pages are parsed on the parser thread as they arrive, so that parsing the next
     * pages overlaps loading this one into the book (the two cores each take one).
     */
    private void readNewestFirst(byte[] key, long length, int page, String campaignId, Restorer restorer) {
        ArrayDeque<CompletableFuture<List<List<Claim>>>> inFlight = new ArrayDeque<>();
        long nextEnd = length; // exclusive end of the next page to request
        while (nextEnd > 0 || !inFlight.isEmpty()) {
            while (nextEnd > 0 && inFlight.size() < WINDOW) {
                long from = Math.max(0, nextEnd - page);
                inFlight.add(redis.lrange(key, from, nextEnd - 1).toCompletableFuture()
                        .thenApplyAsync(values -> parse(values, campaignId), parser));
                nextEnd = from;
            }
            List<List<Claim>> entries = await(inFlight.poll());
            long restoreStarted = System.nanoTime();
            for (int e = entries.size() - 1; e >= 0; e--) {
                List<Claim> claims = entries.get(e);
                for (int i = claims.size() - 1; i >= 0; i--) {
                    restorer.restore(claims.get(i));
                }
            }
            restoreNanos += System.nanoTime() - restoreStarted;
        }
    }

    /**
     * Hands the campaign's fair-start entries to the book, newest state first. A draw settles
     * every entry in the commit that makes its winners' claims, so the newest states are all
     * pending or all settled. The list is not folded: a window's entries are written at most
     * twice (entered, settled).
     */
    private void restoreEntries(Book book, String campaignId, List<byte[]> elements) {
        long started = System.nanoTime();
        for (int e = elements.size() - 1; e >= 0; e--) {
            List<Entry> entries = EntryJournal.read(elements.get(e), campaignId);
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (!book.restore(entries.get(i))) {
                    LOG.warn("Campaign {}: entry {} names wish {}, which the campaign does not have; left in Redis",
                            campaignId, entries.get(i).id(), entries.get(i).wishId());
                }
            }
        }
        restoreNanos += System.nanoTime() - started;
    }

    /** On the parser thread: one page of entries, each as its claims in the order written. */
    private List<List<Claim>> parse(List<byte[]> values, String campaignId) {
        long started = System.nanoTime();
        List<List<Claim>> entries = new ArrayList<>(values.size());
        for (byte[] value : values) {
            entries.add(ClaimJournalReader.read(value, campaignId));
        }
        parserNanos.addAndGet(System.nanoTime() - started);
        return entries;
    }

    /** The JSON hash an older engine folded into: field order carries no meaning, each claim is there once. */
    private void readLegacy(byte[] key, Restorer restorer) throws IOException {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            MapScanCursor<byte[], byte[]> scanned = await(redis.hscan(key, cursor, ScanArgs.Builder.limit(HSCAN_COUNT)));
            for (byte[] json : scanned.getMap().values()) {
                long parseStarted = System.nanoTime();
                Claim claim = codec.readClaim(new String(json, StandardCharsets.UTF_8));
                long restoreStarted = System.nanoTime();
                parseNanos += restoreStarted - parseStarted;
                restorer.restore(claim);
                restoreNanos += System.nanoTime() - restoreStarted;
            }
            cursor = scanned;
        } while (!cursor.isFinished());
    }

    /**
     * Writes the campaign's claims as the book now holds them (their latest states), plus those
     * the book refused, as the new snapshot; then swaps it in and trims the journal atomically.
     */
    private void fold(Book book, String campaignId, Iterable<Claim> refused, long entries, boolean migrate) {
        byte[] nextKey = utf8(Keys.snapshotNext(campaignId));
        await(redis.unlink(nextKey));
        ArrayDeque<RedisFuture<Long>> inFlight = new ArrayDeque<>();
        ClaimJournal chunk = new ClaimJournal();
        int inChunk = 0;
        long written = 0;
        List<Claim> claims = book.claimsOfCampaign(campaignId);
        List<Iterable<Claim>> sources = List.of(claims == null ? List.of() : claims, refused);
        for (Iterable<Claim> source : sources) {
            for (Claim claim : source) {
                chunk.append(claim);
                written++;
                if (++inChunk == CHUNK_CLAIMS) {
                    push(inFlight, nextKey, chunk);
                    inChunk = 0;
                }
            }
        }
        if (inChunk > 0) {
            push(inFlight, nextKey, chunk);
        }
        while (!inFlight.isEmpty()) {
            await(inFlight.poll());
        }
        byte[] snapshotKey = utf8(Keys.snapshot(campaignId));
        redis.multi();
        if (written > 0) {
            redis.rename(nextKey, snapshotKey);
        } else {
            redis.unlink(snapshotKey);
        }
        redis.ltrim(utf8(Keys.journal(campaignId)), entries, -1);
        redis.unlink(utf8(Keys.claims(campaignId)));
        TransactionResult result = await(redis.exec());
        if (result.wasDiscarded()) {
            throw new IllegalStateException("Redis discarded the fold of campaign " + campaignId);
        }
        LOG.info("Folded {} journal entries{} of campaign {} into a snapshot of {} claims", entries,
                migrate ? " and the JSON snapshot of an earlier engine" : "", campaignId, written);
    }

    private void push(ArrayDeque<RedisFuture<Long>> inFlight, byte[] key, ClaimJournal chunk) {
        if (inFlight.size() == WINDOW) {
            await(inFlight.poll());
        }
        inFlight.add(redis.rpush(key, chunk.toByteArray()));
        chunk.clear();
    }

    private <T> T await(Future<T> future) {
        long started = System.nanoTime();
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not answer within " + timeout.toMillis() + " ms during recovery", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during recovery", e);
        } finally {
            readNanos += System.nanoTime() - started;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Hands states to the book, newest first. Keeps, newest state first, the claims the book
     * refuses (a wish it does not know, an id it does not make) or that name a wish of another
     * campaign, so that the fold writes them back rather than losing them.
     */
    private static final class Restorer {
        final Book book;
        final Set<String> wishIds;
        final Map<String, Claim> rejected = new LinkedHashMap<>();
        long lines;

        Restorer(Book book, Set<String> wishIds) {
            this.book = book;
            this.wishIds = wishIds;
        }

        void restore(Claim claim) {
            lines++;
            if (!wishIds.contains(claim.wishId()) || !book.restore(claim)) {
                rejected.putIfAbsent(claim.id(), claim);
            }
        }
    }
}
