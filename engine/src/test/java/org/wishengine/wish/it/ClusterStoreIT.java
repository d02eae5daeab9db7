package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.store.Keys;

/**
 * The engine on a real Redis Cluster that the test starts (Debian's redis-server and redis-cli):
 * commits go to each campaign's own slot, a restarted engine recovers everything from the
 * cluster, a second engine is refused, and with {@code --min-replica-acks 1} a master killed
 * mid-grab takes no acknowledged claim with it.
 */
@Timeout(180)
class ClusterStoreIT {

    @TempDir
    Path tmp;

    private RedisCluster cluster;
    private final List<EngineHarness> harnesses = new ArrayList<>();

    @AfterEach
    void stopAll() {
        try {
            for (EngineHarness harness : harnesses) {
                harness.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private EngineHarness engine(String name, int minReplicaAcks) throws Exception {
        EngineHarness harness = EngineHarness.startOnCluster(tmp.resolve(name), cluster.seedUris(), minReplicaAcks);
        harnesses.add(harness);
        return harness;
    }

    @Test
    void shouldGrabExactlyOnAClusterAndRecoverEveryClaimFromIt() throws Exception {
        cluster = RedisCluster.start(tmp.resolve("cluster"), 3, 1);
        EngineHarness first = engine("first", 1);
        List<String> campaigns = List.of("c-north", "c-south", "c-east", "c-west", "c-centre");
        Set<Integer> masters = new TreeSet<>();
        for (String campaign : campaigns) {
            GrabSupport.createCampaign(first, GrabSupport.campaignBody(campaign, 2, campaign + "-w",
                    Collections.nCopies(8, 3)));
            masters.add(cluster.masterPortFor(Keys.journal(campaign)));
        }
        assertTrue(masters.size() >= 2, "the campaigns should spread over several masters: " + masters);

        Map<String, Claimed> acknowledged = grab(first, campaigns, 8, 150, 24);
        assertLedgerIs(first, campaigns, acknowledged);

        first.stopEngine();
        EngineHarness second = engine("second", 1);
        assertLedgerIs(second, campaigns, acknowledged);
        HttpResponse<String> more = second.post("/api/wishes/c-north-w1/claims", second.userToken("late-user"), null);
        assertTrue(more.statusCode() == 201 || more.statusCode() == 409, more::body);
    }

    @Test
    void shouldLetASecondEngineJoinAsANodeThatNeverGivesAUnitTwice() throws Exception {
        cluster = RedisCluster.start(tmp.resolve("cluster"), 3, 1);
        EngineHarness first = engine("first", 0);
        List<String> campaigns = List.of("c-a", "c-b", "c-c", "c-d", "c-e", "c-f");
        for (String campaign : campaigns) {
            GrabSupport.createCampaign(first, GrabSupport.campaignBody(campaign, 1, campaign + "-w", List.of(1)));
        }
        EngineHarness second = engine("second", 0);
        for (String campaign : campaigns) {
            String wish = "/api/wishes/" + campaign + "-w1/claims";
            HttpResponse<String> alice = first.post(wish, first.userToken("alice"), null);
            HttpResponse<String> bob = second.post(wish, second.userToken("bob"), null);
            assertEquals(201, alice.statusCode(), alice::body);
            assertEquals(409, bob.statusCode(), bob::body);
            assertEquals("sold_out", GrabSupport.json(bob).path("error").asText());
            HttpResponse<String> read = second.get("/api/wishes/" + campaign + "-w1", null);
            assertEquals(0, GrabSupport.json(read).path("remaining").asInt(), read::body);
        }
        // A campaign id nobody published is 404 on every node, and no node takes a lease for it.
        for (EngineHarness node : List.of(first, second)) {
            HttpResponse<String> unknown = node.get("/api/campaigns/made-up", null);
            assertEquals(404, unknown.statusCode(), unknown::body);
        }
        try (io.lettuce.core.cluster.RedisClusterClient client =
                     io.lettuce.core.cluster.RedisClusterClient.create(cluster.clusterUri());
             var connection = client.connect()) {
            assertEquals(0L, connection.sync().exists(Keys.owner("made-up")), "a lease for a made-up campaign");
        }
    }

    @Test
    void shouldLoseNoAcknowledgedClaimWhenAMasterDiesMidGrab() throws Exception {
        cluster = RedisCluster.start(tmp.resolve("cluster"), 3, 2); // the new master keeps a replica
        EngineHarness engine = engine("engine", 1);
        String campaign = "c-failover";
        int wishes = 40;
        GrabSupport.createCampaign(engine, GrabSupport.campaignBody(campaign, 1, "f", Collections.nCopies(wishes, 2)));

        AtomicInteger answered = new AtomicInteger();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>(); // status and error code: for the failure message
        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<String, Claimed> acknowledged = new ConcurrentHashMap<>();
        List<Future<?>> users = new ArrayList<>();
        try {
            for (int u = 0; u < 16; u++) {
                int lane = u;
                users.add(pool.submit(() -> {
                    // Each lane's users try wishes one after another until every unit is gone.
                    for (int n = 0; n < 400 && acknowledged.size() < wishes * 2; n++) {
                        String user = "u" + lane + "-" + n;
                        String wish = "f" + (1 + (lane * 7 + n) % wishes);
                        HttpResponse<String> response = engine.post("/api/wishes/" + wish + "/claims",
                                engine.userToken(user), null);
                        answered.incrementAndGet();
                        answers.computeIfAbsent(response.statusCode() + " " + GrabSupport.json(response).path("error")
                                .asText(), k -> new AtomicInteger()).incrementAndGet();
                        if (response.statusCode() == 201) {
                            acknowledged.put(GrabSupport.json(response).path("id").asText(),
                                    new Claimed(campaign, wish, user));
                        }
                        if (response.statusCode() == 503) {
                            TimeUnit.MILLISECONDS.sleep(50); // Retry-After: the store is failing over
                        }
                    }
                    return null;
                }));
            }
            GrabSupport.await("some claims before the kill", Duration.ofSeconds(30), () -> acknowledged.size() >= 15);
            int killed = cluster.killMasterOf(Keys.journal(campaign));
            int promoted = cluster.awaitFailover(Keys.journal(campaign), Duration.ofSeconds(30));
            assertTrue(promoted != killed);
            for (Future<?> user : users) {
                user.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(wishes * 2, acknowledged.size(), () -> "every unit was claimed once the cluster failed over; "
                + "answers: " + answers);
        assertLedgerIs(engine, List.of(campaign), acknowledged);

        engine.stopEngine();
        EngineHarness after = engine("after", 1);
        assertLedgerIs(after, List.of(campaign), acknowledged);
    }

    /** {@code users} users on {@code threads} threads each claim one random wish per campaign. */
    private static Map<String, Claimed> grab(EngineHarness harness, List<String> campaigns, int wishesPerCampaign,
                                             int users, int threads) throws Exception {
        Map<String, Claimed> acknowledged = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                int seed = u;
                all.add(pool.submit(() -> {
                    for (int c = 0; c < campaigns.size(); c++) {
                        for (int attempt = 0; attempt < 3; attempt++) {
                            String wish = campaigns.get(c) + "-w" + (1 + (seed * 5 + attempt * 3 + c) % wishesPerCampaign);
                            HttpResponse<String> response = harness.post("/api/wishes/" + wish + "/claims",
                                    harness.userToken(user), null);
                            if (response.statusCode() == 201) {
                                acknowledged.put(GrabSupport.json(response).path("id").asText(),
                                        new Claimed(campaigns.get(c), wish, user));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : all) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return acknowledged;
    }

    /** The ledgers of {@code campaigns} hold exactly the acknowledged claims, within the limits. */
    private static void assertLedgerIs(EngineHarness harness, List<String> campaigns, Map<String, Claimed> acknowledged)
            throws Exception {
        Map<String, Claimed> listed = new TreeMap<>();
        Map<String, Integer> heldPerWish = new HashMap<>();
        Map<String, Integer> heldPerUserAndCampaign = new HashMap<>();
        for (String campaign : campaigns) {
            for (Map.Entry<String, JsonNode> entry : GrabSupport.apiClaims(harness, campaign).entrySet()) {
                JsonNode claim = entry.getValue();
                listed.put(entry.getKey(), new Claimed(campaign, claim.path("wishId").asText(),
                        claim.path("userId").asText()));
                heldPerWish.merge(claim.path("wishId").asText(), 1, Integer::sum);
                heldPerUserAndCampaign.merge(claim.path("userId").asText() + "@" + campaign, 1, Integer::sum);
            }
        }
        assertEquals(new TreeMap<>(acknowledged), listed, "the ledger is exactly what was acknowledged");
        heldPerWish.forEach((wish, held) -> assertTrue(held <= 3, () -> wish + " held " + held + " times"));
        heldPerUserAndCampaign.forEach((key, held) -> assertTrue(held <= 2, () -> key + " holds " + held));
    }

    /** An acknowledged claim: whose, on which wish of which campaign. */
    private record Claimed(String campaign, String wish, String user) {
    }
}
