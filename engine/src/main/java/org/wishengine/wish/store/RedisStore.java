package org.wishengine.wish.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.cluster.LeaseAnswer;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.ring.BatchStore;
import org.wishengine.wish.ring.WriterFenced;

/**
 * Redis as the system of record. Commits a ring batch in one round trip: one {@code EVALSHA} of
 * {@code lua/commit.lua} per campaign in the batch, all written before a single flush on a
 * connection that only the commit stage uses (Lettuce's flush control is per connection). Batches
 * sent one after another on that connection are applied by Redis in that order. A batch appends one
 * {@link ClaimJournal} entry per campaign to {@code wish:{c}:journal}; at start-up the store
 * rebuilds a {@link Book} from the snapshot hash plus the journal and folds the journal into the
 * hash ({@link #recover}).
 *
 * <p>Idempotence: each script call carries the batch sequence and is skipped when the campaign
 * already has it, because Lettuce re-sends unfinished commands after a reconnect, so a batch may
 * arrive twice, or arrive after the merged batch that a repair committed in its place.
 */
public final class RedisStore implements BatchStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
    private static final String SCRIPT = RedisLeases.read("/lua/commit.lua");
    private static final int REQUEST_QUEUE_LIMIT = 10_000;
    private static final byte[] EMPTY = new byte[0];
    private static final int FOLD_CHUNK = 500;

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commitConnection;
    private final StatefulRedisConnection<String, String> queryConnection;
    private final RedisAsyncCommands<byte[], byte[]> commitCommands;
    private final StoreCodec codec = new StoreCodec();
    private final Duration commitTimeout;
    private final Map<String, CampaignChanges> changesByCampaign = new HashMap<>();
    private List<CompletableFuture<Long>> pending = new ArrayList<>();
    private volatile String scriptSha;
    /** The writer lease every commit is checked against, and the epoch this engine holds of it. */
    private byte[] fenceKey;
    private byte[] fenceEpoch;

    private RedisStore(RedisClient client, Duration commitTimeout) {
        this.client = client;
        this.commitTimeout = commitTimeout;
        this.commitConnection = client.connect(ByteArrayCodec.INSTANCE);
        this.queryConnection = client.connect();
        commitConnection.setAutoFlushCommands(false);
        this.commitCommands = commitConnection.async();
        this.scriptSha = queryConnection.sync().scriptLoad(SCRIPT);
    }

    /**
     * Connects to the Redis at {@code uri} with Lettuce's own I/O threads; throws when it cannot be
     * reached now. Afterwards the connections reconnect by themselves, and commands fail fast while
     * disconnected so that the commit stage, not Lettuce's unbounded buffer, decides what to retry.
     */
    public static RedisStore connect(String uri, Duration commitTimeout) {
        return connect(uri, commitTimeout, null, null);
    }

    /**
     * As {@link #connect(String, Duration)}, but runs the connections on {@code loops} (see
     * {@link LentEventLoops}) when Lettuce would pick the same transport ({@code clientChannelType});
     * otherwise, or with null loops, on Lettuce's own threads. The caller keeps the loops and must
     * close this store before shutting them down.
     */
    public static RedisStore connect(String uri, Duration commitTimeout, EventLoopGroup loops,
                                     Class<? extends Channel> clientChannelType) {
        RedisURI redisUri = RedisURI.create(uri); // a malformed URI fails here, before anything starts
        boolean lend = loops != null && Transports.socketChannelClass() == clientChannelType
                && Transports.eventLoopGroupClass().isInstance(loops);
        ClientResources resources = lend
                ? ClientResources.builder().eventLoopGroupProvider(new LentEventLoops(loops)).build()
                : ClientResources.create();
        if (loops != null && !lend) {
            LOG.info("Redis client runs on its own threads: its transport ({}) differs from the HTTP server's ({})",
                    Transports.socketChannelClass().getSimpleName(), clientChannelType);
        }
        RedisClient client;
        try {
            client = RedisClient.create(resources, redisUri);
        } catch (RuntimeException e) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            throw e;
        }
        try {
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(REQUEST_QUEUE_LIMIT)
                    .timeoutOptions(TimeoutOptions.enabled(commitTimeout))
                    .build());
            return new RedisStore(client, commitTimeout);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /**
     * Makes every commit from now on carry the writer lease's key and epoch; the script writes
     * nothing unless the lease still has that epoch (see {@code lua/commit.lua}). Call once the
     * lease is taken and before the first commit.
     */
    public synchronized void fenceWith(String leaseKey, long epoch) {
        this.fenceKey = utf8(leaseKey);
        this.fenceEpoch = utf8(Long.toString(epoch));
        changesByCampaign.clear(); // their keys carry the fence key
    }

    /**
     * For tools and tests that commit without an engine: takes the single writer's lease at once
     * (failing if another node holds it) and fences commits with it. Returns the epoch.
     */
    public long takeWriterLease(NodeIdentity me, Duration lease) {
        LeaseAnswer answer = leases().acquire(Keys.WRITER_LEASE, me, lease).toCompletableFuture().join();
        if (!answer.granted()) {
            throw new IllegalStateException("the writer lease is held by " + answer.holder().describe());
        }
        fenceWith(Keys.WRITER_LEASE, answer.holder().epoch());
        return answer.holder().epoch();
    }

    /** The leases kept in this Redis, on the store's query connection. */
    public RedisLeases leases() {
        return new RedisLeases(queryConnection.async());
    }

    /** True when the connections run on lent event loops rather than Lettuce's own threads. */
    public boolean runsOnLentLoops() {
        return client.getResources().eventLoopGroupProvider() instanceof LentEventLoops;
    }

    @Override
    public synchronized CompletionStage<Void> commitAsync(Batch batch) {
        try {
            group(batch);
            send(batch.sequence());
            return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized void commit(Batch batch) throws Exception {
        group(batch);
        try {
            send(batch.sequence());
            await();
        } catch (ScriptMissing e) {
            // Redis restarted without its script cache: load it again and send the batch once more.
            reloadScript();
            send(batch.sequence());
            await();
        }
    }

    private void send(long batchSequence) {
        pending = new ArrayList<>(changesByCampaign.size());
        byte[] sequence = utf8(Long.toString(batchSequence));
        String sha = scriptSha;
        for (CampaignChanges changes : changesByCampaign.values()) {
            if (changes.isEmpty()) {
                continue;
            }
            byte[] campaign = changes.campaignJson == null ? EMPTY : utf8(changes.campaignJson);
            byte[] journal = changes.journal.isEmpty() ? EMPTY : changes.journal.toByteArray();
            RedisFuture<Long> applied = commitCommands.evalsha(sha, ScriptOutputType.INTEGER, changes.keys,
                    sequence, campaign, journal, fenceEpoch);
            pending.add(applied.toCompletableFuture().thenApply(RedisStore::checkFence));
        }
        commitConnection.flushCommands();
    }

    /** Turns the script's refusals into failures: fenced for good, or a lost lease record (retried). */
    private static Long checkFence(Long applied) {
        if (applied == -1L) {
            throw new CompletionException(new WriterFenced("another writer holds the lease: the batch was not written"));
        }
        if (applied == -2L) {
            throw new CompletionException(new IllegalStateException(
                    "Redis has no writer lease record (it lost its last writes); retrying once the lease is renewed"));
        }
        return applied;
    }

    private void group(Batch batch) {
        for (CampaignChanges changes : changesByCampaign.values()) {
            changes.clear();
        }
        for (Campaign campaign : batch.campaigns()) {
            changesFor(campaign.id()).campaignJson = codec.write(campaign);
        }
        for (Claim claim : batch.claims()) {
            changesFor(claim.campaignId()).journal.append(claim);
        }
    }

    private CampaignChanges changesFor(String campaignId) {
        if (fenceKey == null) {
            throw new IllegalStateException("no writer lease: call fenceWith before committing");
        }
        return changesByCampaign.computeIfAbsent(campaignId, id -> new CampaignChanges(id, fenceKey));
    }

    private void await() throws Exception {
        long deadline = System.nanoTime() + commitTimeout.toNanos();
        for (CompletableFuture<Long> future : pending) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RedisNoScriptException) {
                    throw new ScriptMissing();
                }
                throw cause instanceof Exception ? (Exception) cause : e;
            } catch (TimeoutException e) {
                throw new TimeoutException("commit not answered within " + commitTimeout.toMillis() + " ms");
            }
        }
    }

    private void reloadScript() {
        scriptSha = queryConnection.sync().scriptLoad(SCRIPT);
        LOG.info("Reloaded the commit script into Redis (its script cache was empty)");
    }

    /**
     * Rebuilds the book from Redis: every campaign, then every claim (the folded snapshot with the
     * journal on top). Then folds each journal into its snapshot, so that the journal only ever
     * holds what changed since the last start. Returns the highest batch sequence Redis has seen,
     * so that new batches are numbered above it. Must run before the first commit.
     */
    public long recover(Book book) throws IOException {
        RedisCommands<String, String> redis = queryConnection.sync();
        Set<String> campaignIds = new LinkedHashSet<>();
        ScanIterator<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches(Keys.CAMPAIGN_PATTERN).limit(1000));
        while (keys.hasNext()) {
            String json = redis.get(keys.next());
            if (json != null) {
                Campaign campaign = codec.readCampaign(json);
                book.restore(campaign);
                campaignIds.add(campaign.id());
            }
        }
        long lastSequence = 0;
        for (String campaignId : campaignIds) {
            CommittedClaims committed = CommittedClaims.read(redis, codec, campaignId);
            for (Claim claim : committed.claims().values()) {
                book.restore(claim);
            }
            fold(redis, campaignId, committed);
            String sequence = redis.get(Keys.sequence(campaignId));
            if (sequence != null) {
                lastSequence = Math.max(lastSequence, Keys.batchSequence(sequence));
            }
        }
        book.recovered();
        return lastSequence;
    }

    /**
     * Writes what the journal entries read changed into the snapshot hash, then drops exactly
     * those entries. Safe to interrupt at any point: until the trim, the entries are still there
     * and replaying them over the partly updated hash gives the same latest states.
     */
    private void fold(RedisCommands<String, String> redis, String campaignId, CommittedClaims committed) {
        if (committed.journalEntries() == 0) {
            return;
        }
        Map<String, String> chunk = new HashMap<>();
        for (Claim claim : committed.journaled().values()) {
            chunk.put(claim.id(), codec.write(claim));
            if (chunk.size() == FOLD_CHUNK) {
                redis.hset(Keys.claims(campaignId), chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            redis.hset(Keys.claims(campaignId), chunk);
        }
        redis.ltrim(Keys.journal(campaignId), committed.journalEntries(), -1);
        LOG.info("Folded {} journal entries ({} claims) of campaign {} into its snapshot",
                committed.journalEntries(), committed.journaled().size(), campaignId);
    }

    /** Completes with true when Redis answers a PING within the timeout, false otherwise. */
    public CompletionStage<Boolean> ping(Duration timeout) {
        try {
            return queryConnection.async().ping().toCompletableFuture()
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((pong, failure) -> failure == null && "PONG".equals(pong));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /**
     * Reports the store's connections going down and coming back (Lettuce reconnects on its own);
     * only events after this call are reported, so the first connect is not counted.
     */
    public void onConnectionEvents(Runnable disconnected, Runnable reconnected) {
        client.getResources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionDeactivatedEvent) {
                disconnected.run();
            } else if (event instanceof ConnectionActivatedEvent) {
                reconnected.run();
            }
        });
    }

    /** A synchronous connection for tools and tests that read what was committed. */
    public RedisCommands<String, String> sync() {
        return queryConnection.sync();
    }

    @Override
    public void close() {
        try {
            commitConnection.close();
            queryConnection.close();
        } finally {
            shutdown(client);
        }
    }

    /** Resources passed to {@code RedisClient.create} are the caller's to shut down, whatever else fails. */
    private static void shutdown(RedisClient client) {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            if (client.getResources().eventLoopGroupProvider() instanceof LentEventLoops lent) {
                lent.awaitQueuedTasks();
            }
        } finally {
            client.getResources().shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }


    /** Redis answered NOSCRIPT: its script cache is empty. */
    private static final class ScriptMissing extends Exception {
        ScriptMissing() {
            super("NOSCRIPT", null, false, false);
        }
    }

    /** One campaign's share of a batch; reused across batches to keep the commit path lean. */
    private static final class CampaignChanges {
        final byte[][] keys;
        final ClaimJournal journal = new ClaimJournal();
        String campaignJson;

        CampaignChanges(String campaignId, byte[] fenceKey) {
            keys = new byte[][] {utf8(Keys.sequence(campaignId)), utf8(Keys.journal(campaignId)),
                    utf8(Keys.campaign(campaignId)), fenceKey};
        }

        boolean isEmpty() {
            return campaignJson == null && journal.isEmpty();
        }

        void clear() {
            campaignJson = null;
            journal.clear();
        }
    }
}
