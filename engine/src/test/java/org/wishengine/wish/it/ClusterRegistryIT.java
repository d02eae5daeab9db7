package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.cluster.LeaseAnswer;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.cluster.NodeRecord;
import org.wishengine.wish.cluster.Reservation;
import org.wishengine.wish.core.AuditRecord;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.ring.WriterFenced;
import org.wishengine.wish.store.AuditCodec;
import org.wishengine.wish.store.ClusterRegistry;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.RedisStore;

/**
 * The cluster registry ({@code lua/registry.lua}) and per-campaign fencing of commits on a real
 * Redis Cluster of three masters, one for the class: heartbeats judged by Redis's clock, atomic
 * id reservations, unique block grants, and a node's commits refused once another node took the
 * campaign's lease.
 */
@Timeout(120)
class ClusterRegistryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path tmp;

    private static RedisCluster cluster;
    private static RedisStore store;
    private static ClusterRegistry registry;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(tmp.resolve("cluster"), 3, 0);
        store = RedisStore.connectCluster(cluster.seedUris(), TIMEOUT, 0, null, null);
        registry = store.registry();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** Every test starts from an empty registry (all its keys share one slot, so one DEL). */
    @BeforeEach
    void emptyRegistry() {
        store.sync().del(Keys.REGISTRY_NODES, Keys.REGISTRY_CAMPAIGNS, Keys.REGISTRY_WISHES, Keys.REGISTRY_BLOCKS,
                Keys.REGISTRY_COUNTERS, Keys.REGISTRY_ORGS, Keys.REGISTRY_ORG_CAMPAIGNS, Keys.REGISTRY_RETIRED_ORGS,
                Keys.REGISTRY_AUDIT, Keys.REGISTRY_AUDIT_SEQUENCE);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static Campaign draft(String campaignId, String... wishIds) {
        List<WishSpec> wishes = new ArrayList<>();
        for (String wishId : wishIds) {
            wishes.add(new WishSpec(wishId, "wish #" + wishes.size(), 2, null, null, null, null));
        }
        return new Campaign(campaignId, "campaign", 1_000, 1, 24, 0, wishes);
    }

    private static Campaign reserved(Campaign draft) {
        return assertInstanceOf(Reservation.Reserved.class, join(registry.reserve(draft))).campaign();
    }

    private static Set<String> ids(List<NodeRecord> nodes) {
        Set<String> ids = new HashSet<>();
        nodes.forEach(node -> ids.add(node.nodeId()));
        return ids;
    }

    @Test
    void shouldListLiveNodesAndForgetOnesWhoseHeartbeatRanOutByRedisTime() throws Exception {
        List<NodeRecord> first = join(registry.heartbeat("node-a", "http://10.0.0.1:8080", 60_000));
        assertEquals(1, first.size());
        assertEquals("node-a", first.get(0).nodeId());
        assertEquals("http://10.0.0.1:8080", first.get(0).url());
        String redisNow = store.sync().time().get(0); // seconds
        assertTrue(Math.abs(first.get(0).expiresAt() - (Long.parseLong(redisNow) * 1000 + 60_000)) < 5_000,
                () -> "expires a ttl after Redis's now: " + first.get(0));

        List<NodeRecord> both = join(registry.heartbeat("node-b", "http://10.0.0.2:8080", 300));
        assertEquals(Set.of("node-a", "node-b"), ids(both));

        // b stops beating: once Redis's clock passes its expiry, a's next heartbeat prunes it.
        long expires = both.stream().filter(n -> n.nodeId().equals("node-b")).findFirst().orElseThrow().expiresAt();
        GrabSupport.await("node-b to expire", Duration.ofSeconds(10),
                () -> ids(join(registry.heartbeat("node-a", "http://10.0.0.1:8080", 60_000))).equals(Set.of("node-a")));
        assertNull(store.sync().hget(Keys.REGISTRY_NODES, "node-b"), "the expired entry was deleted");
        List<String> time = store.sync().time();
        assertTrue(Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000 >= expires,
                "pruned only once Redis's clock passed the expiry");

        assertTrue(join(registry.leave("node-a")));
        assertEquals(Set.of("node-c"), ids(join(registry.heartbeat("node-c", "http://10.0.0.3:8080", 60_000))),
                "a node that left is gone at once");
    }

    @Test
    void shouldCommitATreeEditOnlyAtTheVersionItWasJudgedAgainst() {
        Org district = new Org("district", "District", null);
        AuditRecord created = new AuditRecord(1_000, AuditRecord.ADMIN, AuditRecord.ORG_CREATE, "district", null,
                "district", "District");
        assertEquals(new ClusterRegistry.TreeCommit.Committed(1),
                join(registry.commitTree(0, List.of(district), created, List.of(), List.of(), List.of())));
        // A second node judged its edit against the empty tree too: refused, nothing written.
        assertEquals(new ClusterRegistry.TreeCommit.Stale(1), join(registry.commitTree(0,
                List.of(new Org("other", "Other", null)), null, List.of(), List.of(), List.of())));
        Org town = new Org("town", "Town", "district");
        assertEquals(new ClusterRegistry.TreeCommit.Committed(2),
                join(registry.commitTree(1, List.of(town), null, List.of(), List.of(), List.of())));
        assertEquals(2L, join(registry.treeVersion()));
        assertEquals(List.of(List.of(district), List.of(town)), join(registry.treeSince(0)));
        assertEquals(List.of(List.of(town)), join(registry.treeSince(1)));
        assertEquals(List.of(AuditCodec.write(created)), store.sync().lrange(Keys.REGISTRY_AUDIT, 0, -1),
                "the edit's audit record went in with it, and only the committed edit's");
    }

    @Test
    void shouldRetireAnOrgOnlyWhenTheNodesCountedEveryCampaignPublishedUnderIt() {
        Org town = new Org("town", "Town", null);
        join(registry.commitTree(0, List.of(town), null, List.of(), List.of(), List.of()));
        AuditRecord published = new AuditRecord(2_000, AuditRecord.ADMIN, AuditRecord.PUBLISH, "town", "c-1", "c-1",
                "1 wishes");
        assertTrue(join(registry.appendAudits("n1", "inc-a", 7, List.of("town"), List.of(AuditCodec.write(published)))));
        assertFalse(join(registry.appendAudits("n1", "inc-a", 7, List.of("town"), List.of(AuditCodec.write(published)))),
                "a batch re-sent under its sequence adds nothing");
        assertTrue(join(registry.appendAudits("n1", "inc-b", 7, List.of(), List.of())),
                "a restarted node's sequences start over under a new incarnation");
        assertEquals(1L, store.sync().llen(Keys.REGISTRY_AUDIT));
        assertEquals("1", store.sync().hget(Keys.REGISTRY_ORG_CAMPAIGNS, "town"));

        Org retired = new Org("town", "Town", null, true);
        // The nodes counted no campaign of the town: one is on a node that is down, or moving.
        assertEquals(new ClusterRegistry.TreeCommit.Uncounted("town"),
                join(registry.commitTree(1, List.of(retired), null, List.of("town"), List.of(0L), List.of())));
        assertEquals(1L, join(registry.treeVersion()), "nothing written");
        assertEquals(new ClusterRegistry.TreeCommit.Committed(2),
                join(registry.commitTree(1, List.of(retired), null, List.of("town"), List.of(1L), List.of())));
        Campaign underTown = new Campaign(null, "T", 0, 1, 24, 0,
                List.of(new WishSpec(null, "W", 1, null, null, null, null)), null, "town");
        assertEquals(new Reservation.RetiredOrg("town"), join(registry.reserve(underTown)),
                "no new campaign for a retired org");
        assertEquals(new ClusterRegistry.TreeCommit.Committed(3),
                join(registry.commitTree(2, List.of(town), null, List.of(), List.of(), List.of("town"))));
        assertInstanceOf(Reservation.Reserved.class, join(registry.reserve(underTown)), "live again");
    }

    @Test
    void shouldReserveAutomaticIdsSkippingTakenOnes() {
        Campaign explicit = reserved(draft("c-2", "w-2", "w-3"));
        assertEquals("c-2", explicit.id());

        Campaign first = reserved(draft(null, null, null));
        assertEquals("c-1", first.id());
        assertEquals(List.of("w-1", "w-4"), first.wishes().stream().map(WishSpec::id).toList(),
                "w-2 and w-3 are taken");
        assertEquals("wish #1", first.wishes().get(1).title(), "the specs are kept, only ids are set");
        Campaign second = reserved(draft(null, "w-5", null));
        assertEquals("c-3", second.id(), "c-2 is taken");
        assertEquals(List.of("w-5", "w-6"), second.wishes().stream().map(WishSpec::id).toList(),
                "an automatic id never repeats an explicit one of the same draft");

        assertEquals("c-1", join(registry.campaignOfWish("w-4")));
        assertEquals("c-3", join(registry.campaignOfWish("w-6")));
        assertNull(join(registry.campaignOfWish("w-99")));
        assertEquals(Map.of("c-1", "", "c-2", "", "c-3", ""), join(registry.campaigns()));
    }

    @Test
    void shouldRefuseWishIdsOfAnotherCampaignOrRepeatedButAcceptARetriedPublish() {
        Campaign north = reserved(draft("c-north", "n-1", "n-2"));
        assertEquals(List.of("n-1", "n-2"), north.wishes().stream().map(WishSpec::id).toList());

        assertEquals(new Reservation.Conflict("n-2"), join(registry.reserve(draft("c-south", "s-1", "n-2"))));
        assertEquals(new Reservation.Conflict("n-1"), join(registry.reserve(draft(null, "n-1"))));
        assertEquals(new Reservation.Conflict("s-1"), join(registry.reserve(draft("c-south", "s-1", "s-1"))));
        assertNull(join(registry.campaignOfWish("s-1")), "a conflict reserves nothing");
        assertNull(join(registry.campaigns()).get("c-south"));

        assertEquals(north, reserved(draft("c-north", "n-1", "n-2")), "the retry of a publish succeeds");
        join(registry.setOwnerHint("c-north", "node-a"));
        reserved(draft("c-north", "n-1", "n-2"));
        assertEquals("node-a", join(registry.campaigns()).get("c-north"), "a retry keeps the owner hint");
        assertEquals(new Reservation.Conflict("s-9"), join(registry.reserve(draft("c-west", "s-9", "s-9"))));
        reserved(draft("c-south", "s-9"));
        assertEquals(new Reservation.Conflict("s-9"), join(registry.reserve(draft("c-north", "n-1", "s-9"))),
                "a retried campaign id still cannot take another campaign's wish");
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentReservationsHaveAWishId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String wish = "contested-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Reservation>> answers = new ArrayList<>();
                for (String campaign : List.of("c-left-" + round, "c-right-" + round)) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return join(registry.reserve(draft(campaign, "own-" + campaign, wish)));
                    }));
                }
                start.countDown();
                List<Reservation> results = new ArrayList<>();
                for (Future<Reservation> answer : answers) {
                    results.add(answer.get(10, TimeUnit.SECONDS));
                }
                List<Reservation> winners = results.stream().filter(r -> r instanceof Reservation.Reserved).toList();
                assertEquals(1, winners.size(), () -> "one winner: " + results);
                assertTrue(results.contains(new Reservation.Conflict(wish)), results::toString);
                String winner = ((Reservation.Reserved) winners.get(0)).campaign().id();
                assertEquals(winner, join(registry.campaignOfWish(wish)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldGrantEveryBlockOnceUnderConcurrency() throws Exception {
        int threads = 8;
        int grants = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> granted = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String campaign = "c-blocks-" + t;
                granted.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < grants; i++) {
                        mine.add(join(registry.grantBlock(campaign)));
                    }
                    return mine;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (int t = 0; t < threads; t++) {
                for (long block : granted.get(t).get(60, TimeUnit.SECONDS)) {
                    assertTrue(block >= 1, "block " + block);
                    assertTrue(all.add(block), "block " + block + " granted twice");
                    assertEquals("c-blocks-" + t, join(registry.campaignOfBlock(block)));
                }
            }
            assertEquals(threads * grants, all.size());
        } finally {
            pool.shutdownNow();
        }
        assertNull(join(registry.campaignOfBlock(threads * grants + 1)), "no such block yet");
    }

    @Test
    void shouldSendTheScriptAgainWhenRedisLostItsScriptCache() {
        store.sync().scriptFlush(); // every master, as after a restart or a replica's promotion
        assertEquals(1, join(registry.heartbeat("node-a", "http://10.0.0.1:8080", 60_000)).size());
        assertEquals(1L, join(registry.grantBlock("c-a")));
    }

    @Test
    void shouldSkipABlockStillRecordedWhenTheCounterFellBack() {
        long first = join(registry.grantBlock("c-a"));
        long second = join(registry.grantBlock("c-a"));
        // A failover can lose the counter's last increment while the grant survived elsewhere.
        store.sync().hset(Keys.REGISTRY_COUNTERS, "block", Long.toString(first - 1));
        long third = join(registry.grantBlock("c-b"));
        assertTrue(third > second, "blocks " + first + ", " + second + " are taken: got " + third);
        assertEquals("c-a", join(registry.campaignOfBlock(first)));
    }

    @Test
    void shouldRefuseTheCommitsOfANodeWhoseCampaignLeaseAnotherNodeTook() throws Exception {
        String campaign = "c-per-campaign";
        NodeIdentity a = new NodeIdentity("a", "host-a", 1);
        NodeIdentity b = new NodeIdentity("b", "host-b", 2);
        try (RedisStore storeA = RedisStore.connectCluster(cluster.seedUris(), TIMEOUT, 0, null, null);
             RedisStore storeB = RedisStore.connectCluster(cluster.seedUris(), TIMEOUT, 0, null, null)) {
            storeA.fencePerCampaign();
            storeB.fencePerCampaign();
            WriterFenced notOwned = assertThrows(WriterFenced.class,
                    () -> storeA.commit(GrabSupport.oneClaimBatch(campaign, 1, true, "cl-1")),
                    "a node commits nothing for a campaign it does not own");
            assertEquals(campaign, notOwned.campaignId());
            assertEquals(0, storeA.sync().exists(Keys.campaign(campaign)));

            LeaseAnswer leaseA = join(storeA.leases().acquire(Keys.owner(campaign), a, Duration.ofMillis(300)));
            assertTrue(leaseA.granted());
            storeA.own(campaign, leaseA.holder().epoch());
            storeA.commit(GrabSupport.oneClaimBatch(campaign, 1, true, "cl-1")); // publication under a's lease
            assertEquals(1, storeA.sync().llen(Keys.journal(campaign)));
            assertEquals("1:" + leaseA.holder().epoch(), storeA.sync().get(Keys.sequence(campaign)));

            // a stops renewing (paused, cut off): once its lease ran out by Redis's clock, b takes it.
            GrabSupport.await("b to take the campaign's lease", Duration.ofSeconds(10),
                    () -> join(storeB.leases().acquire(Keys.owner(campaign), b, Duration.ofSeconds(30))).granted());
            long epochB = Long.parseLong(storeB.sync().hget(Keys.owner(campaign), "epoch"));
            assertTrue(epochB > leaseA.holder().epoch());
            storeB.own(campaign, epochB);
            storeB.commit(GrabSupport.oneClaimBatch(campaign, 1, false, "cl-2"));

            WriterFenced fenced = assertThrows(WriterFenced.class,
                    () -> storeA.commit(GrabSupport.oneClaimBatch(campaign, 2, false, "cl-3")),
                    "a wakes up: its next batch is refused");
            assertEquals(campaign, fenced.campaignId());
            CompletionException async = assertThrows(CompletionException.class,
                    () -> storeA.commitAsync(GrabSupport.oneClaimBatch(campaign, 3, false, "cl-4")).toCompletableFuture().join());
            assertInstanceOf(WriterFenced.class, async.getCause(), "the ring's asynchronous path is refused alike");
            assertEquals(2, storeA.sync().llen(Keys.journal(campaign)), "nothing of a's late batches was written");

            storeB.disown(campaign);
            assertThrows(WriterFenced.class, () -> storeB.commit(GrabSupport.oneClaimBatch(campaign, 2, false, "cl-5")),
                    "after handing it over, b commits nothing for it either");
            assertEquals(2, storeB.sync().llen(Keys.journal(campaign)));
            assertEquals(Arrays.asList("b", Long.toString(epochB)),
                    storeB.sync().hmget(Keys.owner(campaign), "node", "epoch").stream().map(kv -> kv.getValue()).toList());
        }
    }
}
