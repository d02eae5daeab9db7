package org.wishengine.wish;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.cluster.ClusterDirectory;
import org.wishengine.wish.cluster.LeaseAnswer;
import org.wishengine.wish.cluster.LeaseHolder;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.cluster.NodeRecord;
import org.wishengine.wish.cluster.NodeRouting;
import org.wishengine.wish.cluster.OwnershipTable;
import org.wishengine.wish.cluster.Placement;
import org.wishengine.wish.cluster.Reservation;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.ClaimBlocks;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.metrics.EngineMetrics;
import org.wishengine.wish.ring.CommandFuture;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.store.ClusterRegistry;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.RedisLeases;
import org.wishengine.wish.store.RedisStore;

/**
 * One engine node of a cluster: it announces itself in the registry, takes the campaigns
 * {@link Placement} gives it (taking each one's lease, loading its book from Redis, handing it to
 * the ring), renews their leases, hands campaigns over cleanly when a node joins, and answers the
 * HTTP edge where each request is to be settled ({@link NodeRouting}).
 *
 * <p>Every change of the {@link OwnershipTable} happens on one thread ({@code wish-cluster}); Redis
 * answers and ring completions hop onto it. Loading a campaign (blocking reads) runs on a thread
 * of its own, so that a big takeover never holds back renewals.
 *
 * <p>A node that loses a lease it holds (it was paused or cut off for longer than the lease, and
 * another node took the campaign) stops writing altogether: its writer is fenced, it releases
 * every lease it still holds and leaves the registry, so the other nodes take its campaigns at
 * once; it must be restarted to serve again. Its commits could not have gone through anyway (each
 * is checked against the campaign's epoch by Redis); this makes it stop answering for campaigns
 * whose books it can no longer trust.
 */
final class ClusterNode implements NodeRouting, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final long TICK_MILLIS = 100;
    private static final long RETRY_MILLIS = 100;
    /** How long one Redis call or ring hand-off of a tree edit may take. */
    private static final Duration TREE_TIMEOUT = Duration.ofSeconds(5);

    private final NodeIdentity me;
    private final String url;
    private final Duration lease;
    private final RedisStore store;
    private final RedisLeases leases;
    private final ClusterRegistry registry;
    private final ClusterDirectory directory;
    private final OwnershipTable table;
    private final CommandGateway gateway;
    private final EngineMetrics metrics;
    private final java.time.Clock clock;
    private final int expirySpeedup;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "wish-cluster");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService loader = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "wish-campaign-loader");
        t.setDaemon(true);
        return t;
    });
    /** The live node ids of the last heartbeat (this one included). Written on the cluster thread. */
    private volatile List<String> live = List.of();
    /** Every campaign the registry knows, as of the last tick; read by event loops too. */
    private volatile Collection<String> campaigns = List.of();
    /** True while a tick's heartbeat is unanswered, so that a slow Redis does not pile them up. */
    private boolean ticking;
    /** Whether the last tick found a lease it could not confirm (logged when it changes). */
    private boolean wasUnsure;
    private volatile boolean left;
    /** This node's copy of the organiser tree, and where tree edits are decided. */
    private final ClusterTree tree;

    ClusterNode(NodeIdentity me, String url, Duration lease, RedisStore store, CommandGateway gateway,
                EngineMetrics metrics, java.time.Clock clock, int expirySpeedup) {
        this.me = me;
        this.url = url;
        this.lease = lease;
        this.store = store;
        this.leases = store.leases();
        this.registry = store.registry();
        this.directory = new ClusterDirectory(registry);
        this.table = new OwnershipTable(me.nodeId(), lease.toNanos());
        this.gateway = gateway;
        this.metrics = metrics;
        this.clock = clock;
        this.expirySpeedup = expirySpeedup;
        this.tree = new ClusterTree(registry, gateway, clock, TREE_TIMEOUT);
    }

    /** What the node's book calls when a campaign runs short of claim numbers (the ring thread). */
    void blockWanted(String campaignId) {
        registry.grantBlock(campaignId).whenComplete((block, failure) -> {
            if (failure != null) {
                LOG.warn("No block of claim numbers for campaign {} yet ({}); asking again", campaignId,
                        failure.toString());
                thread.schedule(() -> blockWanted(campaignId), RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            directory.rememberBlock(block, campaignId);
            grant(campaignId, block);
        });
    }

    private void grant(String campaignId, long block) {
        CommandGateway.Admission admission = gateway.publish(new Command.GrantBlock(campaignId, block, clock.millis()),
                new CommandFuture());
        if (admission == CommandGateway.Admission.RING_FULL || admission == CommandGateway.Admission.STORE_DOWN) {
            thread.schedule(() -> grant(campaignId, block), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Joins the cluster: the first heartbeat now, then a tick every {@value #TICK_MILLIS} ms. */
    void start() throws Exception {
        // The tree before any campaign: a campaign counts to its org only if the book holds it.
        tree.start();
        List<NodeRecord> nodes = registry.heartbeat(me.nodeId(), url, heartbeatMillis()).toCompletableFuture().join();
        directory.refresh(nodes, registry.campaigns().toCompletableFuture().join());
        live = ids(nodes);
        LOG.info("Node {} joined the cluster at {}; live nodes: {}", me.nodeId(), url, live);
        thread.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * How long a heartbeat says this node is alive: half a lease. The others stop counting a dead
     * node then and start asking for its campaigns, which they get the moment its leases run out,
     * so a takeover waits for the lease alone; a node paused for longer than this but shorter than
     * its lease loses nothing (its leases hold, the others' requests for them are refused).
     */
    private long heartbeatMillis() {
        return Math.max(1, lease.toMillis() / 2);
    }

    private static List<String> ids(List<NodeRecord> nodes) {
        List<String> ids = new ArrayList<>(nodes.size());
        nodes.forEach(node -> ids.add(node.nodeId()));
        return ids;
    }

    private void tick() {
        if (left) {
            return;
        }
        if (gateway.writer().isFenced()) {
            leave("its writer was fenced");
            return;
        }
        boolean unsure = table.anyUnsure(System.nanoTime());
        if (unsure != wasUnsure) {
            wasUnsure = unsure;
            if (unsure) {
                LOG.warn("Node {} cannot confirm a lease it holds (a renewal is unanswered for a lease's length): "
                        + "it holds back answers and heartbeats until one is", me.nodeId());
            } else {
                LOG.info("Node {} confirmed its leases again", me.nodeId());
            }
        }
        if (ticking || unsure) {
            // Renewals go on from the last view while the registry is slow; and a node that cannot
            // be sure of a lease it holds (it was paused, or Redis did not answer) does not say it
            // is alive until a renewal settles it: woken after another node took a campaign, it would
            // otherwise draw campaigns back to itself for the moment before it learns it is fenced.
            plan();
            return;
        }
        ticking = true;
        registry.treeVersion().thenAccept(tree::versionSeen);
        registry.heartbeat(me.nodeId(), url, heartbeatMillis())
                .thenCombine(registry.campaigns(), (nodes, known) -> {
                    thread.execute(() -> {
                        ticking = false;
                        directory.refresh(nodes, known);
                        List<String> seen = ids(nodes);
                        if (seen.size() != live.size() || !live.containsAll(seen)) {
                            // A node missing from one heartbeat to the next moves campaigns: worth a line.
                            LOG.info("Node {} sees live nodes {} (before: {})", me.nodeId(), seen, live);
                        }
                        live = seen;
                        campaigns = known.keySet();
                        plan();
                    });
                    return null;
                })
                .exceptionally(failure -> {
                    thread.execute(() -> {
                        ticking = false;
                        metrics.clusterHeartbeatFailed();
                        plan();
                    });
                    return null;
                });
    }

    private void plan() {
        if (left) {
            return;
        }
        for (OwnershipTable.Step step : table.plan(System.nanoTime(), live, campaigns)) {
            if (step instanceof OwnershipTable.Acquire) {
                acquire(step.campaignId());
            } else if (step instanceof OwnershipTable.Renew renew) {
                renew(renew.campaignId(), renew.epoch());
            } else if (step instanceof OwnershipTable.HandOver handOver) {
                handOver(handOver.campaignId(), handOver.to(), handOver.epoch());
            }
        }
    }

    // ---------------------------------------------------------------- taking a campaign

    private void acquire(String campaignId) {
        long sentAt = System.nanoTime();
        leases.acquire(Keys.owner(campaignId), me, lease).whenComplete((answer, failure) -> thread.execute(() -> {
            if (failure != null) {
                table.release(campaignId);
                return;
            }
            table.acquired(campaignId, answer, sentAt);
            if (table.phase(campaignId) == OwnershipTable.Phase.LOADING) {
                store.own(campaignId, answer.holder().epoch());
                long started = System.nanoTime();
                loader.execute(() -> load(campaignId, answer.holder().epoch(), started));
            }
        }));
    }

    /** Reads the campaign from Redis (off the cluster thread) and hands it to the ring. */
    private void load(String campaignId, long epoch, long started) {
        CampaignView view;
        List<Claim> claims;
        List<Entry> entries;
        try {
            Book scratch = new Book(expirySpeedup);
            store.recoverCampaign(scratch, campaignId);
            view = scratch.campaign(campaignId);
            claims = view == null ? List.of() : scratch.claimsOfCampaign(campaignId);
            entries = scratch.entriesOfCampaign(campaignId);
        } catch (Exception | Error e) {
            LOG.warn("Could not load campaign {} after taking its lease ({}); letting it go", campaignId, e.toString());
            thread.execute(() -> letGo(campaignId, epoch));
            return;
        }
        if (view == null) {
            // Being published right now: there is nothing to load, and its first commit carries our epoch.
            thread.execute(() -> adopted(campaignId, 0, started));
            return;
        }
        Campaign campaign = view.campaign();
        directory.remember(campaign);
        if (campaign.org() != null && !tree.knows(campaign.org())) {
            try {
                // An org made moments ago on another node: the book must hold it before the
                // campaign, or the campaign would count to no org and no organiser could reach it.
                tree.catchUp().toCompletableFuture().get(TREE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("Could not read the organiser tree for campaign {} ({}); letting it go", campaignId,
                        e.toString());
                thread.execute(() -> letGo(campaignId, epoch));
                return;
            }
        }
        long block;
        try {
            // A fresh block goes in right behind the book, so that the first claims after the
            // takeover need not wait for one (a block the campaign never uses is merely skipped).
            block = grantBlock(campaignId).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("No block of claim numbers for campaign {} ({}); letting it go", campaignId, e.toString());
            thread.execute(() -> letGo(campaignId, epoch));
            return;
        }
        CommandFuture done = new CommandFuture();
        CommandGateway.Admission admission = gateway.publish(new Command.Adopt(campaign, claims, entries, clock.millis()), done);
        if (admission != CommandGateway.Admission.ACCEPTED) {
            LOG.warn("Could not hand campaign {} to the ring ({}); letting it go", campaignId, admission);
            thread.execute(() -> letGo(campaignId, epoch));
            return;
        }
        // Published before the campaign is served, so every claim for it comes after the grant.
        grant(campaignId, block);
        int count = claims.size();
        done.settled().whenComplete((reply, failure) -> thread.execute(() -> {
            if (failure != null) {
                letGo(campaignId, epoch);
            } else {
                adopted(campaignId, count, started);
            }
        }));
    }

    private void adopted(String campaignId, int claims, long started) {
        table.adopted(campaignId);
        if (!table.isServing(campaignId)) {
            return;
        }
        registry.setOwnerHint(campaignId, me.nodeId());
        metrics.clusterTakeover();
        LOG.info("Node {} serves campaign {} ({} claims loaded in {} ms)", me.nodeId(), campaignId, claims,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Gives up a campaign this node took the lease of but could not load. */
    private void letGo(String campaignId, long epoch) {
        table.release(campaignId);
        store.disown(campaignId);
        gateway.publish(new Command.Drop(campaignId, clock.millis()), new CommandFuture());
        leases.release(Keys.owner(campaignId), me, epoch);
    }

    // ---------------------------------------------------------------- holding and giving up

    private void renew(String campaignId, long epoch) {
        leases.renew(Keys.owner(campaignId), me, epoch, lease).whenComplete((answer, failure) -> thread.execute(() -> {
            if (failure != null) {
                table.renewalFailed(campaignId);
                metrics.leaseRenewalFailed();
                return;
            }
            LeaseHolder taker = table.renewed(campaignId, answer);
            if (taker == null) {
                metrics.leaseRenewed();
                return;
            }
            metrics.leaseLost();
            store.disown(campaignId);
            gateway.writer().fence("node " + me.nodeId() + " lost campaign " + campaignId + "'s lease to "
                    + taker.describe());
            LOG.error("Node {} lost campaign {} to {}: it was cut off or paused for longer than its lease. It writes "
                    + "nothing more, gives up its other campaigns and must be restarted", me.nodeId(), campaignId,
                    taker.describe());
            leave("it lost a campaign's lease");
        }));
    }

    private void handOver(String campaignId, String to, long epoch) {
        long started = System.nanoTime();
        CommandFuture done = new CommandFuture();
        CommandGateway.Admission admission = gateway.publish(new Command.Drop(campaignId, clock.millis()), done);
        if (admission != CommandGateway.Admission.ACCEPTED) {
            LOG.warn("Could not hand campaign {} over to {} ({}); keeping it for now", campaignId, to, admission);
            table.handOverFailed(campaignId);
            return;
        }
        done.settled().whenComplete((reply, failure) -> thread.execute(() -> {
            // Everything settled for the campaign before the drop is durable now: nothing of ours can
            // follow the successor's first commit. Without a durable drop (this writer fenced or
            // shut down) the lease goes all the same: a late write of ours carries the old epoch,
            // which the store refuses once the successor holds the lease.
            store.disown(campaignId);
            table.handedOver(campaignId, System.nanoTime());
            leases.release(Keys.owner(campaignId), me, epoch);
            metrics.clusterHandOver();
            if (failure == null) {
                LOG.info("Node {} handed campaign {} over to node {} in {} ms", me.nodeId(), campaignId, to,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } else {
                LOG.warn("Node {} let campaign {} go to node {} without a durable hand-over ({})", me.nodeId(),
                        campaignId, to, failure.toString());
            }
        }));
    }

    /** Stops serving: releases every lease still held and leaves the registry, so others take over at once. */
    private void leave(String why) {
        if (left) {
            return;
        }
        left = true;
        LOG.warn("Node {} leaves the cluster: {}", me.nodeId(), why);
        letAllGo();
    }

    /**
     * Releases every lease this node holds and takes it out of the registry, so the others take
     * its campaigns at once. Returns what is still on its way to Redis, for a caller that waits.
     */
    private CompletableFuture<Void> letAllGo() {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (String campaignId : table.leased()) {
            long epoch = table.release(campaignId);
            store.disown(campaignId);
            sent.add(leases.release(Keys.owner(campaignId), me, epoch).toCompletableFuture());
        }
        sent.add(registry.leave(me.nodeId()).toCompletableFuture());
        return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]));
    }

    // ---------------------------------------------------------------- routing (any thread)

    @Override
    public String nodeId() {
        return me.nodeId();
    }

    @Override
    public boolean isServing(String campaignId) {
        return table.isServing(campaignId);
    }

    @Override
    public OwnershipTable.Verdict verdict(String campaignId, boolean notFound) {
        return table.verdict(campaignId, System.nanoTime(), notFound);
    }

    @Override
    public String ownerOf(String campaignId) {
        OwnershipTable.Phase phase = table.phase(campaignId);
        if (phase == OwnershipTable.Phase.SERVING || phase == OwnershipTable.Phase.LOADING
                || phase == OwnershipTable.Phase.ACQUIRING) {
            return me.nodeId();
        }
        if (phase == OwnershipTable.Phase.HANDING_OVER) {
            List<String> others = new ArrayList<>(live);
            others.remove(me.nodeId());
            return Placement.owner(campaignId, others);
        }
        // Placement, not the owner Redis names: while a campaign moves to a node that joined, its
        // requests wait on the new node (which takes it as soon as the old one lets go) instead of
        // meeting the old one half-way through the hand-over.
        return Placement.owner(campaignId, liveWithMe());
    }

    @Override
    public CompletionStage<Void> serveSoon(String campaignId, long deadlineNanos) {
        CompletableFuture<Void> served = new CompletableFuture<>();
        thread.execute(() -> serveSoon(campaignId, deadlineNanos, served));
        return served;
    }

    private void serveSoon(String campaignId, long deadlineNanos, CompletableFuture<Void> served) {
        if (table.isServing(campaignId)) {
            served.complete(null);
            return;
        }
        OwnershipTable.Phase phase = table.phase(campaignId);
        if (left || phase == OwnershipTable.Phase.HANDING_OVER
                || (phase == null && !me.nodeId().equals(Placement.owner(campaignId, liveWithMe())))) {
            served.completeExceptionally(new OwnershipTable.NotServed(campaignId));
            return;
        }
        if (phase == null) {
            OwnershipTable.Acquire step = table.take(campaignId);
            if (step != null) {
                acquire(campaignId);
            }
        }
        CompletableFuture<Void> waiting = table.whenServing(campaignId);
        if (waiting == null) {
            retryServe(campaignId, deadlineNanos, served);
            return;
        }
        waiting.whenComplete((ok, failure) -> {
            if (failure == null) {
                served.complete(null);
            } else {
                thread.execute(() -> retryServe(campaignId, deadlineNanos, served));
            }
        });
    }

    /** The campaign's lease is still held elsewhere (its owner is handing it over or its lease runs out). */
    private void retryServe(String campaignId, long deadlineNanos, CompletableFuture<Void> served) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            served.completeExceptionally(new OwnershipTable.NotServed(campaignId));
            return;
        }
        thread.schedule(() -> serveSoon(campaignId, deadlineNanos, served),
                Math.min(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS), left), TimeUnit.NANOSECONDS);
    }

    private List<String> liveWithMe() {
        List<String> nodes = live;
        if (nodes.contains(me.nodeId())) {
            return nodes;
        }
        List<String> with = new ArrayList<>(nodes);
        with.add(me.nodeId());
        return with;
    }

    @Override
    public CompletionStage<Boolean> isRegistered(String campaignId) {
        if (campaigns.contains(campaignId)) {
            return CompletableFuture.completedFuture(true);
        }
        return registry.isRegistered(campaignId);
    }

    @Override
    public URI urlOf(String nodeId) {
        String found = nodeId.equals(me.nodeId()) ? url : directory.urlOf(nodeId);
        return found == null ? null : URI.create(found);
    }

    @Override
    public List<URI> liveNodes() {
        Map<String, String> nodes = directory.nodes();
        List<URI> urls = new ArrayList<>(nodes.size());
        nodes.values().forEach(u -> urls.add(URI.create(u)));
        return urls;
    }

    @Override
    public String knownCampaignOfWish(String wishId) {
        return directory.knownCampaignOfWish(wishId);
    }

    @Override
    public String knownCampaignOfClaim(long claimNumber) {
        return directory.knownCampaignOfBlock(ClaimBlocks.blockOf(claimNumber));
    }

    @Override
    public CompletionStage<String> campaignOfWish(String wishId) {
        return directory.campaignOfWish(wishId);
    }

    @Override
    public CompletionStage<String> campaignOfClaim(long claimNumber) {
        return directory.campaignOfBlock(ClaimBlocks.blockOf(claimNumber));
    }

    @Override
    public CompletionStage<Campaign> reserve(Campaign draft) {
        return registry.reserve(draft).thenApply(reservation -> {
            if (reservation instanceof Reservation.Reserved reserved) {
                directory.remember(reserved.campaign());
                return reserved.campaign();
            }
            if (reservation instanceof Reservation.RetiredOrg retired) {
                throw new CompletionException(new OrgRetired(retired.org()));
            }
            throw new CompletionException(new IdTaken(((Reservation.Conflict) reservation).id()));
        });
    }

    @Override
    public CompletionStage<Long> grantBlock(String campaignId) {
        return registry.grantBlock(campaignId).thenApply(block -> {
            directory.rememberBlock(block, campaignId);
            return block;
        });
    }

    @Override
    public boolean knowsOrg(String orgId) {
        return tree.knows(orgId);
    }

    @Override
    public CompletionStage<Void> learnTree() {
        return tree.catchUp();
    }

    @Override
    public CompletionStage<org.wishengine.wish.core.Reply> editTree(Command edit,
                                                                  org.wishengine.wish.cluster.OrgHoldings holdings) {
        return tree.edit(edit, holdings);
    }

    /** Campaigns this node serves now, for the metrics. */
    int servedCampaigns() {
        return table.serving().size();
    }

    /**
     * Leaves the cluster after the engine drained its ring: every campaign's lease is released
     * (all its commits are durable), so the other nodes take them at once instead of after the lease.
     */
    @Override
    public void close() {
        tree.close();
        thread.shutdownNow();
        loader.shutdownNow();
        if (!left) {
            left = true;
            try {
                letAllGo().get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Releasing the leases or leaving the registry failed: {}", e.toString());
            }
        }
    }
}
