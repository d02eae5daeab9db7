package org.wishengine.wish.it;

import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.wishengine.wish.store.CommittedClaims;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.StoreCodec;

/** Helpers shared by the flash-grab, recovery and outage integration tests. */
final class GrabSupport {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private GrabSupport() {
    }

    /** A fresh HTTP/1.1 client: one keep-alive connection per thread that sends synchronously. */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static JsonNode json(HttpResponse<String> response) {
        return parse(response.body());
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** A campaign body with wishes {@code <prefix>1..n} of the given quantities, open now. */
    static String campaignBody(String campaignId, int perUserLimit, String wishPrefix, List<Integer> quantities) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", campaignId);
        root.put("title", "Campaign " + campaignId);
        root.put("perUserLimit", perUserLimit);
        root.put("fulfilWithinHours", 168);
        ArrayNode wishes = root.putArray("wishes");
        for (int i = 0; i < quantities.size(); i++) {
            ObjectNode wish = wishes.addObject();
            wish.put("id", wishPrefix + (i + 1));
            wish.put("title", "Wish " + (i + 1));
            wish.put("quantity", quantities.get(i));
            wish.put("category", "elderly");
        }
        return root.toString();
    }

    /** Creates a campaign as organiser and asserts 201. */
    static JsonNode createCampaign(EngineHarness harness, String body) throws IOException, InterruptedException {
        HttpResponse<String> created = harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN, body);
        assertEquals(201, created.statusCode(), () -> "campaign creation: " + created.body());
        return json(created);
    }

    /** A claim request of {@code user} on {@code wishId} with an explicit timeout. */
    static HttpRequest claimRequest(EngineHarness harness, String wishId, String token, Duration timeout) {
        return harness.request("/api/wishes/" + wishId + "/claims", token)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    /** The campaign's claims as the organiser sees them through the API, by claim id. */
    static Map<String, JsonNode> apiClaims(EngineHarness harness, String campaignId)
            throws IOException, InterruptedException {
        // A 503 changes nothing and says "again shortly" (e.g. a cluster node re-confirming its
        // lease after a Redis failover): asked again, as a client would, for a while.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        HttpResponse<String> response = harness.get("/api/campaigns/" + campaignId + "/claims", EngineHarness.ADMIN_TOKEN);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            response = harness.get("/api/campaigns/" + campaignId + "/claims", EngineHarness.ADMIN_TOKEN);
        }
        HttpResponse<String> answered = response;
        assertEquals(200, answered.statusCode(), answered::body);
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode claim : json(answered).path("claims")) {
            if (byId.put(claim.path("id").asText(), claim) != null) {
                fail("claim listed twice: " + claim);
            }
        }
        return byId;
    }

    /** The campaign's claims as committed to Redis (snapshot plus journal), by claim id. */
    static Map<String, JsonNode> redisClaims(String redisUri, String campaignId) {
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            StoreCodec codec = new StoreCodec();
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            CommittedClaims.read(connection.sync(), codec, campaignId).claims()
                    .forEach((id, claim) -> byId.put(id, parse(codec.write(claim))));
            return byId;
        } catch (JsonProcessingException e) {
            throw new AssertionError("unreadable claim in Redis", e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Whether Redis has the engine's commit script in its script cache. */
    static boolean commitScriptCached(String redisUri) {
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().scriptExists(commitScriptSha()).get(0);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    static String commitScriptSha() {
        try (InputStream in = GrabSupport.class.getResourceAsStream("/lua/commit.lua")) {
            if (in == null) {
                throw new IllegalStateException("lua/commit.lua is not on the test class path");
            }
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(in.readAllBytes());
            return HexFormat.of().formatHex(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every few milliseconds until it holds; fails after {@code within}. */
    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long pause = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + within.toMillis() + " ms waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(pause); // poll interval, not synchronisation
            pause = Math.min(pause * 2, 100);
        }
    }

    /** Status of {@code GET /health/ready}, or -1 when the request itself failed. */
    static int readiness(EngineHarness harness) {
        try {
            return harness.send(harness.request("/health/ready", null).timeout(Duration.ofSeconds(5)).GET().build())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A batch of one claim of {@code campaignId}, and the campaign's definition when {@code withCampaign}. */
    static Batch oneClaimBatch(String campaignId, long sequence, boolean withCampaign, String claimId) {
        long now = System.currentTimeMillis();
        Batch batch = new Batch(sequence);
        if (withCampaign) {
            batch.campaigns().add(new Campaign(campaignId, "fencing", now, 1, 168, now,
                    List.of(new WishSpec("w-1", "radio", 3, null, null, null, null))));
        }
        batch.claims().add(new Claim(claimId, "w-1", campaignId, "user-" + claimId, ClaimStatus.CLAIMED, now, 0, 0, 0,
                0, 0, null));
        return batch;
    }
}
