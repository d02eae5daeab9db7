package org.wishengine.wish.store;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.protocol.ConnectionIntent;
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
import java.util.LinkedHashMap;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.cluster.LeaseAnswer;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.ring.BatchStore;
import org.wishengine.wish.ring.WriterFenced;

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
    private static final String SCRIPT = RedisLeases.read("/lua/commit.lua");
    private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);
    private static final String ORGS_SCRIPT = RedisLeases.read("/lua/orgs.lua");
    private static final byte[] ORGS_SCRIPT_BYTES = ORGS_SCRIPT.getBytes(StandardCharsets.UTF_8);
    private static final byte[][] ORGS_KEYS_PREFIX = {utf8(Keys.ORGS_SEQUENCE), utf8(Keys.ORGS)};
    private static final byte[] AUDIT_KEY = utf8(Keys.AUDIT);
    /** Why a batch with tree edits cannot be committed on a cluster: a node's edits go to the registry, off the ring. */
    static final String TREE_OFF_THE_RING = "on a cluster the organiser tree is edited through the registry, not the ring";
    private static final int REQUEST_QUEUE_LIMIT = 10_000;
    private static final byte[] EMPTY = new byte[0];
    /** Longest a WAIT for replicas holds a batch before the batch is failed and re-sent. */
    private static final long WAIT_MILLIS = 500;

    private final RedisLink link;
    private final StoreCodec codec = new StoreCodec();
    private final Duration commitTimeout;
    private final Map<String, CampaignChanges> changesByCampaign = new HashMap<>();
    private List<CompletableFuture<Long>> pending = new ArrayList<>();
    private final String scriptSha;
    /** The organiser-tree changes of the batch being committed (single Redis only, see {@code lua/orgs.lua}). */
    private final OrgJournal orgs = new OrgJournal();
    /** The audit records of the batch being committed, encoded (single Redis only, like {@link #orgs}). */
    private final List<byte[]> audits = new ArrayList<>();
    private final String orgsScriptSha;
    /** Multi-node mode: the node whose audit records this store appends to the cluster's trail, or null. */
    private String auditNode;
    private ClusterRegistry auditRegistry;
    /** Tells this process's audit appends from an earlier one's, whose batch sequences started over. */
    private final String auditIncarnation = Long.toHexString(new java.security.SecureRandom().nextLong());
    /** The audit records of the batch being committed in multi-node mode, encoded. */
    private final List<String> nodeAudits = new ArrayList<>();
    /** The orgs of the campaigns the batch being committed publishes, in multi-node mode (one per campaign). */
    private final List<String> publishedOrgs = new ArrayList<>();
    /** The writer lease every commit is checked against, and the epoch this engine holds of it. */
    private byte[] fenceKey;
    private byte[] fenceEpoch;
    /** Replicas that must acknowledge a batch before it counts as durable (Redis Cluster only). */
    private int minReplicaAcks;
    /**
     * Multi-node mode: each campaign is fenced by its own lease, and a commit carries the epoch
     * this node holds of it ({@link #own}); written by other threads, read by the commit stage.
     */
    private volatile boolean perCampaign;
    private final ConcurrentHashMap<String, byte[]> ownedEpochs = new ConcurrentHashMap<>();
    /** Counts {@link #disown} calls, so the commit stage forgets a disowned campaign's changes. */
    private final AtomicInteger disowned = new AtomicInteger();
    private int disownedSeen;

    private RedisStore(RedisLink link, Duration commitTimeout) {
        this.link = link;
        this.commitTimeout = commitTimeout;
        link.commitConnection.setAutoFlushCommands(false);
        if (link.cluster) {
            // Lettuce's SCRIPT LOAD on a cluster goes to every node it knows, and fails while a
            // failed one is still listed: load it on each live master instead; a replica promoted
            // later gets the source once (see commit).
            this.scriptSha = sha1Hex(SCRIPT);
            for (var master : link.masters()) {
                master.scriptLoad(SCRIPT);
            }
            this.orgsScriptSha = null; // the tree is not kept on a cluster yet
        } else {
            this.scriptSha = link.sync.scriptLoad(SCRIPT);
            this.orgsScriptSha = link.sync.scriptLoad(ORGS_SCRIPT);
        }
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
        return open(loops, clientChannelType, resources -> RedisLink.standalone(resources, redisUri, commitTimeout),
                commitTimeout, 0);
    }

    /**
     * Connects to a Redis Cluster through any of {@code seeds} (each {@code redis://host:port}), as
     * {@link #connect(String, Duration, EventLoopGroup, Class)} does to a single Redis. Every key of
     * a campaign shares its slot, so a commit is still one script call per campaign per batch.
     */
    public static RedisStore connectCluster(List<String> seeds, Duration commitTimeout, int minReplicaAcks,
                                            EventLoopGroup loops, Class<? extends Channel> clientChannelType) {
        List<RedisURI> uris = seeds.stream().map(RedisURI::create).toList();
        return open(loops, clientChannelType, resources -> RedisLink.cluster(resources, uris, commitTimeout),
                commitTimeout, minReplicaAcks);
    }

    /** Links with {@code linker} on fresh resources, which are shut down again if anything fails. */
    private static RedisStore open(EventLoopGroup loops, Class<? extends Channel> clientChannelType,
                                   java.util.function.Function<ClientResources, RedisLink> linker, Duration commitTimeout,
                                   int minReplicaAcks) {
        ClientResources resources = resources(loops, clientChannelType);
        RedisLink link;
        try {
            link = linker.apply(resources);
        } catch (RuntimeException e) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            throw e;
        }
        try {
            RedisStore store = new RedisStore(link, commitTimeout);
            store.minReplicaAcks = minReplicaAcks;
            return store;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    private static ClientResources resources(EventLoopGroup loops, Class<? extends Channel> clientChannelType) {
        boolean lend = loops != null && Transports.socketChannelClass() == clientChannelType
                && Transports.eventLoopGroupClass().isInstance(loops);
        if (loops != null && !lend) {
            LOG.info("Redis client runs on its own threads: its transport ({}) differs from the HTTP server's ({})",
                    Transports.socketChannelClass().getSimpleName(), clientChannelType);
        }
        return lend ? ClientResources.builder().eventLoopGroupProvider(new LentEventLoops(loops)).build()
                : ClientResources.create();
    }

    /** True when connected to a Redis Cluster rather than a single Redis. */
    public boolean isCluster() {
        return link.cluster;
    }

    /**
     * Makes every commit from now on carry the writer lease's key and epoch; the script writes
     * nothing unless the lease still has that epoch (see {@code lua/commit.lua}). Call once the
     * lease is taken and before the first commit.
     */
    public synchronized void fenceWith(String leaseKey, long epoch) {
        this.perCampaign = false;
        this.fenceKey = utf8(leaseKey);
        this.fenceEpoch = utf8(Long.toString(epoch));
        changesByCampaign.clear(); // their keys carry the fence key
    }

    /**
     * Multi-node mode: every commit of campaign {@code c} is checked against its own lease
     * {@code wish:{c}:owner} with the epoch this node holds of it ({@link #own}); a batch that
     * touches a campaign this node does not own is refused whole with {@link WriterFenced}
     * naming it. The node takes a campaign's lease before its first commit (even its publication),
     * so a commit never creates the owner record. Call once, before the first commit.
     */
    public synchronized void fencePerCampaign() {
        fencePerCampaign(null);
    }

    /**
     * As {@link #fencePerCampaign()}, for node {@code nodeId} (null: none), whose batches' audit
     * records go to the cluster's trail ({@link Keys#REGISTRY_AUDIT}) once every campaign commit of
     * the batch is in, each batch's at most once for this incarnation of the node.
     */
    public synchronized void fencePerCampaign(String nodeId) {
        this.auditNode = nodeId;
        this.auditRegistry = nodeId == null ? null : registry();
        this.perCampaign = true;
        this.fenceKey = null;
        this.fenceEpoch = null;
        changesByCampaign.clear();
    }

    /** Multi-node mode: this node holds campaign {@code campaignId}'s lease at {@code epoch}; commits carry it. */
    public void own(String campaignId, long epoch) {
        ownedEpochs.put(campaignId, utf8(Long.toString(epoch)));
    }

    /** Multi-node mode: this node no longer owns the campaign; a commit touching it is refused. */
    public void disown(String campaignId) {
        if (ownedEpochs.remove(campaignId) != null) {
            disowned.incrementAndGet();
        }
    }

    /** Carries this node's committed events to the other nodes' event streams (cluster mode). */
    public RedisEventRelay eventRelay(String nodeId) {
        return new RedisEventRelay(link, nodeId);
    }

    /** The cluster registry kept in this Redis (multi-node mode), on the store's query connection; one per node. */
    public ClusterRegistry registry() {
        return new ClusterRegistry(link);
    }

    /** The ids of every campaign in Redis (on a cluster, of every master). */
    public List<String> campaignIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (RedisClusterCommands<String, String> master : link.masters()) {
            ScanIterator<String> keys = ScanIterator.scan(master, ScanArgs.Builder.matches(Keys.CAMPAIGN_PATTERN).limit(1000));
            while (keys.hasNext()) {
                String key = keys.next();
                ids.add(key.substring("wish:{".length(), key.length() - "}:campaign".length()));
            }
        }
        return new ArrayList<>(ids);
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

    /** The organiser tokens issued and revoked, kept in this Redis, on the store's query connection. */
    public RedisTokenRegistry tokenRegistry(java.time.Clock clock) {
        return new RedisTokenRegistry(link.async, clock, commitTimeout);
    }

    /**
     * The audit trail kept in this Redis, on the store's query connection; null on a Redis
     * Cluster, which keeps none yet (the book's records are dropped there, see {@link #group}).
     */
    public RedisAuditTrail auditTrail() {
        return new RedisAuditTrail(link.async, link.cluster ? Keys.REGISTRY_AUDIT : Keys.AUDIT, commitTimeout);
    }

    /** The leases kept in this Redis, on the store's query connection. */
    public RedisLeases leases() {
        return new RedisLeases(link.async);
    }

    /** True when the connections run on lent event loops rather than Lettuce's own threads. */
    public boolean runsOnLentLoops() {
        return link.resources().eventLoopGroupProvider() instanceof LentEventLoops;
    }

    /**
     * True unless replicas must acknowledge: then a batch is written on each master's own
     * connection, and opening one that is not open yet (a new master after a failover) blocks the
     * caller, which must not be an event loop the connection needs (see {@link #masterOf}).
     */
    @Override
    public boolean sendsWithoutBlocking() {
        return minReplicaAcks == 0;
    }

    @Override
    public synchronized CompletionStage<Void> commitAsync(Batch batch) {
        try {
            group(batch);
            send(batch.sequence());
            return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
        } catch (RuntimeException | WriterFenced e) {
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
            // Redis restarted without its script cache (or a replica became master): send the
            // script's source this once, which caches it there again.
            send(batch.sequence(), true);
            await();
            LOG.info("Sent the commit script's source: Redis had lost it from its script cache");
        }
    }

    private void send(long batchSequence) {
        send(batchSequence, false);
    }

    /**
     * Writes one script call per campaign (with {@code EVAL} instead of {@code EVALSHA} when
     * {@code withSource}: a node that lost its script cache, or a new master after a failover, is
     * not asked to load it separately), then, when replicas must acknowledge, one {@code WAIT} per
     * master, and flushes once.
     */
    private void send(long batchSequence, boolean withSource) {
        pending = new ArrayList<>(changesByCampaign.size());
        byte[] sequence = utf8(Long.toString(batchSequence));
        Map<RedisURI, RedisClusterAsyncCommands<byte[], byte[]>> masters =
                minReplicaAcks > 0 ? new LinkedHashMap<>() : null;
        for (CampaignChanges changes : changesByCampaign.values()) {
            if (changes.isEmpty()) {
                continue;
            }
            byte[] campaign = changes.campaignJson == null ? EMPTY : utf8(changes.campaignJson);
            byte[] journal = changes.journal.isEmpty() ? EMPTY : changes.journal.toByteArray();
            byte[] entries = changes.entries.isEmpty() ? EMPTY : changes.entries.toByteArray();
            RedisClusterAsyncCommands<byte[], byte[]> via = masters == null ? link.commit : masterOf(changes, masters);
            RedisFuture<Long> applied = withSource
                    ? via.eval(SCRIPT_BYTES, ScriptOutputType.INTEGER, changes.keys, sequence, campaign, journal,
                            changes.epoch, entries)
                    : via.evalsha(scriptSha, ScriptOutputType.INTEGER, changes.keys, sequence, campaign, journal,
                            changes.epoch, entries);
            String campaignId = perCampaign ? changes.campaignId : null;
            pending.add(applied.toCompletableFuture().thenApply(answer -> checkFence(answer, campaignId)));
        }
        if (!orgs.isEmpty() || !audits.isEmpty()) {
            // In the same flush as the campaigns' commits, on the same connection: Redis applies
            // them in order, and a batch is acknowledged only once every one of them answered.
            // The audit records ride in the same call as the tree, under the same batch sequence,
            // so that a re-sent batch appends them once.
            byte[][] keys = {ORGS_KEYS_PREFIX[0], ORGS_KEYS_PREFIX[1], fenceKey, AUDIT_KEY};
            byte[][] args = new byte[3 + audits.size()][];
            args[0] = sequence;
            args[1] = orgs.isEmpty() ? EMPTY : orgs.toByteArray();
            args[2] = fenceEpoch;
            for (int i = 0; i < audits.size(); i++) {
                args[3 + i] = audits.get(i);
            }
            RedisFuture<Long> applied = withSource
                    ? link.commit.eval(ORGS_SCRIPT_BYTES, ScriptOutputType.INTEGER, keys, args)
                    : link.commit.evalsha(orgsScriptSha, ScriptOutputType.INTEGER, keys, args);
            pending.add(applied.toCompletableFuture().thenApply(answer -> checkFence(answer, null)));
        }
        if (masters != null) {
            awaitReplicas(masters.values());
        }
        link.commitConnection.flushCommands();
        if (!nodeAudits.isEmpty() || !publishedOrgs.isEmpty()) {
            // After the campaigns' commits, not beside them: a record goes in only for what was
            // committed (a fenced campaign fails the batch first). The batch is acknowledged once
            // the trail has its records, as on a single Redis.
            List<String> records = List.copyOf(nodeAudits);
            List<String> orgs = List.copyOf(publishedOrgs);
            CompletableFuture<?> committed = CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
            pending.add(committed.thenCompose(done -> auditRegistry.appendAudits(auditNode, auditIncarnation,
                    batchSequence, orgs, records)).thenApply(appended -> 1L).toCompletableFuture());
        }
    }

    /**
     * The connection to the master of the campaign's slot, as the cluster client routes to it:
     * {@code WAIT} counts the replicas that have every write made on its own connection, so the
     * writes and the {@code WAIT} must share one. Looked up per batch, so that a failover's new
     * master is used once the client's topology knows it (a write that reaches the old one fails
     * and is re-sent).
     */
    private RedisClusterAsyncCommands<byte[], byte[]> masterOf(CampaignChanges changes,
                                                               Map<RedisURI, RedisClusterAsyncCommands<byte[], byte[]>> masters) {
        RedisURI master = link.clusterCommit.getPartitions().getMasterBySlot(SlotHash.getSlot(changes.keys[0])).getUri();
        return masters.computeIfAbsent(master,
                uri -> link.clusterCommit.getConnection(uri.getHost(), uri.getPort()).async());
    }

    /**
     * Queues one {@code WAIT} per master written to: the batch counts as durable only once
     * {@link #minReplicaAcks} replicas of each master have it, so a master that dies right after
     * cannot take an acknowledged claim with it. Too few acknowledgements within the commit
     * timeout fail the batch, which the commit stage re-sends under its sequence (the script skips
     * what was applied; the WAIT runs again).
     */
    private void awaitReplicas(java.util.Collection<RedisClusterAsyncCommands<byte[], byte[]>> masters) {
        int wanted = minReplicaAcks;
        // Short, and retried: after a failover the promoted master's replicas take a moment to
        // re-attach, and the batch should go through as soon as one has, not a commit timeout later.
        long timeoutMillis = Math.max(1, Math.min(WAIT_MILLIS, commitTimeout.toMillis() - 100));
        for (RedisClusterAsyncCommands<byte[], byte[]> master : masters) {
            pending.add(master.waitForReplication(wanted, timeoutMillis).toCompletableFuture().thenApply(replicas -> {
                if (replicas < wanted) {
                    throw new CompletionException(new IllegalStateException("only " + replicas + " of " + wanted
                            + " replicas acknowledged the batch within " + timeoutMillis + " ms"));
                }
                return replicas;
            }));
        }
    }

    /**
     * Turns the script's refusals into failures: fenced for good (for {@code campaignId}'s sake in
     * multi-node mode, else null), or a lost lease record (retried).
     */
    private static Long checkFence(Long applied, String campaignId) {
        if (applied == -1L) {
            throw new CompletionException(campaignId == null
                    ? new WriterFenced("another writer holds the lease: the batch was not written")
                    : new WriterFenced("another node holds the lease of campaign " + campaignId
                            + ": the batch was not written", campaignId));
        }
        if (applied == -2L) {
            throw new CompletionException(new IllegalStateException(
                    "Redis has no writer lease record (it lost its last writes); retrying once the lease is renewed"));
        }
        return applied;
    }

    private void group(Batch batch) throws WriterFenced {
        if (disownedSeen != disowned.get()) {
            disownedSeen = disowned.get();
            changesByCampaign.keySet().retainAll(ownedEpochs.keySet()); // forget campaigns handed over
        }
        for (CampaignChanges changes : changesByCampaign.values()) {
            changes.clear();
        }
        for (Campaign campaign : batch.campaigns()) {
            changesFor(campaign.id()).campaignJson = codec.write(campaign);
        }
        for (Claim claim : batch.claims()) {
            changesFor(claim.campaignId()).journal.append(claim);
        }
        for (Entry entry : batch.entries()) {
            changesFor(entry.campaignId()).entries.append(entry);
        }
        orgs.clear();
        if (!batch.orgs().isEmpty()) {
            if (link.cluster || perCampaign || fenceEpoch == null) {
                // A cluster node decides tree edits off the ring (ClusterTree) and never sends them here.
                throw new IllegalStateException(link.cluster || perCampaign ? TREE_OFF_THE_RING
                        : "no writer lease: call fenceWith before committing");
            }
            for (org.wishengine.wish.core.Org org : batch.orgs()) {
                orgs.append(org);
            }
        }
        audits.clear();
        nodeAudits.clear();
        publishedOrgs.clear();
        if (perCampaign && auditNode != null) {
            for (org.wishengine.wish.core.AuditRecord record : batch.audits()) {
                nodeAudits.add(AuditCodec.write(record));
            }
            // The batch's campaigns are the ones it created: the registry counts each to its org
            // once it is committed (what a retirement compares with the nodes' count).
            for (Campaign campaign : batch.campaigns()) {
                if (campaign.org() != null) {
                    publishedOrgs.add(campaign.org());
                }
            }
        } else if (!batch.audits().isEmpty() && !link.cluster && !perCampaign) {
            if (fenceEpoch == null) {
                throw new IllegalStateException("no writer lease: call fenceWith before committing");
            }
            for (org.wishengine.wish.core.AuditRecord record : batch.audits()) {
                audits.add(utf8(AuditCodec.write(record)));
            }
        }
    }

    /**
     * The campaign's share of the batch being grouped; its epoch is settled on the campaign's
     * first change in the batch, so the per-claim path stays one map lookup.
     */
    private CampaignChanges changesFor(String campaignId) throws WriterFenced {
        CampaignChanges changes = changesByCampaign.get(campaignId);
        if (changes != null && !changes.isEmpty()) {
            return changes;
        }
        byte[] epoch = perCampaign ? ownedEpochs.get(campaignId) : fenceEpoch;
        if (epoch == null) {
            if (perCampaign) {
                // The ring hands a campaign over (Command.Drop) before its lease is released, so
                // this is a bug, and the batch must not be written under an epoch not held.
                throw new WriterFenced("this node does not own campaign " + campaignId
                        + ": the batch was not written", campaignId);
            }
            throw new IllegalStateException("no writer lease: call fenceWith before committing");
        }
        if (changes == null) {
            changes = new CampaignChanges(campaignId, fenceKey != null ? fenceKey : utf8(Keys.owner(campaignId)));
            changesByCampaign.put(campaignId, changes);
        }
        changes.epoch = epoch;
        return changes;
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


    /**
     * Rebuilds the book from Redis: every campaign with its claims (the folded snapshot with the
     * journal on top), one campaign at a time ({@link #recoverCampaign}). Each campaign's journal
     * is folded into its snapshot, so that the journal only ever holds what changed since the
     * last start. The report's {@link RecoveryReport#lastSequence()} is the highest batch
     * sequence Redis has seen, so that new batches are numbered above it. Must run before the
     * first commit.
     */
    public RecoveryReport recover(Book book) throws IOException {
        RecoveryReport total = RecoveryReport.NONE;
        if (!link.cluster) {
            total = recoverOrgs(book); // before any campaign, so that campaigns count to their orgs
        }
        List<String> campaignIds = campaignIds();
        if (!link.cluster) {
            try (StatefulRedisConnection<byte[], byte[]> connection = link.dedicatedConnection(null);
                 CampaignLoader loader = new CampaignLoader(connection, codec, commitTimeout)) {
                for (String campaignId : campaignIds) {
                    total = total.plus(loader.load(book, campaignId));
                }
            }
        } else {
            for (String campaignId : campaignIds) {
                total = total.plus(load(book, campaignId));
            }
        }
        book.recovered();
        return total;
    }

    /**
     * Restores the organiser tree from {@link Keys#ORGS}, newest element first (the book keeps
     * the first state it is given of each org); the report carries the last batch sequence that
     * changed the tree, so that new batches are numbered above it.
     */
    private RecoveryReport recoverOrgs(Book book) throws IOException {
        String sequence = link.sync.get(Keys.ORGS_SEQUENCE);
        List<String> elements = link.sync.lrange(Keys.ORGS, 0, -1);
        for (int e = elements.size() - 1; e >= 0; e--) {
            List<org.wishengine.wish.core.Org> written;
            try {
                written = OrgJournal.read(utf8(elements.get(e)));
            } catch (IllegalArgumentException bad) {
                throw new IOException("element " + e + " of " + Keys.ORGS + " is damaged", bad);
            }
            for (int i = written.size() - 1; i >= 0; i--) {
                book.restore(written.get(i));
            }
        }
        return new RecoveryReport(0, 0, 0, sequence == null ? 0 : Keys.batchSequence(sequence), 0, 0, 0, 0);
    }

    /**
     * Loads one campaign and its claims into the book and folds its journal (see
     * {@link CampaignLoader}); {@link RecoveryReport#NONE} when Redis has no such campaign. Calls
     * {@link Book#recovered()} afterwards, so the book is ready to serve.
     */
    public RecoveryReport recoverCampaign(Book book, String campaignId) throws IOException {
        RecoveryReport report = load(book, campaignId);
        book.recovered();
        return report;
    }

    /** Loads one campaign on a connection of its own to the Redis (on a cluster, the master) that holds it. */
    private RecoveryReport load(Book book, String campaignId) throws IOException {
        try (StatefulRedisConnection<byte[], byte[]> connection = link.dedicatedConnection(Keys.campaign(campaignId));
             CampaignLoader loader = new CampaignLoader(connection, codec, commitTimeout)) {
            return loader.load(book, campaignId);
        }
    }

    /** Completes with true when Redis answers a PING within the timeout, false otherwise. */
    public CompletionStage<Boolean> ping(Duration timeout) {
        try {
            return link.async.ping().toCompletableFuture()
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
        link.resources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionDeactivatedEvent) {
                disconnected.run();
            } else if (event instanceof ConnectionActivatedEvent) {
                reconnected.run();
            }
        });
    }

    /** A synchronous connection for tools and tests that read what was committed. */
    public RedisClusterCommands<String, String> sync() {
        return link.sync;
    }

    @Override
    public void close() {
        link.close();
    }

    private static String sha1Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
        final String campaignId;
        final byte[][] keys;
        final ClaimJournal journal = new ClaimJournal();
        final EntryJournal entries = new EntryJournal();
        String campaignJson;
        /** The lease epoch this batch's commit of the campaign carries. */
        byte[] epoch;

        CampaignChanges(String campaignId, byte[] fenceKey) {
            this.campaignId = campaignId;
            keys = new byte[][] {utf8(Keys.sequence(campaignId)), utf8(Keys.journal(campaignId)),
                    utf8(Keys.campaign(campaignId)), fenceKey, utf8(Keys.entries(campaignId))};
        }

        boolean isEmpty() {
            return campaignJson == null && journal.isEmpty() && entries.isEmpty();
        }

        void clear() {
            campaignJson = null;
            journal.clear();
            entries.clear();
        }
    }
}
