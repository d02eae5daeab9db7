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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.ring.BatchStore;

/**
 * Redis as the system of record. Commits a ring batch in one round trip: one {@code EVALSHA} of
 * {@code lua/commit.lua} per campaign in the batch, all written before a single flush on a
 * connection that only the commit stage uses (Lettuce's flush control is per connection). Batches
 * sent one after another on that connection are applied by Redis in that order. A batch appends one
 * {@link ClaimJournal} entry per campaign to {@code wish:{c}:journal}; at start-up the store
 * rebuilds a {@link Book} from the snapshot plus the journal and folds the journal into the
 * snapshot ({@link #recover}, {@link CampaignLoader}).
 *
 * <p>Idempotence: each script call carries the batch sequence and is skipped when the campaign
 * already has it, because Lettuce re-sends unfinished commands after a reconnect, so a batch may
 * arrive twice, or arrive after the merged batch that a repair committed in its place.
 */
public final class RedisStore implements BatchStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
    private static final String SCRIPT = readScript();
    private static final int REQUEST_QUEUE_LIMIT = 10_000;
    private static final byte[] EMPTY = new byte[0];

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commitConnection;
    private final StatefulRedisConnection<String, String> queryConnection;
    private final RedisAsyncCommands<byte[], byte[]> commitCommands;
    private final StoreCodec codec = new StoreCodec();
    private final Duration commitTimeout;
    private final Map<String, CampaignChanges> changesByCampaign = new HashMap<>();
    private List<CompletableFuture<Long>> pending = new ArrayList<>();
    private volatile String scriptSha;

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
                    sequence, campaign, journal);
            pending.add(applied.toCompletableFuture());
        }
        commitConnection.flushCommands();
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
        return changesByCampaign.computeIfAbsent(campaignId, CampaignChanges::new);
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
     * Rebuilds the book from Redis: every campaign with its claims (the folded snapshot with the
     * journal on top), one campaign at a time ({@link #recoverCampaign}). Each campaign's journal
     * is folded into its snapshot, so that the journal only ever holds what changed since the
     * last start. The report's {@link RecoveryReport#lastSequence()} is the highest batch
     * sequence Redis has seen, so that new batches are numbered above it. Must run before the
     * first commit.
     */
    public RecoveryReport recover(Book book) throws IOException {
        Set<String> campaignIds = new LinkedHashSet<>(); // a SCAN may return a key twice
        ScanIterator<String> keys = ScanIterator.scan(queryConnection.sync(),
                ScanArgs.Builder.matches(Keys.CAMPAIGN_PATTERN).limit(1000));
        while (keys.hasNext()) {
            campaignIds.add(Keys.campaignIdOf(keys.next()));
        }
        RecoveryReport total = RecoveryReport.NONE;
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
             CampaignLoader loader = new CampaignLoader(connection, codec, commitTimeout)) {
            for (String campaignId : campaignIds) {
                total = total.plus(loader.load(book, campaignId));
            }
        }
        book.recovered();
        return total;
    }

    /**
     * Loads one campaign and its claims into the book and folds its journal (see
     * {@link CampaignLoader}); {@link RecoveryReport#NONE} when Redis has no such campaign. Calls
     * {@link Book#recovered()} afterwards, so the book is ready to serve.
     */
    public RecoveryReport recoverCampaign(Book book, String campaignId) throws IOException {
        RecoveryReport report;
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
             CampaignLoader loader = new CampaignLoader(connection, codec, commitTimeout)) {
            report = loader.load(book, campaignId);
        }
        book.recovered();
        return report;
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

    private static String readScript() {
        try (InputStream in = RedisStore.class.getResourceAsStream("/lua/commit.lua")) {
            if (in == null) {
                throw new IllegalStateException("lua/commit.lua is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

        CampaignChanges(String campaignId) {
            keys = new byte[][] {utf8(Keys.sequence(campaignId)), utf8(Keys.journal(campaignId)),
                    utf8(Keys.campaign(campaignId))};
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
