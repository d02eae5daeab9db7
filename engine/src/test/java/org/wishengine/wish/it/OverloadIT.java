package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.apiClaims;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;
import static org.wishengine.wish.it.GrabSupport.readiness;
import static org.wishengine.wish.it.GrabSupport.redisClaims;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Far more offered load than a tiny ring can hold: 64 connections each keep a window of pipelined
 * claims outstanding in a closed loop against a 16-slot ring. The engine must shed the excess with
 * 503 {@code overloaded} (which changes nothing) and stay exact for everything it accepts.
 */
@Timeout(120)
class OverloadIT {

    private static final String BIG = "overload-big";
    private static final String SMALL = "overload-small";
    private static final int SMALL_UNITS_PER_WISH = 40;
    private static final int CONNECTIONS = 64;
    private static final int WINDOW = 8;
    private static final long RUN_MILLIS = 4_000;
    private static final int MAX_ROUNDS = 400;

    @TempDir
    Path tmp;

    /** One claim sent and its answer. */
    private record Sent(String user, String wishId, WireConnection.Response answer) {
    }

    @Test
    void shouldShedExcessLoadWith503AndStayExact() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp, config -> config.withRingSize(16))) {
            createCampaign(harness, campaignBody(BIG, 1, "ov-big-w", List.of(100_000)));
            createCampaign(harness, campaignBody(SMALL, 1, "ov-small-w",
                    List.of(SMALL_UNITS_PER_WISH, SMALL_UNITS_PER_WISH, SMALL_UNITS_PER_WISH)));
            int port = harness.engine().port();

            CountDownLatch connected = new CountDownLatch(CONNECTIONS);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<List<Sent>>> workers = new ArrayList<>();
            Map<String, String> tokens = new ConcurrentHashMap<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connectionIndex = c;
                workers.add(pool.submit(() -> {
                    List<Sent> log = new ArrayList<>();
                    Random random = new Random(7_000 + connectionIndex);
                    try (WireConnection connection = new WireConnection(port, 30_000)) {
                        connected.countDown();
                        go.await();
                        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
                        int next = 0;
                        String lastUser = null;
                        String lastWish = null;
                        for (int round = 0; round < MAX_ROUNDS && System.nanoTime() < end; round++) {
                            List<String[]> window = new ArrayList<>(WINDOW);
                            StringBuilder batch = new StringBuilder();
                            for (int i = 0; i < WINDOW; i++) {
                                String user;
                                String wish;
                                int dice = random.nextInt(10);
                                if (dice == 0 && lastUser != null) {
                                    user = lastUser;       // a repeat of an earlier request
                                    wish = lastWish;
                                } else {
                                    user = "ov-" + connectionIndex + "-" + next++;
                                    wish = dice < 7 ? "ov-big-w1" : "ov-small-w" + (1 + random.nextInt(3));
                                }
                                lastUser = user;
                                lastWish = wish;
                                String token = tokens.computeIfAbsent(user, harness::userToken);
                                window.add(new String[] {user, wish});
                                batch.append(WireConnection.claim(wish, token));
                            }
                            connection.send(batch.toString());
                            for (String[] sent : window) {
                                log.add(new Sent(sent[0], sent[1], connection.read()));
                            }
                        }
                    }
                    return log;
                }));
            }
            assertTrue(connected.await(30, TimeUnit.SECONDS), "clients did not connect");
            go.countDown();
            List<List<Sent>> logs = new ArrayList<>();
            for (Future<List<Sent>> worker : workers) {
                logs.add(worker.get(60, TimeUnit.SECONDS)); // generous 'completes within'
            }
            pool.shutdown();

            // ---- every answer is one the contract allows; replay each connection's log in order
            List<String> problems = new ArrayList<>();
            Map<String, Integer> answers = new TreeMap<>();
            Map<String, Sent> acknowledged = new HashMap<>();              // claim id -> its 201
            Map<String, String> heldBy = new HashMap<>();                  // user|wish -> claim id
            int total = 0;
            for (List<Sent> log : logs) {
                for (Sent sent : log) {
                    total++;
                    WireConnection.Response answer = sent.answer();
                    String error = answer.status() >= 400 ? answer.error() : null;
                    answers.merge(answer.status() + (error == null ? "" : " " + error), 1, Integer::sum);
                    String key = sent.user() + "|" + sent.wishId();
                    switch (answer.status()) {
                        case 201 -> {
                            JsonNode claim = answer.json();
                            checkClaim(problems, sent, claim);
                            String id = claim.path("id").asText();
                            if (acknowledged.put(id, sent) != null) {
                                problems.add("claim id acknowledged twice: " + id);
                            }
                            if (heldBy.put(key, id) != null) {
                                problems.add("a second 201 for " + key + ": " + answer);
                            }
                            if (!("/api/claims/" + id).equals(answer.header("Location"))) {
                                problems.add("201 without its Location: " + answer);
                            }
                        }
                        case 200 -> {
                            checkClaim(problems, sent, answer.json());
                            if (!answer.json().path("id").asText().equals(heldBy.get(key))) {
                                problems.add("200 for " + key + " but its 201 was " + heldBy.get(key) + ": " + answer);
                            }
                        }
                        case 409 -> {
                            if (!"sold_out".equals(error) || !sent.wishId().startsWith("ov-small-w")) {
                                problems.add("unexpected 409 for " + key + ": " + answer);
                            }
                            if (heldBy.containsKey(key)) {
                                problems.add(key + " holds a claim but got " + answer);
                            }
                        }
                        case 503 -> {
                            if (!"overloaded".equals(error) || !"1".equals(answer.header("Retry-After"))) {
                                problems.add("503 must be overloaded with Retry-After: 1: " + answer);
                            }
                        }
                        default -> problems.add("unexpected status for " + key + ": " + answer);
                    }
                }
            }
            System.out.println("INFO OverloadIT: " + total + " claim requests on " + CONNECTIONS
                    + " connections against a 16-slot ring: " + answers);
            assertTrue(problems.isEmpty(), () -> problems.size() + " contract violations, first: "
                    + problems.subList(0, Math.min(20, problems.size())));
            int shed = answers.getOrDefault("503 overloaded", 0);
            assertTrue(shed > 0, "no request was shed with 503; the load did not overflow the ring: " + answers);
            assertTrue(acknowledged.size() > 0, "nothing was accepted: " + answers);

            // ---- every 201 is in Redis and in the ledger, and nothing else is (a 503 changed nothing)
            for (String campaign : List.of(BIG, SMALL)) {
                Map<String, Sent> expected = new HashMap<>();
                acknowledged.forEach((id, sent) -> {
                    if (sent.wishId().startsWith(campaign.equals(BIG) ? "ov-big-w" : "ov-small-w")) {
                        expected.put(id, sent);
                    }
                });
                Map<String, JsonNode> stored = redisClaims(harness.redis().uri(), campaign);
                Map<String, JsonNode> listed = apiClaims(harness, campaign);
                assertEquals(expected.keySet(), stored.keySet(), campaign + ": claims in Redis vs the 201s");
                assertEquals(expected.keySet(), listed.keySet(), campaign + ": the ledger vs the 201s");
                Map<String, Integer> perWish = new TreeMap<>();
                Set<String> userWish = new HashSet<>();
                for (Map.Entry<String, JsonNode> entry : stored.entrySet()) {
                    Sent sent = expected.get(entry.getKey());
                    JsonNode claim = entry.getValue();
                    assertEquals(sent.user(), claim.path("userId").asText(), entry::toString);
                    assertEquals(sent.wishId(), claim.path("wishId").asText(), entry::toString);
                    assertEquals("CLAIMED", claim.path("status").asText(), entry::toString);
                    assertEquals(sent.user(), listed.get(entry.getKey()).path("userId").asText());
                    assertEquals(sent.wishId(), listed.get(entry.getKey()).path("wishId").asText());
                    perWish.merge(sent.wishId(), 1, Integer::sum);
                    assertTrue(userWish.add(sent.user() + "|" + sent.wishId()), () -> "two claims: " + entry);
                }
                // ---- no unit twice, and remaining agrees with the claims held
                JsonNode detail = json(harness.get("/api/campaigns/" + campaign, null));
                for (JsonNode wish : detail.path("wishes")) {
                    int held = perWish.getOrDefault(wish.path("id").asText(), 0);
                    int quantity = wish.path("quantity").asInt();
                    assertTrue(held <= quantity, () -> wish + " has " + held + " claims");
                    assertEquals(quantity - held, wish.path("remaining").asInt(), wish::toString);
                }
            }

            // ---- and the engine serves normally afterwards
            assertEquals(200, readiness(harness));
            String token = harness.userToken("ov-after");
            HttpResponse<String> first = harness.post("/api/wishes/ov-big-w1/claims", token, null);
            assertEquals(201, first.statusCode(), first::body);
            HttpResponse<String> again = harness.post("/api/wishes/ov-big-w1/claims", token, null);
            assertEquals(200, again.statusCode(), again::body);
            assertEquals(json(first).path("id").asText(), json(again).path("id").asText());
            assertEquals(200, harness.get("/api/stats", null).statusCode());
        }
    }

    private static void checkClaim(List<String> problems, Sent sent, JsonNode claim) {
        if (!sent.user().equals(claim.path("userId").asText()) || !sent.wishId().equals(claim.path("wishId").asText())
                || !"claimed".equals(claim.path("status").asText()) || claim.path("id").asText().isEmpty()) {
            problems.add("claim answer for " + sent.user() + " on " + sent.wishId() + " is wrong: " + claim);
        }
    }
}
