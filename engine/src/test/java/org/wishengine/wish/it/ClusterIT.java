package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.wishengine.wish.it.FrozenWriterCheck.Sent;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.cluster.Placement;
import org.wishengine.wish.store.Keys;

/**
 * Multi-node cluster mode end to end: engine processes run from the built jar as nodes of one
 * real Redis Cluster (3 masters + 3 replicas, started by the class and emptied before each test),
 * each node with a 1 s lease so that takeovers are quick (the default 3 s where a test asserts that
 * nothing moves). A flash-grab spread over three nodes
 * is exact and every node answers alike; a node killed mid-grab is replaced within 5 s and no
 * acknowledged claim is lost or doubled; a frozen node that wakes acknowledges nothing it no
 * longer owns; a node joining a running cluster takes campaigns over without a failed request;
 * and events of one node reach the subscribers of another.
 */
@Timeout(150)
class ClusterIT {

    private static final String ADMIN_TOKEN = "cluster-admin-token";
    private static final String TOKEN_SECRET = "cluster-user-token-secret-0123456789";
    /** The failover tests' lease: a killed or frozen node's campaigns move within about a second. */
    private static final Duration LEASE = Duration.ofSeconds(1);
    /**
     * The steady-cluster tests' lease, the engine's default. They assert that no request meets a
     * campaign on the move; with a 1 s lease a node whose heartbeat is half a second late on a
     * loaded two-core machine (six Redis servers, three engines and the test beside them) counts
     * as gone for a moment, and its campaigns begin to move, which the contract answers with 503.
     */
    private static final Duration STEADY_LEASE = Duration.ofSeconds(3);
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(20);
    /** A client gives up retrying one claim after this long: the cluster failed it. */
    private static final Duration DEFINITIVE_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path shared;
    private static RedisCluster cluster;
    private static RedisClusterClient registryClient;
    private static StatefulRedisClusterConnection<String, String> registry;

    @TempDir
    Path tmp;

    private final TokenMinter minter = new TokenMinter(TOKEN_SECRET);
    private final HttpClient http = GrabSupport.newClient();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private EngineProcesses engines;
    /** The live process of each node id (replaced when a node is restarted). */
    private final Map<String, EngineProcess> nodes = new ConcurrentHashMap<>();

    /**
     * On a failure, each node's lines about the cluster (membership, leases, takeovers, warnings)
     * go to the test's output before the nodes are stopped: a failure on a loaded machine can be
     * read afterwards without running it again.
     */
    @RegisterExtension
    final AfterTestExecutionCallback nodeLogsOnFailure = context -> {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        nodes.forEach((id, node) -> {
            StringBuilder lines = new StringBuilder("---- node " + id + " (" + node.log + "), its cluster lines:\n");
            node.logText().lines()
                    .filter(line -> line.contains("Node ") || line.contains("WARN") || line.contains("ERROR"))
                    .forEach(line -> lines.append(line).append('\n'));
            System.err.print(lines);
        });
    };

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(shared.resolve("cluster"), 3, 1);
        registryClient = RedisClusterClient.create(cluster.clusterUri());
        registry = registryClient.connect();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (registry != null) {
                registry.close();
                registryClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** Each test starts on an empty cluster: no campaigns, nodes, leases or counters of an earlier one. */
    @BeforeEach
    void emptyCluster() {
        registry.sync().flushall(); // Lettuce runs it on every master
        engines = new EngineProcesses(tmp, ADMIN_TOKEN, TOKEN_SECRET);
    }

    @AfterEach
    void stopEngines() {
        engines.killAll();
    }

    // ================================================================== 1. flash-grab over three nodes

    @Test
    void shouldGrabExactlyOverThreeNodesThatAllAnswerAlike() throws Exception {
        startNodes(STEADY_LEASE, "n1", "n2", "n3");
        List<String> live = List.of("n1", "n2", "n3");
        int perUserLimit = 2;
        Map<String, Integer> quantityOf = new HashMap<>();
        Map<String, String> campaignOf = new HashMap<>();
        List<String> campaigns = new ArrayList<>();
        for (int c = 1; c <= 6; c++) {
            String campaign = "c-flash-" + c;
            List<Integer> quantities = List.of(1, 2, 3, 3);
            node(live.get(c % 3)).createCampaign(GrabSupport.campaignBody(campaign, perUserLimit, campaign + "-w",
                    quantities));
            campaigns.add(campaign);
            for (int w = 1; w <= quantities.size(); w++) {
                quantityOf.put(campaign + "-w" + w, quantities.get(w - 1));
                campaignOf.put(campaign + "-w" + w, campaign);
            }
        }
        awaitPlaced(campaigns, live);
        Set<String> owners = new TreeSet<>();
        campaigns.forEach(c -> owners.add(ownerHint(c)));
        assertEquals(Set.copyOf(live), owners, "the campaigns are spread over all three nodes");

        // 60 users, each grabbing 6 random wishes (several twice), on 8 threads, each request to a random node.
        List<String> wishIds = new ArrayList<>(new TreeSet<>(quantityOf.keySet()));
        Random random = new Random(16);
        List<String[]> attempts = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            for (int a = 0; a < 6; a++) {
                attempts.add(new String[] {"flash-u" + u, wishIds.get(random.nextInt(wishIds.size()))});
            }
        }
        Collections.shuffle(attempts, random);
        AtomicInteger unavailable = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (String[] attempt : attempts) {
                answers.add(pool.submit(() -> claimUntilDecided(live, attempt[0], attempt[1], unavailable)));
            }
            List<Answer> decided = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                decided.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertEquals(0, unavailable.get(), "503s or failed connections on a steady cluster");

            Map<String, Answer> created = new HashMap<>();
            Map<String, String> acknowledged = new HashMap<>(); // claim id -> user
            for (Answer answer : decided) {
                if (answer.status == 201) {
                    assertEquals(null, created.put(answer.claimId, answer), () -> "201 twice for " + answer.claimId);
                }
                if (answer.status == 201 || answer.status == 200) {
                    acknowledged.put(answer.claimId, answer.user);
                }
            }
            assertTrue(created.size() > 20, () -> "only " + created.size() + " claims made");

            // The organiser's ledger of each campaign: the same from every node, exact, within the limits.
            Map<String, JsonNode> ledger = new HashMap<>();
            for (String campaign : campaigns) {
                Map<String, JsonNode> first = null;
                for (String id : live) {
                    Map<String, JsonNode> seen = node(id).ledger(campaign);
                    if (first == null) {
                        first = seen;
                    } else {
                        assertEquals(first, seen, "ledger of " + campaign + " from " + id);
                    }
                }
                ledger.putAll(first);
            }
            assertEquals(acknowledged.keySet(), ledger.keySet(), "the ledger holds exactly the acknowledged claims");
            assertEquals(created.keySet(), ledger.keySet(), "every claim was acknowledged with 201 once");
            Map<String, Integer> held = new HashMap<>();
            Map<String, Integer> perUserCampaign = new HashMap<>();
            Set<String> userWish = new HashSet<>();
            for (JsonNode claim : ledger.values()) {
                String wish = claim.path("wishId").asText();
                String user = claim.path("userId").asText();
                assertEquals("claimed", claim.path("status").asText(), claim::toString);
                assertEquals(campaignOf.get(wish), claim.path("campaignId").asText(), claim::toString);
                assertTrue(userWish.add(user + " " + wish), () -> "user holds a wish twice: " + claim);
                held.merge(wish, 1, Integer::sum);
                perUserCampaign.merge(user + " " + campaignOf.get(wish), 1, Integer::sum);
                Answer answer = created.get(claim.path("id").asText());
                assertEquals(answer.user + " " + answer.wish, user + " " + wish, "the claim is what was asked for");
            }
            held.forEach((wish, count) -> assertTrue(count <= quantityOf.get(wish),
                    () -> wish + " given " + count + " times, quantity " + quantityOf.get(wish)));
            perUserCampaign.forEach((key, count) -> assertTrue(count <= perUserLimit,
                    () -> key + " holds " + count + " claims, limit " + perUserLimit));

            // Remaining counts, the same from every node.
            for (String id : live) {
                for (String campaign : campaigns) {
                    HttpResponse<String> detail = node(id).get("/api/campaigns/" + campaign, null);
                    assertEquals(200, detail.statusCode(), detail::body);
                    for (JsonNode wish : GrabSupport.json(detail).path("wishes")) {
                        String wishId = wish.path("id").asText();
                        assertEquals(quantityOf.get(wishId) - held.getOrDefault(wishId, 0),
                                wish.path("remaining").asInt(), () -> id + ": " + wish);
                    }
                }
            }

            // Every 201 readable by its user from every node, and in that user's claims on every node.
            Map<String, Set<String>> claimsOfUser = new TreeMap<>();
            ledger.forEach((claimId, claim) -> claimsOfUser.computeIfAbsent(claim.path("userId").asText(),
                    u -> new TreeSet<>()).add(claimId));
            for (String id : live) {
                for (Answer answer : created.values()) {
                    HttpResponse<String> read = node(id).get("/api/claims/" + answer.claimId, token(answer.user));
                    assertEquals(200, read.statusCode(), () -> id + " reading " + answer.claimId + ": " + read.body());
                    JsonNode claim = GrabSupport.json(read);
                    assertEquals(answer.claimId, claim.path("id").asText());
                    assertEquals(answer.wish, claim.path("wishId").asText());
                    assertEquals(answer.user, claim.path("userId").asText());
                }
                for (Map.Entry<String, Set<String>> user : claimsOfUser.entrySet()) {
                    HttpResponse<String> mine = node(id).get("/api/me/claims", token(user.getKey()));
                    assertEquals(200, mine.statusCode(), mine::body);
                    Set<String> listed = new TreeSet<>();
                    GrabSupport.json(mine).path("claims").forEach(claim -> listed.add(claim.path("id").asText()));
                    assertEquals(user.getValue(), listed, id + ": claims of " + user.getKey());
                }
            }

            // The combined listings: identical on every node, and what the ledger says.
            JsonNode listing = null;
            JsonNode stats = null;
            for (String id : live) {
                HttpResponse<String> list = node(id).get("/api/campaigns", null);
                HttpResponse<String> stat = node(id).get("/api/stats", null);
                assertEquals(200, list.statusCode(), list::body);
                assertEquals(200, stat.statusCode(), stat::body);
                if (listing == null) {
                    listing = GrabSupport.json(list);
                    stats = GrabSupport.json(stat);
                } else {
                    assertEquals(listing, GrabSupport.json(list), "GET /api/campaigns on " + id);
                    assertEquals(stats, GrabSupport.json(stat), "GET /api/stats on " + id);
                }
            }
            List<String> listed = new ArrayList<>();
            int units = quantityOf.values().stream().mapToInt(Integer::intValue).sum();
            for (JsonNode summary : listing.path("campaigns")) {
                listed.add(summary.path("id").asText());
                int taken = (int) ledger.values().stream()
                        .filter(claim -> claim.path("campaignId").asText().equals(summary.path("id").asText())).count();
                assertEquals(summary.path("units").asInt() - taken, summary.path("remaining").asInt(), summary::toString);
            }
            assertEquals(new TreeSet<>(campaigns), new TreeSet<>(listed), listing::toString);
            assertEquals(campaigns.size(), listed.size(), listing::toString);
            assertEquals(6, stats.path("campaigns").asInt(), stats::toString);
            assertEquals(wishIds.size(), stats.path("wishes").asInt(), stats::toString);
            assertEquals(units, stats.path("units").asInt(), stats::toString);
            assertEquals(ledger.size(), stats.path("claimed").asInt(), stats::toString);
            assertEquals(units - ledger.size(), stats.path("remaining").asInt(), stats::toString);
        } finally {
            pool.shutdownNow();
        }
    }

    // ================================================================== 2. kill -9 of an owner, twice

    @Test
    void shouldTakeOverAKilledOwnersCampaignsWithinFiveSecondsAndLoseNoClaim() throws Exception {
        startNodes("n1", "n2", "n3");
        List<String> all = List.of("n1", "n2", "n3");
        Map<String, String> campaignOn = campaignPerNode("c-kill-", all);
        int perUserLimit = 3;
        List<String> campaigns = new ArrayList<>(campaignOn.values());
        for (String campaign : campaigns) {
            node("n3").createCampaign(GrabSupport.campaignBody(campaign, perUserLimit, campaign + "-w",
                    Collections.nCopies(4, 5_000)));
        }
        awaitPlaced(campaigns, all);
        String hottest = campaignOn.get("n1");
        Load load = new Load(all, campaigns, hottest, 4);
        load.start(6);
        try {
            load.awaitAcknowledged(100);

            // Round 1: kill -9 the node serving the hottest campaign, measure, restart it.
            long round1 = killAndMeasure(ownerHint(hottest), hottest, load);
            nodes.put("n1", engines.start(tmp.resolve("n1-restarted"), nodeArgs("n1")));
            awaitPlaced(campaigns, all);
            load.awaitAcknowledged(load.acknowledged() + 100);

            // Round 2: kill another node; its campaign goes to one of the other two.
            String second = campaignOn.get("n2");
            assertEquals("n2", ownerHint(second));
            long round2 = killAndMeasure("n2", second, load);
            awaitPlaced(campaigns, List.of("n1", "n3"));
            load.awaitAcknowledged(load.acknowledged() + 100);
            System.out.printf("ClusterIT kill -9 -> first 201 elapsed: round 1 %d ms, round 2 %d ms%n", round1, round2);
        } finally {
            load.stop();
        }
        load.assertAllDecided();

        // Every acknowledged claim exactly once in the ledger (which lists each id once), read from any node.
        Map<String, JsonNode> ledger = new HashMap<>();
        for (String campaign : campaigns) {
            Map<String, JsonNode> fromN1 = node("n1").ledger(campaign);
            assertEquals(fromN1, node("n3").ledger(campaign), "ledger of " + campaign + " from n1 and n3");
            ledger.putAll(fromN1);
        }
        load.assertLedger(ledger, perUserLimit);
        assertRemaining(campaigns, ledger, 5_000, "n1", "n3");
    }

    /**
     * SIGKILLs node {@code victim} (owner of {@code campaign}) and returns how long it took until
     * a claim on the campaign sent to another node was acknowledged (asserted below 5 s).
     */
    private long killAndMeasure(String victim, String campaign, Load load) throws Exception {
        List<String> survivors = new ArrayList<>(nodes.keySet());
        survivors.remove(victim);
        EngineProcess dead = nodes.get(victim);
        long killedAt = System.nanoTime();
        dead.process.destroyForcibly(); // SIGKILL
        dead.awaitExit();
        for (int probe = 0; ; probe++) {
            String user = "probe-" + victim + "-" + probe;
            String wish = campaign + "-w" + (1 + probe % 4);
            EngineProcess via = node(survivors.get(probe % survivors.size()));
            HttpResponse<String> answer = null;
            try {
                answer = claim(via, wish, user);
            } catch (IOException notAnswered) {
                // keep probing
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            if (answer != null && answer.statusCode() == 201) {
                load.record(new Answer(user, wish, 201, GrabSupport.json(answer).path("id").asText()));
                assertTrue(elapsed < 5_000, () -> "first 201 on " + campaign + " only " + elapsed + " ms after the kill");
                return elapsed;
            }
            if (answer != null && answer.statusCode() != 503) {
                fail("probe on " + campaign + " via a survivor: " + answer.statusCode() + " " + answer.body());
            }
            if (elapsed > 5_000) {
                fail("no 201 on " + campaign + " within 5 s of killing " + victim + "; last answer "
                        + (answer == null ? "none" : answer.body()) + "\n" + via.logTail());
            }
            TimeUnit.MILLISECONDS.sleep(20); // poll interval of the deadline-bounded probe
        }
    }

    // ================================================================== 3. fencing of a frozen owner

    @Test
    void shouldAcknowledgeNothingAFrozenOwnerDecidedAfterAnotherNodeTookItsCampaign() throws Exception {
        startNodes("n1", "n2");
        String campaign = campaignOnNode("c-fence-", "n1", List.of("n1", "n2"));
        int wishes = 40;
        EngineProcess a = node("n1");
        EngineProcess b = node("n2");
        b.createCampaign(GrabSupport.campaignBody(campaign, 1, "f", Collections.nCopies(wishes, 1)));
        awaitPlaced(List.of(campaign), List.of("n1", "n2"));

        List<Sent> sent = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            sent.add(new Sent("before", "p" + i, "f" + i, claimAsync(a, "f" + i, "p" + i)));
        }
        for (Sent s : sent) {
            assertEquals(201, s.answer().get(30, TimeUnit.SECONDS).statusCode(), a::logTail);
        }
        for (int i = 11; i <= 30; i++) {
            sent.add(new Sent("at-freeze", "q" + i, "f" + i, claimAsync(a, "f" + i, "q" + i)));
        }
        a.pause();
        for (int i = 1; i <= wishes; i++) {
            sent.add(new Sent("frozen", "s" + i, "f" + i, claimAsync(a, "f" + i, "s" + i)));
        }

        // The other node takes the campaign once the frozen node's lease ran out: a claim through it succeeds.
        GrabSupport.await("node n2 to take " + campaign, SETTLE_WITHIN,
                () -> b.logText().contains("Node n2 serves campaign " + campaign));
        List<Sent> byB = new ArrayList<>();
        for (int i = 1; i <= wishes; i++) {
            byB.add(new Sent("b", "t" + i, "f" + i, CompletableFuture.completedFuture(claimDecided(b, "f" + i, "t" + i))));
        }
        assertTrue(byB.stream().anyMatch(s -> s.answer().join().statusCode() == 201), "n2 made no claim on " + campaign);
        a.resume();

        List<Sent> everything = new ArrayList<>(sent);
        everything.addAll(byB);
        Map<String, Sent> acknowledged = FrozenWriterCheck.acknowledged(everything, "frozen");

        // Every 201 is in the ledger; a claim there that was never acknowledged is one of the requests
        // the node held when it froze whose batch Redis applied before the takeover: answered 503, and
        // a retry through the new owner returns it.
        // The woken node shows up in the registry for a moment before it finds itself fenced and leaves,
        // so n2 may briefly hand the campaign towards it: reads meanwhile get 503 (safe to repeat).
        GrabSupport.await("the ledger readable on n2", SETTLE_WITHIN, () -> {
            try {
                return b.get("/api/campaigns/" + campaign + "/claims", ADMIN_TOKEN).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        b.logText().lines().filter(line -> line.contains("handed campaign") || line.contains("serves campaign"))
                .forEach(line -> System.out.println("ClusterIT fencing, n2: " + line));
        Map<String, JsonNode> ledger = b.ledger(campaign);
        FrozenWriterCheck.assertLedger(ledger, acknowledged, everything, "at-freeze",
                (wish, user) -> claimDecided(b, wish, user), wishes);

        GrabSupport.await("the woken node to report itself fenced", Duration.ofSeconds(10), () -> {
            try {
                HttpResponse<String> ready = a.get("/health/ready", null);
                return ready.statusCode() == 503 && ready.body().contains("writer fenced");
            } catch (Exception e) {
                return false;
            }
        });
    }

    // ================================================================== 4. a node joins a running cluster

    @Test
    void shouldLetAJoiningNodeTakeCampaignsWithoutFailingARequest() throws Exception {
        startNodes("n1", "n2");
        List<String> before = List.of("n1", "n2");
        List<String> after = List.of("n1", "n2", "n3");
        List<String> moving = campaignsMovingTo("n3", "c-join-move-", before, after, 3);
        List<String> staying = campaignsMovingTo(null, "c-join-stay-", before, after, 3);
        List<String> campaigns = new ArrayList<>(moving);
        campaigns.addAll(staying);
        int perUserLimit = 3;
        for (String campaign : campaigns) {
            node("n1").createCampaign(GrabSupport.campaignBody(campaign, perUserLimit, campaign + "-w",
                    Collections.nCopies(4, 5_000)));
        }
        awaitPlaced(campaigns, before);

        Load load = new Load(before, campaigns, null, 0);
        load.start(4);
        try {
            load.awaitAcknowledged(100);
            long joinedAt = System.nanoTime();
            load.markJoin(joinedAt);
            EngineProcess n3 = engines.start(tmp.resolve("n3"), nodeArgs("n3"));
            nodes.put("n3", n3);
            awaitPlaced(campaigns, after);
            for (String campaign : moving) {
                assertTrue(n3.logText().contains("Node n3 serves campaign " + campaign), n3::logTail);
            }
            load.awaitAcknowledged(load.acknowledged() + 200);
        } finally {
            load.stop();
        }
        load.assertAllDecided();
        assertEquals(List.of(), load.failures(), () -> "requests of the stream that failed while n3 joined; n1:\n"
                + node("n1").logTail() + "\nn2:\n" + node("n2").logTail() + "\nn3:\n" + node("n3").logTail());

        Map<String, JsonNode> ledger = new HashMap<>();
        for (String campaign : campaigns) {
            ledger.putAll(node("n3").ledger(campaign));
        }
        load.assertLedger(ledger, perUserLimit);
        assertRemaining(campaigns, ledger, 5_000, "n1", "n2", "n3");
    }

    // ================================================================== 5. events across nodes

    @Test
    void shouldDeliverAClaimSettledOnOneNodeToAnEventSubscriberOfAnother() throws Exception {
        startNodes(STEADY_LEASE, "n1", "n2", "n3");
        List<String> all = List.of("n1", "n2", "n3");
        String campaign = campaignOnNode("c-events-", "n1", all);
        node("n2").createCampaign(GrabSupport.campaignBody(campaign, 1, "ev", List.of(2)));
        awaitPlaced(List.of(campaign), all);
        assertEquals("n1", ownerHint(campaign));

        try (SseSocketReader events = SseSocketReader.open(node("n3").port, null, Duration.ofSeconds(10))) {
            assertEquals(200, events.status());
            HttpResponse<String> claimed = claim(node("n1"), "ev1", "eve");
            assertEquals(201, claimed.statusCode(), claimed::body);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, () -> "no claimed event for ev1 on n3; frames: " + events.seen());
                SseSocketReader.Frame frame = events.nextEvent(Duration.ofNanos(left));
                if ("claimed".equals(frame.event())) {
                    JsonNode data = GrabSupport.parse(frame.data());
                    assertEquals("ev1", data.path("wishId").asText(), frame::toString);
                    assertEquals(campaign, data.path("campaignId").asText(), frame::toString);
                    assertEquals(1, data.path("remaining").asInt(), frame::toString);
                    break;
                }
            }
        }
    }

    // ================================================================== nodes and the registry

    private String[] nodeArgs(String nodeId) {
        return nodeArgs(nodeId, LEASE);
    }

    private String[] nodeArgs(String nodeId, Duration lease) {
        return new String[] {"--redis-cluster", String.join(",", cluster.seedUris()), "--node-id", nodeId,
            "--lease-millis", Long.toString(lease.toMillis())};
    }

    /** Launches the nodes with the failover tests' short lease; see {@link #startNodes(Duration, String...)}. */
    private void startNodes(String... ids) throws Exception {
        startNodes(LEASE, ids);
    }

    /** Launches the nodes side by side, waits until each is ready and all are in the registry. */
    private void startNodes(Duration lease, String... ids) throws Exception {
        Map<String, EngineProcess> launched = new LinkedHashMap<>();
        for (String id : ids) {
            launched.put(id, engines.launch(tmp.resolve(id), nodeArgs(id, lease)));
        }
        for (Map.Entry<String, EngineProcess> node : launched.entrySet()) {
            node.getValue().awaitReady(Duration.ofSeconds(60));
            nodes.put(node.getKey(), node.getValue());
        }
        GrabSupport.await("all nodes in the registry", SETTLE_WITHIN,
                () -> registry.sync().hkeys(Keys.REGISTRY_NODES).containsAll(List.of(ids)));
    }

    private EngineProcess node(String id) {
        return nodes.get(id);
    }

    /** The registry's hint of the node serving {@code campaign} (set by a node once it serves it). */
    private String ownerHint(String campaign) {
        return registry.sync().hget(Keys.REGISTRY_CAMPAIGNS, campaign);
    }

    /** Waits until every campaign is served by the node placement gives it among {@code live}. */
    private void awaitPlaced(Collection<String> campaigns, List<String> live) throws InterruptedException {
        GrabSupport.await("campaigns served where placement puts them among " + live, SETTLE_WITHIN,
                () -> campaigns.stream().allMatch(c -> Placement.owner(c, live).equals(ownerHint(c))));
    }

    /** A campaign id, {@code prefix} and a number, that placement gives to {@code nodeId} among {@code live}. */
    private static String campaignOnNode(String prefix, String nodeId, List<String> live) {
        for (int i = 0; ; i++) {
            if (Placement.owner(prefix + i, live).equals(nodeId)) {
                return prefix + i;
            }
        }
    }

    /** One campaign id per node of {@code live}, by node. */
    private static Map<String, String> campaignPerNode(String prefix, List<String> live) {
        Map<String, String> byNode = new TreeMap<>();
        for (int i = 0; byNode.size() < live.size(); i++) {
            byNode.putIfAbsent(Placement.owner(prefix + i, live), prefix + i);
        }
        return byNode;
    }

    /** {@code count} campaign ids that move to {@code joiner} when it joins (or, with null, that stay). */
    private static List<String> campaignsMovingTo(String joiner, String prefix, List<String> before,
                                                  List<String> after, int count) {
        List<String> found = new ArrayList<>();
        for (int i = 0; found.size() < count; i++) {
            String id = prefix + i;
            boolean moves = !Placement.owner(id, after).equals(Placement.owner(id, before));
            if (moves == (joiner != null) && (joiner == null || Placement.owner(id, after).equals(joiner))) {
                found.add(id);
            }
        }
        return found;
    }

    /** Each wish's remaining, as every named node reports it, is its quantity less its active claims. */
    private void assertRemaining(List<String> campaigns, Map<String, JsonNode> ledger, int quantity, String... from)
            throws Exception {
        Map<String, Integer> held = new HashMap<>();
        ledger.values().forEach(claim -> held.merge(claim.path("wishId").asText(), 1, Integer::sum));
        for (String id : from) {
            for (String campaign : campaigns) {
                HttpResponse<String> detail = node(id).get("/api/campaigns/" + campaign, null);
                assertEquals(200, detail.statusCode(), detail::body);
                for (JsonNode wish : GrabSupport.json(detail).path("wishes")) {
                    assertEquals(quantity - held.getOrDefault(wish.path("id").asText(), 0),
                            wish.path("remaining").asInt(), () -> id + ": " + wish);
                }
            }
        }
    }

    // ================================================================== clients

    private String token(String user) {
        return tokens.computeIfAbsent(user, minter::mint);
    }

    private HttpRequest claimRequest(EngineProcess node, String wish, String user, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/api/wishes/" + wish + "/claims"))
                .header("Authorization", "Bearer " + token(user))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private HttpResponse<String> claim(EngineProcess node, String wish, String user)
            throws IOException, InterruptedException {
        return http.send(claimRequest(node, wish, user, Duration.ofSeconds(15)), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> claimAsync(EngineProcess node, String wish, String user) {
        return http.sendAsync(claimRequest(node, wish, user, Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    }

    /** Claims through {@code node}, repeating after a 503, until it is decided; fails after a while. */
    private HttpResponse<String> claimDecided(EngineProcess node, String wish, String user) throws Exception {
        long deadline = System.nanoTime() + DEFINITIVE_WITHIN.toNanos();
        while (true) {
            HttpResponse<String> answer = claim(node, wish, user);
            if (answer.statusCode() != 503) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                fail("still 503 after " + DEFINITIVE_WITHIN + ": " + answer.body() + "\n" + node.logTail());
            }
            TimeUnit.MILLISECONDS.sleep(50); // a client's back-off
        }
    }

    /**
     * Claims {@code wish} as {@code user} through a random node of {@code among}, again through a
     * random node after a 503 or a failed connection (counted in {@code unavailable}), until the
     * claim is decided: 201, 200 or 409. Anything else fails the test.
     */
    private Answer claimUntilDecided(List<String> among, String user, String wish, AtomicInteger unavailable)
            throws Exception {
        long deadline = System.nanoTime() + DEFINITIVE_WITHIN.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            String id = among.get(ThreadLocalRandom.current().nextInt(among.size()));
            try {
                HttpResponse<String> answer = claim(node(id), wish, user);
                int status = answer.statusCode();
                if (status == 201 || status == 200) {
                    return new Answer(user, wish, status, GrabSupport.json(answer).path("id").asText());
                }
                if (status == 409) {
                    String error = GrabSupport.json(answer).path("error").asText();
                    assertTrue(error.equals("sold_out") || error.equals("limit_reached"), answer::body);
                    return new Answer(user, wish, status, null);
                }
                assertEquals(503, status, () -> id + ": " + answer.body());
                last = id + ": " + answer.body();
            } catch (IOException e) {
                last = id + ": " + e;
            }
            unavailable.incrementAndGet();
            TimeUnit.MILLISECONDS.sleep(20); // a client's back-off
        }
        throw new AssertionError(user + " on " + wish + " not decided within " + DEFINITIVE_WITHIN + "; last " + last);
    }

    /** A decided claim request: 201/200 with the claim id, or 409 (no id). */
    private record Answer(String user, String wish, int status, String claimId) {
    }

    /** One claim request sent without waiting: who sent it, on which wish, in which phase of the test. */

    /**
     * A steady stream of claims on the given campaigns (four wishes each), each to a random node
     * of a fixed list of node ids (dead ones included: clients do not know). Most users are new;
     * some come back for a wish they may hold already. Every claim is retried through another node
     * until decided; the first answer of every attempt that is neither a decision nor a refused
     * connection to a dead node is kept in {@link #failures()}.
     */
    private final class Load {
        private final List<String> nodeIds;
        private final List<String> wishes = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicInteger users = new AtomicInteger();
        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger unavailable = new AtomicInteger();
        private volatile long joinedAt;

        /** {@code hotWeight} extra copies of {@code hot}'s wishes make it the hottest campaign. */
        Load(List<String> nodeIds, List<String> campaigns, String hot, int hotWeight) {
            this.nodeIds = nodeIds;
            for (String campaign : campaigns) {
                int copies = campaign.equals(hot) ? 1 + hotWeight : 1;
                for (int c = 0; c < copies; c++) {
                    for (int w = 1; w <= 4; w++) {
                        wishes.add(campaign + "-w" + w);
                    }
                }
            }
        }

        void start(int threadCount) {
            for (int t = 0; t < threadCount; t++) {
                Thread thread = new Thread(this::run, "cluster-load-" + t);
                threads.add(thread);
                thread.start();
            }
        }

        void markJoin(long nanos) {
            joinedAt = nanos;
        }

        private void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (running.get()) {
                    int known = users.get();
                    String user = known > 10 && random.nextInt(4) == 0 ? "load-" + random.nextInt(known)
                            : "load-" + users.getAndIncrement();
                    String wish = wishes.get(random.nextInt(wishes.size()));
                    record(attempt(user, wish));
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }

        /** Like {@link #claimUntilDecided} but noting what went wrong on the way. */
        private Answer attempt(String user, String wish) throws Exception {
            long deadline = System.nanoTime() + DEFINITIVE_WITHIN.toNanos();
            String last = "nothing";
            while (System.nanoTime() < deadline) {
                String id = nodeIds.get(ThreadLocalRandom.current().nextInt(nodeIds.size()));
                EngineProcess node = node(id);
                long sentAt = System.nanoTime();
                try {
                    HttpResponse<String> answer = claim(node, wish, user);
                    int status = answer.statusCode();
                    if (status == 201 || status == 200) {
                        return new Answer(user, wish, status, GrabSupport.json(answer).path("id").asText());
                    }
                    String error = status == 409 ? GrabSupport.json(answer).path("error").asText() : "";
                    if (error.equals("limit_reached") || error.equals("sold_out")) {
                        return new Answer(user, wish, status, null);
                    }
                    last = id + " " + status + " " + answer.body();
                    failures.add(String.format("%s %s on %s %+d ms after the join: %d %s", user, wish, id,
                            joinedAt == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(sentAt - joinedAt), status,
                            answer.body()));
                    if (status != 503) {
                        throw new AssertionError("unexpected answer " + last);
                    }
                } catch (IOException e) {
                    last = id + " " + e;
                    if (node.process.isAlive()) {
                        failures.add(user + " " + wish + " on live node " + id + ": " + e);
                    }
                }
                unavailable.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(20); // a client's back-off
            }
            throw new AssertionError(user + " on " + wish + " not decided within " + DEFINITIVE_WITHIN + "; last "
                    + last);
        }

        void record(Answer answer) {
            answers.add(answer);
            if (answer.claimId != null) {
                acknowledged.incrementAndGet();
            }
        }

        long acknowledged() {
            return acknowledged.get();
        }

        void awaitAcknowledged(long count) throws InterruptedException {
            GrabSupport.await(count + " acknowledged claims", Duration.ofSeconds(30),
                    () -> acknowledged.get() >= count || !errors.isEmpty());
            assertTrue(errors.isEmpty(), () -> "the load failed: " + errors.peek());
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(45));
                assertTrue(!thread.isAlive(), thread.getName() + " did not finish");
            }
        }

        /** Every request of the stream was decided (none gave up, none got an unexpected answer). */
        void assertAllDecided() {
            if (!errors.isEmpty()) {
                AssertionError error = new AssertionError("the load failed: " + errors.peek(), errors.peek());
                throw error;
            }
            System.out.printf("ClusterIT load: %d answers, %d acknowledged, %d retried after 503/refused%n",
                    answers.size(), acknowledged.get(), unavailable.get());
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        /**
         * The ledger holds exactly the acknowledged claims, each once: a 201's id never repeats, a
         * 200 names the claim the same user holds on that wish, no user holds a wish twice and no
         * user more than {@code perUserLimit} claims of a campaign.
         */
        void assertLedger(Map<String, JsonNode> ledger, int perUserLimit) {
            Map<String, Answer> byId = new HashMap<>();
            Set<String> created = new HashSet<>();
            for (Answer answer : answers) {
                if (answer.claimId == null) {
                    continue;
                }
                if (answer.status == 201) {
                    assertTrue(created.add(answer.claimId), () -> "201 twice for " + answer.claimId);
                }
                Answer before = byId.putIfAbsent(answer.claimId, answer);
                if (before != null) {
                    assertEquals(before.user + " " + before.wish, answer.user + " " + answer.wish,
                            "one claim id, two claims");
                }
            }
            assertEquals(new TreeSet<>(byId.keySet()), new TreeSet<>(ledger.keySet()),
                    "the ledger holds exactly the acknowledged claims");
            Set<String> userWish = new HashSet<>();
            Map<String, Integer> perUserCampaign = new HashMap<>();
            for (JsonNode claim : ledger.values()) {
                Answer answer = byId.get(claim.path("id").asText());
                assertNotNull(answer);
                assertEquals(answer.user, claim.path("userId").asText(), claim::toString);
                assertEquals(answer.wish, claim.path("wishId").asText(), claim::toString);
                assertEquals("claimed", claim.path("status").asText(), claim::toString);
                assertTrue(userWish.add(answer.user + " " + answer.wish), () -> "a user holds a wish twice: " + claim);
                perUserCampaign.merge(answer.user + " " + claim.path("campaignId").asText(), 1, Integer::sum);
            }
            perUserCampaign.forEach((key, count) -> assertTrue(count <= perUserLimit,
                    () -> key + " holds " + count + " claims, limit " + perUserLimit));
        }
    }
}
