package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.json;
import static org.wishengine.wish.it.GrabSupport.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.store.CommittedClaims;
import org.wishengine.wish.store.StoreCodec;

/** Helpers of the lifecycle, expiry and event-stream integration tests. */
final class ClaimLifecycleSupport {

    static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    static final List<String> TIMES = List.of("claimedAt", "fulfilledAt", "confirmedAt", "cancelledAt", "expiredAt");

    private ClaimLifecycleSupport() {
    }

    /** Claims {@code wishId} as {@code user}, asserts the status code, returns the body. */
    static JsonNode claim(EngineHarness harness, String user, String wishId, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = harness.post("/api/wishes/" + wishId + "/claims", harness.userToken(user), null);
        assertEquals(expected, response.statusCode(), () -> user + " claims " + wishId + ": " + response.body());
        return json(response);
    }

    /** {@code POST /api/claims/{id}/{action}} with the credential given verbatim (user token or organiser token). */
    static HttpResponse<String> act(EngineHarness harness, String credential, String claimId, String action, String body)
            throws IOException, InterruptedException {
        return harness.post("/api/claims/" + claimId + "/" + action, credential, body);
    }

    /** Asserts an error response: status, {@code error} code, and {@code message} present. */
    static JsonNode assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response::body);
        JsonNode body = json(response);
        assertEquals(code, body.path("error").asText(), response::body);
        assertTrue(body.path("message").isTextual(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "error content type: " + response.headers().map());
        return body;
    }

    /** Asserts 409 {@code invalid_state} carrying the claim's current {@code status}. */
    static void assertInvalidState(HttpResponse<String> response, String status) {
        JsonNode body = assertError(response, 409, "invalid_state");
        assertEquals(status, body.path("status").asText(), response::body);
    }

    /** Asserts a 200 claim answer in {@code status} and returns it. */
    static JsonNode assertClaim(HttpResponse<String> response, String status) {
        assertEquals(200, response.statusCode(), response::body);
        JsonNode claim = json(response);
        assertEquals(status, claim.path("status").asText(), response::body);
        return claim;
    }

    static long millis(JsonNode claim, String field) {
        JsonNode value = claim.get(field);
        return value == null ? 0 : Instant.parse(value.asText()).toEpochMilli();
    }

    static JsonNode get(EngineHarness harness, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = harness.get(path, null);
        assertEquals(200, response.statusCode(), () -> path + ": " + response.body());
        return json(response);
    }

    static int remaining(EngineHarness harness, String wishId) throws IOException, InterruptedException {
        return get(harness, "/api/wishes/" + wishId).path("remaining").asInt(-1);
    }

    /** A campaign body with one wish per quantity, open now, with the given limits. */
    static String campaign(String id, int perUserLimit, int fulfilWithinHours, String wishPrefix, int... quantities) {
        StringBuilder body = new StringBuilder("{\"id\":\"").append(id).append("\",\"title\":\"Campaign ").append(id)
                .append("\",\"perUserLimit\":").append(perUserLimit)
                .append(",\"fulfilWithinHours\":").append(fulfilWithinHours).append(",\"wishes\":[");
        for (int i = 0; i < quantities.length; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"id\":\"").append(wishPrefix).append(i + 1).append("\",\"title\":\"Wish ").append(i + 1)
                    .append("\",\"quantity\":").append(quantities[i]).append('}');
        }
        return body.append("]}").toString();
    }

    /**
     * What the lifecycle and expiry tests extend: a fresh engine per test whose periodic expiry
     * tick is an hour away, so expiry happens only when a test asks for it (start-up tick aside),
     * and a reader of what the engine committed to Redis.
     */
    abstract static class ManualExpiryEngine {

        @TempDir
        Path tmp;

        EngineHarness harness;
        StoredClaims redis;

        @BeforeEach
        void startEngineAndStoreReader() throws Exception {
            harness = EngineHarness.start(tmp, config -> config.withExpiryInterval(Duration.ofHours(1)));
            redis = new StoredClaims(harness.redis().uri());
        }

        @AfterEach
        void stopEngineAndStoreReader() {
            if (redis != null) {
                redis.close();
            }
            if (harness != null) {
                harness.close();
            }
        }
    }

    /** One Lettuce connection to the harness's Redis, for reading what the engine committed. */
    static final class StoredClaims implements AutoCloseable {

        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final StoreCodec codec = new StoreCodec();

        StoredClaims(String redisUri) {
            client = RedisClient.create(RedisURI.create(redisUri));
            connection = client.connect();
        }

        /** The claim as committed (snapshot hash plus journal), or null. */
        JsonNode get(String campaignId, String claimId) {
            Claim claim = committed(campaignId).get(claimId);
            return claim == null ? null : parse(codec.write(claim));
        }

        long count(String campaignId) {
            return committed(campaignId).size();
        }

        private Map<String, Claim> committed(String campaignId) {
            try {
                return CommittedClaims.read(connection.sync(), codec, campaignId).claims();
            } catch (JsonProcessingException e) {
                throw new AssertionError("unreadable claim in Redis", e);
            }
        }

        /**
         * Asserts that Redis holds exactly the claim the API answered: same owner, wish, status
         * (upper case in the store), timestamps (epoch millis, 0 when absent), rating and comment.
         */
        JsonNode assertMatches(JsonNode apiClaim) {
            String id = apiClaim.path("id").asText();
            JsonNode stored = get(apiClaim.path("campaignId").asText(), id);
            assertNotNull(stored, () -> "claim " + id + " is not in Redis");
            assertEquals(id, stored.path("id").asText());
            assertEquals(apiClaim.path("userId").asText(), stored.path("userId").asText(), "userId of " + id);
            assertEquals(apiClaim.path("wishId").asText(), stored.path("wishId").asText(), "wishId of " + id);
            assertEquals(apiClaim.path("status").asText().toUpperCase(Locale.ROOT), stored.path("status").asText(),
                    () -> "status of " + id + " in Redis: " + stored);
            for (String field : TIMES) {
                assertEquals(millis(apiClaim, field), stored.path(field).asLong(0),
                        () -> field + " of " + id + " in Redis: " + stored + " vs API " + apiClaim);
            }
            assertEquals(apiClaim.path("rating").asInt(0), stored.path("rating").asInt(0), "rating of " + id);
            JsonNode comment = stored.get("comment");
            assertEquals(apiClaim.has("comment") ? apiClaim.get("comment").asText() : null,
                    comment == null || comment.isNull() ? null : comment.asText(), "comment of " + id);
            return stored;
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
