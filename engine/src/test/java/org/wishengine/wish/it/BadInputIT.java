package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;

/**
 * Hostile and malformed input against a running engine: every case checks the exact status and
 * error code of the API contract, and that the engine still serves a valid claim afterwards.
 */
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final int MiB = 1024 * 1024;
    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;

    @TempDir
    static Path dir;

    private static EngineHarness engine;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = EngineHarness.start(dir);
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    // ================================================================== campaign bodies

    @Test
    void shouldRefuseMalformedJsonWith400() throws Exception {
        for (String body : new String[] {"{", "{\"title\":", "not json", "{'title':'x'}", "{\"title\":\"T\",}"}) {
            assertError(engine.post("/api/campaigns", ADMIN, body), 400, "invalid_request");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAnEmptyBodyWith400() throws Exception {
        assertError(engine.post("/api/campaigns", ADMIN, null), 400, "invalid_request");
        assertError(engine.post("/api/campaigns", ADMIN, ""), 400, "invalid_request");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseJsonThatIsNotAnObjectWith400() throws Exception {
        for (String body : new String[] {"[]", "[" + campaignJson(id("c"), id("w"), 1) + "]", "\"campaign\"", "42",
            "null", "true"}) {
            assertError(engine.post("/api/campaigns", ADMIN, body), 400, "invalid_request");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseTrailingGarbageAfterTheObjectWith400() throws Exception {
        String campaignId = id("c");
        String wishId = id("w");
        assertError(engine.post("/api/campaigns", ADMIN, campaignJson(campaignId, wishId, 1) + " garbage"),
                400, "invalid_request");
        assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAMissingTitleNamingTheField() throws Exception {
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"wishes\":[{\"title\":\"W\"}]}"), "title");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"  \",\"wishes\":[{\"title\":\"W\"}]}"),
                "title");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"T\",\"wishes\":[{\"quantity\":1}]}"),
                "wishes[0].title");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseMissingOrEmptyWishesNamingTheField() throws Exception {
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"T\"}"), "wishes");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"T\",\"wishes\":[]}"), "wishes");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"T\",\"wishes\":null}"), "wishes");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"T\",\"wishes\":{\"title\":\"W\"}}"),
                "wishes");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"title\":\"T\",\"wishes\":[\"W\"]}"), "wishes[0]");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseQuantityZeroNamingTheField() throws Exception {
        assertBadQuantity("0");
    }

    @Test
    void shouldRefuseQuantityAboveOneHundredThousandNamingTheField() throws Exception {
        assertBadQuantity("100001");
    }

    @Test
    void shouldRefuseQuantityAsAStringNamingTheField() throws Exception {
        assertBadQuantity("\"3\"");
    }

    @Test
    void shouldAcceptQuantityAtItsBounds() throws Exception {
        String campaignId = id("c");
        String body = "{\"id\":\"" + campaignId + "\",\"title\":\"Bounds\",\"wishes\":[{\"title\":\"one\",\"quantity\":1},"
                + "{\"title\":\"many\",\"quantity\":100000}]}";
        HttpResponse<String> created = engine.post("/api/campaigns", ADMIN, body);
        assertEquals(201, created.statusCode(), created::body);
        assertEquals(100_001, json(created).get("units").asLong());
        assertStillServesAValidClaim();
    }

    private static void assertBadQuantity(String quantity) throws Exception {
        String campaignId = id("c");
        String body = "{\"id\":\"" + campaignId + "\",\"title\":\"T\",\"wishes\":[{\"title\":\"ok\"},"
                + "{\"title\":\"bad\",\"quantity\":" + quantity + "}]}";
        assertInvalid(engine.post("/api/campaigns", ADMIN, body), "wishes[1].quantity");
        assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseACampaignIdOf65CharactersNamingTheField() throws Exception {
        String tooLong = "c".repeat(65);
        assertInvalid(engine.post("/api/campaigns", ADMIN, campaignJson(tooLong, id("w"), 1)), "id");
        assertError(engine.get("/api/campaigns/" + tooLong, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAcceptACampaignIdOfExactly64Characters() throws Exception {
        String prefix = id("c") + "-";
        String longest = prefix + "x".repeat(64 - prefix.length());
        HttpResponse<String> created = engine.post("/api/campaigns", ADMIN, campaignJson(longest, null, 1));
        assertEquals(201, created.statusCode(), created::body);
        assertEquals("/api/campaigns/" + longest, created.headers().firstValue("Location").orElse(null));
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseIdsWithBadCharactersNamingTheField() throws Exception {
        for (String bad : new String[] {"a b", "é", "", "a/b", "a.b", "c%20d", "中文"}) {
            assertInvalid(engine.post("/api/campaigns", ADMIN, campaignJson(bad, id("w"), 1)), "id");
            assertInvalid(engine.post("/api/campaigns", ADMIN, campaignJson(id("c"), bad, 1)), "wishes[0].id");
        }
        assertInvalid(engine.post("/api/campaigns", ADMIN, campaignJson(id("c"), "w".repeat(65), 1)),
                "wishes[0].id");
        assertInvalid(engine.post("/api/campaigns", ADMIN, "{\"id\":17,\"title\":\"T\",\"wishes\":[{\"title\":\"W\"}]}"),
                "id");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseABadOpensAtNamingTheField() throws Exception {
        for (String opensAt : new String[] {"\"tomorrow\"", "\"2026-12-01\"", "\"2026-13-01T02:00:00Z\"",
            "\"\"", "1764554400000", "true", "{}"}) {
            String campaignId = id("c");
            String body = "{\"id\":\"" + campaignId + "\",\"title\":\"T\",\"opensAt\":" + opensAt
                    + ",\"wishes\":[{\"title\":\"W\"}]}";
            assertInvalid(engine.post("/api/campaigns", ADMIN, body), "opensAt");
            assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAnOpensAtOutsideItsRangeNamingTheFieldAndTheRange() throws Exception {
        // The first two once overflowed epoch millis: an empty reply and a dropped connection.
        // Epoch 0 was stored, then left out of every view, where 0 stands for "no instant".
        try (WireConnection connection = new WireConnection(engine.engine().port(), 10_000)) {
            for (String opensAt : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                "1970-01-01T00:00:00Z", "1999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z"}) {
                String campaignId = id("c");
                WireConnection.Response refused = assertWireError(connection,
                        WireConnection.post("/api/campaigns", ADMIN, campaignOpeningAt(campaignId, opensAt)),
                        400, "invalid_request");
                assertEquals("opensAt", refused.json().path("field").asText(null), refused::toString);
                String message = refused.json().path("message").asText("");
                assertTrue(message.contains("2000-01-01T00:00:00Z") && message.contains("9999-12-31T23:59:59.999Z"),
                        () -> "the message states the range: " + message);
                assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
            }
            connection.send(WireConnection.get("/api/stats", null));
            assertEquals(200, connection.read().status(), "the same connection still serves");
        }
        for (String opensAt : new String[] {"2000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"}) {
            String campaignId = id("c");
            HttpResponse<String> created = engine.post("/api/campaigns", ADMIN, campaignOpeningAt(campaignId, opensAt));
            assertEquals(201, created.statusCode(), created::body);
            assertEquals(opensAt, json(engine.get("/api/campaigns/" + campaignId, null)).path("opensAt").asText(null),
                    "a bound of the range is kept and shown");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefusePerUserLimitZeroNamingTheField() throws Exception {
        for (String limit : new String[] {"0", "-1", "\"1\"", "1.5"}) {
            String body = "{\"title\":\"T\",\"perUserLimit\":" + limit + ",\"wishes\":[{\"title\":\"W\"}]}";
            assertInvalid(engine.post("/api/campaigns", ADMIN, body), "perUserLimit");
        }
        assertInvalid(engine.post("/api/campaigns", ADMIN,
                "{\"title\":\"T\",\"fulfilWithinHours\":0,\"wishes\":[{\"title\":\"W\"}]}"), "fulfilWithinHours");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseATakenCampaignIdWith409AlreadyExists() throws Exception {
        String campaignId = id("c");
        assertEquals(201, engine.post("/api/campaigns", ADMIN, campaignJson(campaignId, id("w"), 1)).statusCode());
        String otherWish = id("w");
        JsonNode error = assertError(engine.post("/api/campaigns", ADMIN, campaignJson(campaignId, otherWish, 1)),
                409, "already_exists");
        assertEquals(campaignId, error.path("id").asText(null), "names the taken id");
        assertError(engine.get("/api/wishes/" + otherWish, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAWishIdTakenInAnotherCampaignWith409AlreadyExists() throws Exception {
        String wishId = id("w");
        HttpResponse<String> first = engine.post("/api/campaigns", ADMIN, campaignJson(id("c"), wishId, 2));
        assertEquals(201, first.statusCode(), first::body);
        String secondCampaign = id("c");
        JsonNode error = assertError(engine.post("/api/campaigns", ADMIN, campaignJson(secondCampaign, wishId, 5)),
                409, "already_exists");
        assertEquals(wishId, error.path("id").asText(null), "names the taken id");
        assertError(engine.get("/api/campaigns/" + secondCampaign, null), 404, "not_found");
        JsonNode wish = json(engine.get("/api/wishes/" + wishId, null));
        assertEquals(2, wish.get("quantity").asInt(), "the first campaign's wish is untouched");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAWishIdRepeatedInOneDraftWith409AlreadyExists() throws Exception {
        String campaignId = id("c");
        String wishId = id("w");
        String body = "{\"id\":\"" + campaignId + "\",\"title\":\"T\",\"wishes\":[{\"id\":\"" + wishId
                + "\",\"title\":\"A\"},{\"id\":\"" + wishId + "\",\"title\":\"B\"}]}";
        assertError(engine.post("/api/campaigns", ADMIN, body), 409, "already_exists");
        assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    // ================================================================== confirm bodies

    @Test
    void shouldRefuseConfirmWithRatingOutsideOneToFiveNamingTheField() throws Exception {
        String wishId = createCampaign(1);
        String user = id("u");
        String claimId = claim(wishId, user);
        HttpResponse<String> fulfilled = engine.post("/api/claims/" + claimId + "/fulfil", engine.userToken(user), null);
        assertEquals(200, fulfilled.statusCode(), fulfilled::body);

        for (String rating : new String[] {"0", "6", "\"5\"", "4.5", "null", "-1"}) {
            assertInvalid(engine.post("/api/claims/" + claimId + "/confirm", ADMIN, "{\"rating\":" + rating + "}"),
                    "rating");
        }
        assertInvalid(engine.post("/api/claims/" + claimId + "/confirm", ADMIN, "{\"comment\":\"no rating\"}"),
                "rating");
        assertError(engine.post("/api/claims/" + claimId + "/confirm", ADMIN, "{\"rating\":"), 400,
                "invalid_request");
        assertEquals("fulfilled", json(engine.get("/api/claims/" + claimId, ADMIN)).get("status").asText(),
                "a refused confirmation changes nothing");

        HttpResponse<String> confirmed = engine.post("/api/claims/" + claimId + "/confirm", ADMIN,
                "{\"rating\":5,\"comment\":\"thank you\"}");
        assertEquals(200, confirmed.statusCode(), confirmed::body);
        assertEquals("confirmed", json(confirmed).get("status").asText());
        assertEquals(5, json(confirmed).get("rating").asInt());
        assertStillServesAValidClaim();
    }

    // ================================================================== request targets

    @Test
    void shouldRefuseAMalformedPercentEscapeInTheQueryWith400() throws Exception {
        assertEachRefusedOnOneConnection(400, "invalid_request", "/api/campaigns/c-1/claims?format=%zz",
                "/api/wishes?campaign=%zz", "/api/stats?campaign=%");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswer404ForAnyPercentEscapeInThePath() throws Exception {
        // Paths are matched as written: no id contains '%', well-formed escape or not.
        assertEachRefusedOnOneConnection(404, "not_found", "/api/campaigns/%z-c/claims?format=csv", "/api/wishes/%",
                "/api/wishes/a%20b", "/api%2Fstats", "/health%2Flive");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldNotClaimThroughAnEscapedSlash() throws Exception {
        // POST /api/wishes/{id}%2Fclaims once decoded to the claim route and claimed the wish.
        String wishId = createCampaign(2);
        String user = id("u");
        String token = engine.userToken(user);
        try (WireConnection connection = new WireConnection(engine.engine().port(), 10_000)) {
            for (String escaped : new String[] {"%2F", "%2f"}) {
                assertWireError(connection, WireConnection.post("/api/wishes/" + wishId + escaped + "claims", token, ""),
                        404, "not_found");
            }
        }
        assertRemaining(wishId, 2);
        assertEquals(0, json(engine.get("/api/me/claims", token)).get("claims").size(), "nothing was claimed");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldNameAClaimOnlyByItsExactPath() throws Exception {
        String wishId = createCampaign(2);
        String user = id("u");
        String token = engine.userToken(user);
        String claimId = claim(wishId, user);
        String number = claimId.substring("cl-".length());
        String[] aliases = {"cl-0" + number, "cl-000" + number, "%63l-" + number, "cl-+" + number};
        try (WireConnection connection = new WireConnection(engine.engine().port(), 10_000)) {
            for (String alias : aliases) {
                for (String request : new String[] {WireConnection.get("/api/claims/" + alias, ADMIN),
                    WireConnection.get("/api/claims/" + alias, token),
                    WireConnection.post("/api/claims/" + alias + "/cancel", token, ""),
                    WireConnection.post("/api/claims/" + alias + "/fulfil", ADMIN, "")}) {
                    assertWireError(connection, request, 404, "not_found");
                }
            }
            // "/api%2Fclaims/cl-N" once decoded to the claim's own path.
            assertWireError(connection, WireConnection.get("/api%2Fclaims/" + claimId, ADMIN), 404, "not_found");
        }
        JsonNode claim = json(engine.get("/api/claims/" + claimId, token));
        assertEquals("claimed", claim.get("status").asText(), "no alias cancelled or fulfilled the claim");
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerEveryPipelinedRequestWhenAMalformedOneWaitsBehindAClaim() throws Exception {
        // The malformed request is handled when the claim's answer comes back from the ring: a
        // failure there once stalled this connection and every other answer of the same batch.
        String wishId = createCampaign(5);
        String user = id("u");
        try (WireConnection connection = new WireConnection(engine.engine().port(), 10_000)) {
            connection.send(WireConnection.claim(wishId, engine.userToken(user))
                    + WireConnection.get("/api/campaigns/c-1/claims?format=%zz", ADMIN)
                    + WireConnection.get("/api/stats", null));
            WireConnection.Response claimed = connection.read();
            assertEquals(201, claimed.status(), claimed::toString);
            WireConnection.Response refused = connection.read();
            assertEquals(400, refused.status(), refused::toString);
            assertEquals(200, connection.read().status());
        }
        assertRemaining(wishId, 4);
    }

    // ================================================================== sizes

    @Test
    void shouldRefuseOversizedBodyWith413() throws Exception {
        // Only the head is sent: the engine must answer from Content-Length, without the body.
        assertRefusedThenClosed(campaignsHead("Content-Length: " + (MiB + 1) + "\r\n"), 413, "too_large",
                "the connection is closed after a 413");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseOversizedBodyAnnouncedWithExpectContinueWith413Json() throws Exception {
        // curl and many HTTP clients send "Expect: 100-continue" before large bodies.
        try (WireConnection raw = connect()) {
            raw.send(campaignsHead("Expect: 100-continue\r\nContent-Length: " + (2 * MiB) + "\r\n"));
            assertRawError(raw.read(), 413, "too_large");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAnUnsupportedExpectationWith417Json() throws Exception {
        String campaignId = id("c");
        String body = campaignJson(campaignId, id("w"), 1);
        try (WireConnection raw = connect()) {
            // Sent with its body, as a client that does not wait for an answer would.
            raw.send(campaignsHead("Expect: something-else\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + body);
            WireConnection.Response response = raw.read();
            assertRawError(response, 417, "expectation_failed");
            assertEquals(Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length),
                    response.header("content-length"));
            assertFalse(JSON.readTree(response.body()).path("message").asText("").isBlank(), response::body);
            assertTrue(raw.closedByServer(), "the connection is closed after a 417, as after a 413");
        }
        assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldStillAnswer100ContinueAndTakeTheBody() throws Exception {
        String campaignId = id("c");
        byte[] body = campaignJson(campaignId, id("w"), 1).getBytes(StandardCharsets.UTF_8);
        try (WireConnection raw = connect()) {
            raw.send(campaignsHead("Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n"));
            WireConnection.Response proceed = raw.read();
            assertEquals(100, proceed.status(), proceed::statusLine);
            raw.send(body);
            WireConnection.Response created = raw.read();
            assertEquals(201, created.status(), created::body);
            assertEquals(campaignId, JSON.readTree(created.body()).path("id").asText(null));
            raw.send(WireConnection.get("/health/live", null));
            assertEquals(200, raw.read().status(), "the connection is kept");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAChunkedBodyThatGrowsPastTheLimitWith413() throws Exception {
        try (WireConnection raw = connect()) {
            raw.send(campaignsHead("Transfer-Encoding: chunked\r\n"));
            // Exactly one byte more than the limit, in 64 KiB chunks, and no last chunk: the engine
            // must refuse as soon as the body crosses the limit, not wait for its end.
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            ByteArrayOutputStream body = new ByteArrayOutputStream(MiB + 4096);
            for (int sent = 0; sent < MiB; sent += chunk.length) {
                body.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(chunk);
                body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            body.writeBytes("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
            raw.send(body.toByteArray());
            assertRawError(raw.read(), 413, "too_large");
            assertTrue(raw.closedByServer(), "the connection is closed after a 413");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAcceptAChunkedBodyWithinTheLimit() throws Exception {
        String campaignId = id("c");
        String wishId = id("w");
        byte[] json = campaignJson(campaignId, wishId, 1).getBytes(StandardCharsets.UTF_8);
        try (WireConnection raw = connect()) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(campaignsHead("Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.US_ASCII));
            int half = json.length / 2;
            request.writeBytes((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(json, 0, half);
            request.writeBytes(("\r\n" + Integer.toHexString(json.length - half) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.write(json, half, json.length - half);
            request.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.send(request.toByteArray());
            WireConnection.Response response = raw.read();
            assertEquals(201, response.status(), response.body());
        }
        assertEquals(201, engine.post("/api/wishes/" + wishId + "/claims", engine.userToken(id("u")), null)
                .statusCode());
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAcceptABodyOfExactlyTheLimit() throws Exception {
        String campaignId = id("c");
        String json = campaignJson(campaignId, id("w"), 1);
        String padded = json + " ".repeat(MiB - json.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(MiB, padded.getBytes(StandardCharsets.UTF_8).length);
        HttpResponse<String> created = engine.post("/api/campaigns", ADMIN, padded);
        assertEquals(201, created.statusCode(), created::body);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAnOversizedRequestLineWith414() throws Exception {
        assertRefusedThenClosed(WireConnection.get("/api/wishes/" + "a".repeat(5000), null), 414, "too_large",
                "the stream cannot be trusted after a bad request line");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseOversizedHeadersWith431() throws Exception {
        assertRefusedThenClosed("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(9000)
                + "\r\n\r\n", 431, "too_large", "the connection is closed after a 431");
        try (WireConnection raw = connect()) {
            StringBuilder many = new StringBuilder("GET /health/live HTTP/1.1\r\nHost: localhost\r\n");
            for (int i = 0; i < 400; i++) {
                many.append("X-Header-").append(i).append(": value-").append(i).append("\r\n");
            }
            raw.send(many.append("\r\n").toString());
            assertRawError(raw.read(), 431, "too_large");
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAGarbageRequestLineWith400() throws Exception {
        for (String garbage : new String[] {"GET / garbage\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n",
            "GET /health/live HTTP/1.1\r\nBad Header Line\r\n\r\n"}) {
            assertRefusedThenClosed(garbage, 400, "invalid_request", "closed after " + garbage.strip());
        }
        assertStillServesAValidClaim();
    }

    // ================================================================== tokens

    @Test
    void shouldRefuseAMissingTokenWith401AndWwwAuthenticate() throws Exception {
        String wishId = createCampaign(1);
        assertUnauthorized(engine.post("/api/wishes/" + wishId + "/claims", null, null));
        assertUnauthorized(engine.get("/api/me/claims", null));
        assertUnauthorized(engine.post("/api/campaigns", null, campaignJson(id("c"), id("w"), 1)));
        assertUnauthorized(engine.get("/api/claims/cl-1", null));
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAGarbageTokenWith401() throws Exception {
        String wishId = createCampaign(1);
        for (String header : new String[] {"Bearer garbage", "Bearer a.b.c", "Bearer ", "Bearer",
            "Basic dXNlcjpwYXNz", "garbage", "Bearer " + "x".repeat(5000)}) {
            assertUnauthorized(engine.send(engine.request("/api/wishes/" + wishId + "/claims", null)
                    .header("Authorization", header).POST(HttpRequest.BodyPublishers.noBody()).build()));
        }
        assertUnauthorized(engine.post("/api/campaigns", "not-the-admin-token", campaignJson(id("c"), id("w"), 1)));
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherSecretWith401() throws Exception {
        String wishId = createCampaign(1);
        String forged = new TokenMinter("other-secret").mint(id("mallory"));
        assertUnauthorized(engine.post("/api/wishes/" + wishId + "/claims", forged, null));
        assertUnauthorized(engine.get("/api/me/claims", forged));
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAnExpiredTokenWith401() throws Exception {
        String wishId = createCampaign(2);
        long now = engine.clock().millis() / 1000;
        String user = id("u");
        // The hand-built token is well formed: the same token with a future exp is accepted.
        String fresh = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"sub\":\"" + user + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}",
                "HmacSHA256", EngineHarness.TOKEN_SECRET);
        assertEquals(201, engine.post("/api/wishes/" + wishId + "/claims", fresh, null).statusCode());

        String expired = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"sub\":\"" + id("u") + "\",\"iat\":" + (now - 7200) + ",\"exp\":" + (now - 3600) + "}",
                "HmacSHA256", EngineHarness.TOKEN_SECRET);
        JsonNode error = assertUnauthorized(engine.post("/api/wishes/" + wishId + "/claims", expired, null));
        assertTrue(error.get("message").asText().contains("expired"), error::toString);
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAlgNoneWith401() throws Exception {
        String wishId = createCampaign(1);
        String user = id("u");
        String header = b64("{\"alg\":\"none\"}");
        String unsigned = header + "." + b64("{\"sub\":\"" + user + "\"}") + ".";
        assertUnauthorized(engine.post("/api/wishes/" + wishId + "/claims", unsigned, null));
        String unsignedTyped = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + b64("{\"sub\":\"" + user + "\",\"iat\":1}") + ".";
        assertUnauthorized(engine.post("/api/wishes/" + wishId + "/claims", unsignedTyped, null));
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseHs512With401() throws Exception {
        String wishId = createCampaign(1);
        String hs512 = jwt("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", "{\"sub\":\"" + id("u") + "\"}", "HmacSHA512",
                EngineHarness.TOKEN_SECRET);
        JsonNode error = assertUnauthorized(engine.post("/api/wishes/" + wishId + "/claims", hs512, null));
        assertTrue(error.get("message").asText().contains("HS256"), error::toString);
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    // ================================================================== permissions

    @Test
    void shouldRefuseAUserTokenOnOrganiserRoutesWith403() throws Exception {
        String user = id("u");
        String token = engine.userToken(user);
        String campaignId = id("c");
        assertError(engine.post("/api/campaigns", token, campaignJson(campaignId, id("w"), 1)), 403, "forbidden");
        assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");

        String wishId = createCampaign(1);
        String claimId = claim(wishId, user);
        assertEquals(200, engine.post("/api/claims/" + claimId + "/fulfil", token, null).statusCode());
        assertError(engine.post("/api/claims/" + claimId + "/confirm", token, "{\"rating\":5}"), 403, "forbidden");
        assertEquals("fulfilled", json(engine.get("/api/claims/" + claimId, token)).get("status").asText());
        String ownCampaign = json(engine.get("/api/wishes/" + wishId, null)).get("campaignId").asText();
        assertError(engine.get("/api/campaigns/" + ownCampaign + "/claims", token), 403, "forbidden");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseTheAdminTokenOnClaimWith403() throws Exception {
        String wishId = createCampaign(1);
        assertError(engine.post("/api/wishes/" + wishId + "/claims", ADMIN, null), 403, "forbidden");
        assertError(engine.get("/api/me/claims", ADMIN), 403, "forbidden");
        assertRemaining(wishId, 1);
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseAUserReadingSomeoneElsesClaimWith403() throws Exception {
        String wishId = createCampaign(1);
        String owner = id("u");
        String claimId = claim(wishId, owner);
        String other = engine.userToken(id("u"));
        assertError(engine.get("/api/claims/" + claimId, other), 403, "forbidden");
        assertError(engine.post("/api/claims/" + claimId + "/cancel", other, null), 403, "forbidden");
        assertError(engine.post("/api/claims/" + claimId + "/fulfil", other, null), 403, "forbidden");
        JsonNode own = json(engine.get("/api/claims/" + claimId, engine.userToken(owner)));
        assertEquals("claimed", own.get("status").asText(), "someone else's attempts changed nothing");
        assertEquals(owner, own.get("userId").asText());
        assertEquals(200, engine.get("/api/claims/" + claimId, ADMIN).statusCode(), "the organiser sees all");
        assertRemaining(wishId, 0);
        assertStillServesAValidClaim();
    }

    // ================================================================== unknown things

    @Test
    void shouldAnswerUnknownClaimWith404() throws Exception {
        String token = engine.userToken(id("u"));
        assertError(engine.get("/api/claims/cl-999999999", token), 404, "not_found");
        assertError(engine.get("/api/claims/cl-999999999", ADMIN), 404, "not_found");
        assertError(engine.post("/api/claims/cl-999999999/cancel", token, null), 404, "not_found");
        assertError(engine.post("/api/claims/cl-999999999/fulfil", token, null), 404, "not_found");
        assertError(engine.post("/api/claims/cl-999999999/confirm", ADMIN, "{\"rating\":5}"), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerUnknownWishWith404() throws Exception {
        assertError(engine.get("/api/wishes/w-nope-" + id("x"), null), 404, "not_found");
        assertError(engine.get("/api/wishes/a%20b", null), 404, "not_found");
        assertError(engine.get("/api/wishes/" + "w".repeat(65), null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerUnknownCampaignWith404() throws Exception {
        String campaignId = "c-nope-" + id("x");
        assertError(engine.get("/api/campaigns/" + campaignId, null), 404, "not_found");
        assertError(engine.get("/api/campaigns/" + campaignId + "/claims", ADMIN), 404, "not_found");
        assertError(engine.get("/api/stats?campaign=" + campaignId, null), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerAClaimOfAnUnknownWishWith404() throws Exception {
        String token = engine.userToken(id("u"));
        assertError(engine.post("/api/wishes/w-nope-" + id("x") + "/claims", token, null), 404, "not_found");
        assertEquals(0, json(engine.get("/api/me/claims", token)).get("claims").size());
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerAnUnknownRouteWith404() throws Exception {
        for (String path : new String[] {"/api/nope", "/api", "/api/campaigns/c-1/wishes", "/favicon.ico"}) {
            assertError(engine.get(path, null), 404, "not_found");
        }
        assertError(engine.post("/api/nope", ADMIN, "{}"), 404, "not_found");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerAWrongMethodWith405AndAllow() throws Exception {
        HttpResponse<String> delete = engine.send(engine.request("/api/campaigns", ADMIN)
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        assertError(delete, 405, "method_not_allowed");
        assertEquals("GET, POST", delete.headers().firstValue("Allow").orElse(null));

        HttpResponse<String> getClaims = engine.get("/api/wishes/w-1/claims", engine.userToken(id("u")));
        assertError(getClaims, 405, "method_not_allowed");
        assertEquals("POST", getClaims.headers().firstValue("Allow").orElse(null));

        HttpResponse<String> postLive = engine.post("/health/live", null, null);
        assertError(postLive, 405, "method_not_allowed");
        assertEquals("GET", postLive.headers().firstValue("Allow").orElse(null));
        assertStillServesAValidClaim();
    }

    @Test
    void shouldRefuseABadAvailableFilterNamingTheField() throws Exception {
        assertInvalid(engine.get("/api/wishes?available=maybe", null), "available");
        assertStillServesAValidClaim();
    }

    @Test
    void shouldNotLetArbitraryMethodNamesCreateMetricSeries() throws Exception {
        // Every distinct method on an unknown route must not become a new, never-freed time series.
        String method = "BOGUS" + SEQ.incrementAndGet();
        HttpResponse<String> bogus = engine.send(engine.request("/api/nope", null)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertError(bogus, 404, "not_found");
        HttpResponse<String> metrics = engine.get("/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertFalse(metrics.body().contains(method), "the method name " + method + " became a metric label");
        assertStillServesAValidClaim();
    }

    // ================================================================== pipelining

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception {
        String wishId = createCampaign(3);
        String user = id("u");
        String token = engine.userToken(user);
        try (WireConnection raw = connect()) {
            raw.send(WireConnection.get("/health/live", null) + WireConnection.claim(wishId, token)
                    + WireConnection.get("/api/wishes/" + wishId, null));
            WireConnection.Response live = raw.read();
            assertEquals(200, live.status(), live.body());
            assertEquals("live", JSON.readTree(live.body()).get("status").asText());

            WireConnection.Response claimed = raw.read();
            assertEquals(201, claimed.status(), claimed.body());
            JsonNode claim = JSON.readTree(claimed.body());
            assertEquals(wishId, claim.get("wishId").asText());
            assertEquals(user, claim.get("userId").asText());
            assertEquals("claimed", claim.get("status").asText());

            WireConnection.Response wish = raw.read();
            assertEquals(200, wish.status(), wish.body());
            JsonNode view = JSON.readTree(wish.body());
            assertEquals(wishId, view.get("id").asText());
            assertEquals(2, view.get("remaining").asInt(), "the wish is read after the claim was settled");

            // The connection stays usable after the pipelined batch.
            raw.send(WireConnection.get("/health/live", null));
            assertEquals(200, raw.read().status());
        }
        assertStillServesAValidClaim();
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderWhenSomeAreRefused() throws Exception {
        String wishId = createCampaign(1);
        String first = engine.userToken(id("u"));
        String second = engine.userToken(id("u"));
        try (WireConnection raw = connect()) {
            raw.send(WireConnection.claim(wishId, first)
                    + WireConnection.get("/api/nope", null)
                    + "POST /api/wishes/" + wishId + "/claims HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
                    + WireConnection.claim(wishId, second)
                    + campaignsHead("Content-Length: 1\r\n") + "{"
                    + WireConnection.get("/health/live", null));
            assertEquals(201, raw.read().status());
            assertRawError(raw.read(), 404, "not_found");
            assertRawError(raw.read(), 401, "unauthorized");
            assertRawError(raw.read(), 409, "sold_out");
            assertRawError(raw.read(), 400, "invalid_request");
            assertEquals(200, raw.read().status());
        }
        assertStillServesAValidClaim();
    }

    // ================================================================== helpers

    private static String id(String prefix) {
        return prefix + "-bad-" + SEQ.incrementAndGet();
    }

    private static String campaignJson(String campaignId, String wishId, int quantity) {
        StringBuilder json = new StringBuilder("{");
        if (campaignId != null) {
            json.append("\"id\":").append(quote(campaignId)).append(',');
        }
        json.append("\"title\":\"Bad input\",\"wishes\":[{");
        if (wishId != null) {
            json.append("\"id\":").append(quote(wishId)).append(',');
        }
        return json.append("\"title\":\"A radio\",\"quantity\":").append(quantity).append("}]}").toString();
    }

    private static String campaignOpeningAt(String campaignId, String opensAt) {
        return "{\"id\":" + quote(campaignId) + ",\"title\":\"T\",\"opensAt\":" + quote(opensAt)
                + ",\"wishes\":[{\"title\":\"W\"}]}";
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Creates an open campaign with one wish of {@code quantity} units; returns the wish id. */
    private static String createCampaign(int quantity) throws Exception {
        String wishId = id("w");
        HttpResponse<String> created = engine.post("/api/campaigns", ADMIN, campaignJson(id("c"), wishId, quantity));
        assertEquals(201, created.statusCode(), created::body);
        return wishId;
    }

    /** Claims one unit for {@code user}; returns the claim id. */
    private static String claim(String wishId, String user) throws Exception {
        HttpResponse<String> claimed = engine.post("/api/wishes/" + wishId + "/claims", engine.userToken(user), null);
        assertEquals(201, claimed.statusCode(), claimed::body);
        return json(claimed).get("id").asText();
    }

    /** A fresh campaign can be created and one of its wishes claimed and read back. */
    private static void assertStillServesAValidClaim() throws Exception {
        String wishId = createCampaign(1);
        String user = id("u");
        String token = engine.userToken(user);
        HttpResponse<String> claimed = engine.post("/api/wishes/" + wishId + "/claims", token, null);
        assertEquals(201, claimed.statusCode(), () -> "the engine no longer serves claims: " + claimed.body());
        JsonNode claim = json(claimed);
        assertEquals("claimed", claim.get("status").asText());
        assertEquals(wishId, claim.get("wishId").asText());
        assertEquals(user, claim.get("userId").asText());
        String claimId = claim.get("id").asText();
        assertEquals("/api/claims/" + claimId, claimed.headers().firstValue("Location").orElse(null));
        HttpResponse<String> read = engine.get("/api/claims/" + claimId, token);
        assertEquals(200, read.statusCode(), read::body);
        assertEquals(claimId, json(read).get("id").asText());
        assertRemaining(wishId, 0);
    }

    private static void assertRemaining(String wishId, int remaining) throws Exception {
        HttpResponse<String> wish = engine.get("/api/wishes/" + wishId, null);
        assertEquals(200, wish.statusCode(), wish::body);
        assertEquals(remaining, json(wish).get("remaining").asInt(), "remaining units of " + wishId);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), () -> response.request().method() + " "
                + response.request().uri().getPath() + ": " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "JSON error body, not " + response.headers().firstValue("Content-Type"));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.path("error").asText(null), response::body);
        assertFalse(body.path("message").asText("").isBlank(), "a human message: " + response.body());
        return body;
    }

    private static void assertInvalid(HttpResponse<String> response, String field) throws IOException {
        JsonNode body = assertError(response, 400, "invalid_request");
        assertEquals(field, body.path("field").asText(null), response::body);
    }

    private static JsonNode assertUnauthorized(HttpResponse<String> response) throws IOException {
        JsonNode body = assertError(response, 401, "unauthorized");
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
        return body;
    }

    /** A hand-written connection, for what {@link java.net.http.HttpClient} refuses to send. */
    private static WireConnection connect() throws IOException {
        return new WireConnection(engine.engine().port());
    }

    /** The head of an organiser's {@code POST /api/campaigns}, with {@code headers} (CRLF-ended lines) added. */
    private static String campaignsHead(String headers) {
        return "POST /api/campaigns HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                + "\r\nContent-Type: application/json\r\n" + headers + "\r\n";
    }

    /** Sends {@code request} on a fresh connection: a JSON error must come back, then the close. */
    private static void assertRefusedThenClosed(String request, int status, String code, String closedBecause)
            throws IOException {
        try (WireConnection raw = connect()) {
            raw.send(request);
            assertRawError(raw.read(), status, code);
            assertTrue(raw.closedByServer(), closedBecause);
        }
    }

    /** GETs each target as the organiser on one connection: each is refused alike, and the connection still serves. */
    private static void assertEachRefusedOnOneConnection(int status, String code, String... targets)
            throws IOException {
        try (WireConnection connection = new WireConnection(engine.engine().port(), 10_000)) {
            for (String target : targets) {
                assertWireError(connection, WireConnection.get(target, ADMIN), status, code);
            }
            connection.send(WireConnection.get("/api/stats", null));
            assertEquals(200, connection.read().status(), "the connection still serves");
        }
    }

    /** Sends {@code request} on {@code connection}; the answer must be {@code status} with error {@code code}. */
    private static WireConnection.Response assertWireError(WireConnection connection, String request, int status,
            String code) throws IOException {
        connection.send(request);
        WireConnection.Response answer = connection.read();
        assertEquals(status, answer.status(), () -> WireConnection.printable(request) + ": " + answer);
        assertEquals(code, answer.error(), answer::toString);
        return answer;
    }

    private static void assertRawError(WireConnection.Response response, int status, String code) throws IOException {
        assertEquals(status, response.status(), () -> response.statusLine() + " " + response.body());
        String type = response.header("content-type");
        assertTrue(type != null && type.startsWith("application/json"),
                () -> "JSON error body, not " + response.headers());
        JsonNode body = JSON.readTree(response.body());
        assertNotNull(body, () -> "empty body on " + response.statusLine());
        assertEquals(code, body.path("error").asText(null), response::body);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A compact JWT built by hand, signed with {@code macAlgorithm} ("HmacSHA256", "HmacSHA512"). */
    private static String jwt(String header, String payload, String macAlgorithm, String secret) throws Exception {
        String input = b64(header) + "." + b64(payload);
        Mac mac = Mac.getInstance(macAlgorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
        byte[] signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }
}
