package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.apiClaims;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;
import static org.wishengine.wish.it.GrabSupport.parse;
import static org.wishengine.wish.it.GrabSupport.redisClaims;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.store.ClaimJournal;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.StoreCodec;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 4 and recovery: after a graceful engine restart on the same Redis, every read answers
 * exactly as before, and the grab carries on from where it was (limits, repeats, fresh ids).
 */
@Timeout(60)
class RecoveryIT {

    private static final String CAMPAIGN = "recovery";
    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    private static final List<String> WISHES = List.of("rc-w1", "rc-w2", "rc-w3", "rc-w4", "rc-w5");
    private static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9");

    @TempDir
    Path tmp;

    @Test
    void shouldAnswerIdenticallyAfterRestartAndCarryOnTheGrab() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            // Other campaigns around it, so that listings across campaigns are compared too.
            createCampaign(harness, campaignBody("recovery-zz", 1, "rc-zz-w", List.of(2)));
            createCampaign(harness, campaignBody(CAMPAIGN, 2, "rc-w", List.of(3, 2, 2, 1, 5)));
            createCampaign(harness, campaignBody("recovery-aa", 1, "rc-aa-w", List.of(1, 1)));
            createCampaign(harness, campaignBody("recovery-mm", 3, "rc-mm-w", List.of(4)));
            claim(harness, "u1", "rc-zz-w1", 201);
            claim(harness, "u2", "rc-aa-w2", 201);
            claim(harness, "u9", "rc-mm-w1", 201);

            String u1w1 = claim(harness, "u1", "rc-w1", 201);
            String u1w2 = claim(harness, "u1", "rc-w2", 201);               // u1 now at the limit (2)
            String u2w1 = claim(harness, "u2", "rc-w1", 201);
            transition(harness, "u2", u2w1, "cancel", null, "cancelled");  // the unit goes back
            claim(harness, "u2", "rc-w3", 201);
            String u3w2 = claim(harness, "u3", "rc-w2", 201);               // rc-w2 sold out
            transition(harness, "u3", u3w2, "fulfil", null, "fulfilled");
            transition(harness, ADMIN, u3w2, "confirm", "{\"rating\":5,\"comment\":\"thank you\"}", "confirmed");
            String u4w4 = claim(harness, "u4", "rc-w4", 201);               // rc-w4 sold out
            transition(harness, "u4", u4w4, "fulfil", null, "fulfilled");
            String u5w1 = claim(harness, "u5", "rc-w1", 201);
            transition(harness, "u5", u5w1, "cancel", null, "cancelled");
            claim(harness, "u5", "rc-w5", 201);
            claim(harness, "u6", "rc-w5", 201);
            claim(harness, "u7", "rc-w3", 201);                             // rc-w3 sold out
            claimRefused(harness, "u8", "rc-w2", "sold_out");
            claimRefused(harness, "u1", "rc-w5", "limit_reached");
            assertEquals(u1w1, claim(harness, "u1", "rc-w1", 200));

            Map<String, String> before = snapshot(harness);
            Map<String, JsonNode> claimsBefore = apiClaims(harness, CAMPAIGN);
            assertEquals(10, claimsBefore.size(), claimsBefore::toString);
            assertEquals(claimsBefore.keySet(), redisClaims(harness.redis().uri(), CAMPAIGN).keySet());

            harness.stopEngine();
            harness.startEngine();

            assertSameState(before, snapshot(harness));

            // The grab carries on: limits, repeats and sold-out wishes hold as before the restart.
            claimRefused(harness, "u1", "rc-w5", "limit_reached");
            assertEquals(u1w1, claim(harness, "u1", "rc-w1", 200));
            assertEquals(u1w2, claim(harness, "u1", "rc-w2", 200));
            assertEquals(u3w2, claim(harness, "u3", "rc-w2", 200, "confirmed"));
            claimRefused(harness, "u8", "rc-w2", "sold_out");
            claimRefused(harness, "u9", "rc-w4", "sold_out");

            // New claims get ids never used before, including a re-claim of a cancelled unit.
            String u2again = claim(harness, "u2", "rc-w1", 201);
            String u9w5 = claim(harness, "u9", "rc-w5", 201);
            String u8w1 = claim(harness, "u8", "rc-w1", 201);
            Set<String> fresh = Set.of(u2again, u9w5, u8w1);
            assertEquals(3, fresh.size(), "new claim ids collide with each other: " + fresh);
            for (String id : fresh) {
                assertFalse(claimsBefore.containsKey(id), "new claim id " + id + " was already used before the restart");
            }
            claimRefused(harness, "u9", "rc-w1", "sold_out");           // 3 units: u1, u2 again, u8

            Map<String, JsonNode> listed = apiClaims(harness, CAMPAIGN);
            Map<String, JsonNode> stored = redisClaims(harness.redis().uri(), CAMPAIGN);
            assertEquals(13, listed.size(), listed::toString);
            assertEquals(listed.keySet(), stored.keySet(), "API ledger vs Redis after the restart");
            for (String id : fresh) {
                assertEquals(listed.get(id).path("userId").asText(), stored.get(id).path("userId").asText());
                assertEquals(listed.get(id).path("wishId").asText(), stored.get(id).path("wishId").asText());
                assertEquals("CLAIMED", stored.get(id).path("status").asText());
            }
            // The old claims in Redis are untouched by the new commits (a cancelled one stays cancelled).
            assertEquals("CANCELLED", stored.get(u2w1).path("status").asText());
            assertEquals("CONFIRMED", stored.get(u3w2).path("status").asText());

            // A second restart, after commits made by the second engine, again changes nothing.
            Map<String, String> second = snapshot(harness);
            harness.stopEngine();
            harness.startEngine();
            assertSameState(second, snapshot(harness));
        }
    }

    /**
     * Campaigns created at the same moment (same millisecond, from several organiser connections)
     * must still be listed in the same order after a restart, and engine-assigned ids must not be
     * handed out twice.
     */
    @Test
    void shouldKeepTheListingOrderOfCampaignsCreatedConcurrently() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            int campaigns = 48;
            ExecutorService pool = Executors.newFixedThreadPool(12);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> created = new ArrayList<>();
            for (int i = 0; i < campaigns; i++) {
                // Every third campaign lets the engine assign the campaign and wish ids.
                String body = i % 3 == 0
                        ? "{\"title\":\"anonymous " + i + "\",\"wishes\":[{\"title\":\"w\",\"quantity\":2}]}"
                        : campaignBody("concurrent-" + i, 1, "cc" + i + "-w", List.of(1, 2));
                created.add(pool.submit(() -> {
                    go.await();
                    return harness.post("/api/campaigns", ADMIN, body);
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<HttpResponse<String>> future : created) {
                HttpResponse<String> response = future.get(30, TimeUnit.SECONDS);
                assertEquals(201, response.statusCode(), response::body);
                assertTrue(ids.add(json(response).path("id").asText()), response::body);
            }
            pool.shutdown();
            String campaignsBefore = harness.get("/api/campaigns", null).body();
            String wishesBefore = harness.get("/api/wishes", null).body();
            // A cursor handed out before the restart names the same place after it (API.md 6.5).
            String pageBefore = harness.get("/api/wishes?limit=7&cursor=21", null).body();

            harness.stopEngine();
            harness.startEngine();

            String campaignsAfter = harness.get("/api/campaigns", null).body();
            String wishesAfter = harness.get("/api/wishes", null).body();
            assertEquals(idsIn(campaignsBefore, "campaigns"), idsIn(campaignsAfter, "campaigns"),
                    "GET /api/campaigns lists campaigns in another order after the restart");
            assertEquals(idsIn(wishesBefore, "wishes"), idsIn(wishesAfter, "wishes"),
                    "GET /api/wishes lists wishes in another order after the restart");
            assertEquals(parse(campaignsBefore), parse(campaignsAfter));
            assertEquals(parse(wishesBefore), parse(wishesAfter));
            JsonNode pageAfter = parse(harness.get("/api/wishes?limit=7&cursor=21", null).body());
            assertEquals(parse(pageBefore), pageAfter);
            assertEquals(7, pageAfter.path("wishes").size(), pageAfter::toString);
            assertEquals("28", pageAfter.path("nextCursor").asText(), pageAfter::toString);

            // Engine-assigned ids after the restart are new ones.
            HttpResponse<String> another = harness.post("/api/campaigns", ADMIN,
                    "{\"title\":\"after restart\",\"wishes\":[{\"title\":\"w\",\"quantity\":1}]}");
            assertEquals(201, another.statusCode(), another::body);
            JsonNode fresh = json(another);
            assertFalse(ids.contains(fresh.path("id").asText()), another::body);
            for (JsonNode wish : parse(wishesBefore).path("wishes")) {
                assertFalse(wish.path("id").asText().equals(fresh.path("wishes").path(0).path("id").asText()),
                        () -> "wish id reused: " + another.body());
            }
        }
    }

    /**
     * The journal is folded into the snapshot at start-up, and folding survives a crash between
     * writing the snapshot and trimming the journal: entries replayed over a snapshot that
     * already has them change nothing. The JSON snapshot hash that earlier engines folded into
     * is still read, and migrated.
     */
    @Test
    void shouldFoldTheJournalAtStartUpAndSurviveACrashInTheMiddleOfIt() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            createCampaign(harness, campaignBody(CAMPAIGN, 2, "rc-w", List.of(3, 2, 2, 1, 5)));
            String u1w1 = claim(harness, "u1", "rc-w1", 201);
            claim(harness, "u2", "rc-w1", 201);
            transition(harness, "u1", u1w1, "fulfil", null, "fulfilled");
            String u3w4 = claim(harness, "u3", "rc-w4", 201);
            transition(harness, "u3", u3w4, "cancel", null, "cancelled");
            Map<String, JsonNode> committed = redisClaims(harness.redis().uri(), CAMPAIGN);
            assertEquals(3, committed.size(), committed::toString);

            try (Redis redis = new Redis(harness.redis().uri())) {
                List<String> journal = redis.commands().lrange(Keys.journal(CAMPAIGN), 0, -1);
                assertFalse(journal.isEmpty(), "commits should have gone to the journal");
                assertEquals(0, redis.commands().exists(Keys.snapshot(CAMPAIGN)), "nothing folded before a restart");

                Map<String, String> before = snapshot(harness);
                harness.stopEngine();
                harness.startEngine();
                assertSameState(before, snapshot(harness));
                assertEquals(0, redis.commands().llen(Keys.journal(CAMPAIGN)), "journal folded at start-up");
                assertEquals(1, redis.commands().llen(Keys.snapshot(CAMPAIGN)));
                assertEquals(committed, redisClaims(harness.redis().uri(), CAMPAIGN));

                // As if the engine had died after folding into the snapshot but before trimming:
                // the same entries are still in the journal at the next start.
                harness.stopEngine();
                redis.commands().rpush(Keys.journal(CAMPAIGN), journal.toArray(new String[0]));
                harness.startEngine();
                assertSameState(before, snapshot(harness));
                assertEquals(0, redis.commands().llen(Keys.journal(CAMPAIGN)));
                assertEquals(committed, redisClaims(harness.redis().uri(), CAMPAIGN));

                // As an earlier engine would have left it: the claims as JSON in the snapshot
                // hash, the last journal entry not folded yet.
                harness.stopEngine();
                StoreCodec codec = new StoreCodec();
                Map<String, String> legacy = new LinkedHashMap<>();
                for (String entry : journal.subList(0, journal.size() - 1)) {
                    for (Claim claim : ClaimJournal.read(entry, CAMPAIGN)) {
                        legacy.put(claim.id(), codec.write(claim));
                    }
                }
                redis.commands().del(Keys.snapshot(CAMPAIGN));
                redis.commands().hset(Keys.claims(CAMPAIGN), legacy);
                redis.commands().rpush(Keys.journal(CAMPAIGN), journal.get(journal.size() - 1));
                harness.startEngine();
                assertSameState(before, snapshot(harness));
                assertEquals(0, redis.commands().exists(Keys.claims(CAMPAIGN)), "JSON snapshot migrated");
                assertEquals(0, redis.commands().llen(Keys.journal(CAMPAIGN)));
                assertEquals(committed, redisClaims(harness.redis().uri(), CAMPAIGN));
            }
            // The grab carries on from the folded state: the cancelled unit is free once.
            claim(harness, "u4", "rc-w4", 201);
            claimRefused(harness, "u5", "rc-w4", "sold_out");
        }
    }

    /** A plain connection to the harness's Redis, to look at and tamper with the keys. */
    private static final class Redis implements AutoCloseable {
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;

        Redis(String uri) {
            client = RedisClient.create(RedisURI.create(uri));
            connection = client.connect();
        }

        RedisCommands<String, String> commands() {
            return connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static List<String> idsIn(String listing, String field) {
        List<String> ids = new ArrayList<>();
        parse(listing).path(field).forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    /** Every read the API offers on this campaign, by request path (plus the user for /api/me). */
    private static Map<String, String> snapshot(EngineHarness harness) throws IOException, InterruptedException {
        Map<String, String> state = new LinkedHashMap<>();
        read(harness, state, "/api/campaigns", null);
        read(harness, state, "/api/wishes", null);
        read(harness, state, "/api/wishes?available=true", null);
        read(harness, state, "/api/campaigns/" + CAMPAIGN, null);
        read(harness, state, "/api/wishes?campaign=" + CAMPAIGN, null);
        read(harness, state, "/api/wishes?campaign=" + CAMPAIGN + "&available=true", null);
        for (String wish : WISHES) {
            read(harness, state, "/api/wishes/" + wish, null);
        }
        read(harness, state, "/api/campaigns/" + CAMPAIGN + "/claims", ADMIN);
        read(harness, state, "/api/campaigns/" + CAMPAIGN + "/claims?format=csv", ADMIN);
        read(harness, state, "/api/stats", null);
        read(harness, state, "/api/stats?campaign=" + CAMPAIGN, null);
        for (String user : USERS) {
            read(harness, state, "/api/me/claims " + user, user);
        }
        for (JsonNode claim : parse(state.get("/api/campaigns/" + CAMPAIGN + "/claims")).path("claims")) {
            read(harness, state, "/api/claims/" + claim.path("id").asText(), ADMIN);
        }
        return state;
    }

    private static void read(EngineHarness harness, Map<String, String> state, String key, String who)
            throws IOException, InterruptedException {
        String path = key.split(" ")[0];
        String token = who == null ? null : who.equals(ADMIN) ? ADMIN : harness.userToken(who);
        HttpResponse<String> response = harness.get(path, token);
        assertEquals(200, response.statusCode(), () -> key + ": " + response.body());
        state.put(key, response.body());
    }

    private static void assertSameState(Map<String, String> before, Map<String, String> after) {
        assertEquals(before.keySet(), after.keySet());
        for (Map.Entry<String, String> entry : before.entrySet()) {
            String key = entry.getKey();
            if (key.contains("format=csv")) {
                assertEquals(entry.getValue(), after.get(key), key + " differs after the restart");
            } else {
                assertEquals(parse(entry.getValue()), parse(after.get(key)), key + " differs after the restart");
            }
        }
    }

    private static String claim(EngineHarness harness, String user, String wish, int expectedStatus)
            throws IOException, InterruptedException {
        return claim(harness, user, wish, expectedStatus, "claimed");
    }

    private static String claim(EngineHarness harness, String user, String wish, int expectedStatus,
                                String expectedClaimStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = harness.post("/api/wishes/" + wish + "/claims", harness.userToken(user), null);
        assertEquals(expectedStatus, response.statusCode(), () -> user + " on " + wish + ": " + response.body());
        JsonNode claim = json(response);
        assertEquals(user, claim.path("userId").asText());
        assertEquals(wish, claim.path("wishId").asText());
        assertEquals(expectedClaimStatus, claim.path("status").asText());
        String id = claim.path("id").asText();
        assertEquals("/api/claims/" + id, response.headers().firstValue("Location").orElse(null));
        return id;
    }

    private static void claimRefused(EngineHarness harness, String user, String wish, String error)
            throws IOException, InterruptedException {
        HttpResponse<String> response = harness.post("/api/wishes/" + wish + "/claims", harness.userToken(user), null);
        assertEquals(409, response.statusCode(), () -> user + " on " + wish + ": " + response.body());
        assertEquals(error, json(response).path("error").asText(), response::body);
    }

    private static void transition(EngineHarness harness, String who, String claimId, String action, String body,
                                   String expectedStatus) throws IOException, InterruptedException {
        String token = who.equals(ADMIN) ? ADMIN : harness.userToken(who);
        HttpResponse<String> response = harness.post("/api/claims/" + claimId + "/" + action, token, body);
        assertEquals(200, response.statusCode(), () -> action + " " + claimId + ": " + response.body());
        JsonNode claim = json(response);
        assertEquals(claimId, claim.path("id").asText());
        assertEquals(expectedStatus, claim.path("status").asText());
        assertNotNull(claim.path("claimedAt").asText(null));
        assertTrue(claim.path(action.equals("cancel") ? "cancelledAt" : action.equals("fulfil") ? "fulfilledAt"
                : "confirmedAt").isTextual(), () -> "no timestamp for " + action + ": " + response.body());
    }
}
