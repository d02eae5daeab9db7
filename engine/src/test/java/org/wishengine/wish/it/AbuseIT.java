package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wishengine.wish.it.GrabSupport.apiClaims;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.config.HttpLimits;
import org.wishengine.wish.config.RateLimit;

/**
 * Abusive clients: claim floods (rate limits), connection floods (the cap), slow senders
 * (slow-loris), pipelined bursts and doctored tokens. Each case checks that the abuser is stopped
 * as the API promises and that everybody else is still served.
 */
@Timeout(60)
class AbuseIT {

    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;

    @TempDir
    Path tmp;

    // ================================================================== rate limits

    @Test
    void shouldRefuseAUsersThirdImmediateClaimWith429WhileOthersAreServed() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp,
                config -> config.withRateLimit(RateLimit.parse("user=2/s")))) {
            createCampaign(harness, campaignBody("abuse-rate-user", 5, "ab-ru-w", List.of(10, 10, 10)));
            String alice = harness.userToken("alice-rl");
            String bob = harness.userToken("bob-rl");
            int port = harness.engine().port();
            List<WireConnection.Response> answers = new ArrayList<>();
            try (WireConnection connection = new WireConnection(port)) {
                // Pipelined, so that the three arrive together: a burst of 2, then refused.
                connection.send(WireConnection.claim("ab-ru-w1", alice) + WireConnection.claim("ab-ru-w2", alice)
                        + WireConnection.claim("ab-ru-w3", alice));
                for (int i = 0; i < 3; i++) {
                    answers.add(connection.read());
                }
                assertEquals(201, answers.get(0).status(), answers::toString);
                assertEquals(201, answers.get(1).status(), answers::toString);
                WireConnection.Response refused = answers.get(2);
                assertEquals(429, refused.status(), answers::toString);
                assertEquals("rate_limited", refused.error(), refused::toString);
                assertNotNull(refused.json().path("message").asText(null), refused::toString);
                String retryAfter = refused.header("Retry-After");
                assertNotNull(retryAfter, () -> "429 without Retry-After: " + refused);
                assertTrue(Long.parseLong(retryAfter) >= 1, () -> "Retry-After: " + retryAfter);

                // Another user on the same connection, right away, is unaffected by alice's bucket.
                connection.send(WireConnection.claim("ab-ru-w3", bob));
                WireConnection.Response bobs = connection.read();
                assertEquals(201, bobs.status(), bobs::toString);
                assertEquals("bob-rl", bobs.json().path("userId").asText());
            }
            // The refused claim changed nothing: w3 lost exactly bob's unit, alice holds two claims.
            assertEquals(9, json(harness.get("/api/wishes/ab-ru-w3", null)).path("remaining").asInt());
            Map<String, JsonNode> ledger = apiClaims(harness, "abuse-rate-user");
            assertEquals(3, ledger.size(), ledger::toString);
            assertEquals(2, ledger.values().stream().filter(c -> c.path("userId").asText().equals("alice-rl")).count());
            assertTrue(ledger.values().stream().noneMatch(c -> c.path("userId").asText().equals("alice-rl")
                    && c.path("wishId").asText().equals("ab-ru-w3")), ledger::toString);

            // A bucket refills: after Retry-After, alice may claim again (a deadline poll, not a sleep-for-sync).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status;
            do {
                HttpResponse<String> again = harness.post("/api/wishes/ab-ru-w3/claims", alice, null);
                status = again.statusCode();
                if (status == 429) {
                    Thread.sleep(200); // pacing while the bucket refills
                } else {
                    assertEquals(201, status, again::body);
                }
            } while (status == 429 && System.nanoTime() < deadline);
            assertEquals(201, status, "alice's bucket never refilled");
        }
    }

    @Test
    void shouldShareTheAddressBucketAcrossUsersAndConnections() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp,
                config -> config.withRateLimit(RateLimit.parse("address=3/s")))) {
            createCampaign(harness, campaignBody("abuse-rate-address", 1, "ab-ra-w", List.of(100)));
            int port = harness.engine().port();
            List<WireConnection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    connections.add(new WireConnection(port));
                }
                // Five different users on five connections from 127.0.0.1, all at once.
                for (int i = 0; i < connections.size(); i++) {
                    connections.get(i).send(WireConnection.claim("ab-ra-w1", harness.userToken("addr-user-" + i)));
                }
                Map<Integer, Integer> statuses = new TreeMap<>();
                List<WireConnection.Response> answers = new ArrayList<>();
                for (WireConnection connection : connections) {
                    WireConnection.Response response = connection.read();
                    answers.add(response);
                    statuses.merge(response.status(), 1, Integer::sum);
                    if (response.status() == 429) {
                        assertEquals("rate_limited", response.error(), response::toString);
                        assertTrue(Long.parseLong(response.header("Retry-After")) >= 1, response::toString);
                    }
                }
                assertEquals(Map.of(201, 3, 429, 2), statuses, answers::toString);
            } finally {
                for (WireConnection connection : connections) {
                    connection.close();
                }
            }
            assertEquals(97, json(harness.get("/api/wishes/ab-ra-w1", null)).path("remaining").asInt());
            assertEquals(3, apiClaims(harness, "abuse-rate-address").size());
            // Rate limits apply to claims only: reads from the same address are not refused.
            for (int i = 0; i < 10; i++) {
                assertEquals(200, harness.get("/api/wishes/ab-ra-w1", null).statusCode());
            }
        }
    }

    // ================================================================== connection cap

    @Test
    void shouldCloseTheConnectionPastTheCapAndKeepServingTheOthers() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp,
                config -> config.withHttpLimits(HttpLimits.DEFAULTS.withMaxConnections(5)))) {
            int port = harness.engine().port();
            String user = harness.userToken("cap-user");
            List<WireConnection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    WireConnection connection = new WireConnection(port, 10_000);
                    open.add(connection);
                    // An answer proves the engine counted this connection before the next one opens.
                    connection.send(WireConnection.get("/health/live", null));
                    assertEquals(200, connection.read().status(), "connection " + (i + 1) + " of 5");
                }
                try (WireConnection sixth = new WireConnection(port, 10_000)) {
                    try {
                        sixth.send(WireConnection.get("/health/live", null));
                    } catch (IOException alreadyClosed) {
                        // the engine may have closed it before the request went out
                    }
                    assertTrue(sixth.closedByServer(), "the 6th connection must be closed without a response");
                }
                // The five are untouched: each still answers, through the ring too.
                for (WireConnection connection : open) {
                    connection.send(WireConnection.get("/health/live", null)
                            + WireConnection.get("/api/stats", null)
                            + WireConnection.claim("no-such-wish", user));
                    assertEquals(200, connection.read().status());
                    assertEquals(200, connection.read().status());
                    WireConnection.Response missing = connection.read();
                    assertEquals(404, missing.status(), missing::toString);
                    assertEquals("not_found", missing.error());
                }
                // Freeing a slot lets a new connection in (polled: the engine sees the close a moment later).
                open.remove(0).close();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                boolean served = false;
                while (!served && System.nanoTime() < deadline) {
                    try (WireConnection next = new WireConnection(port, 5_000)) {
                        next.send(WireConnection.get("/health/live", null));
                        WireConnection.Response response = next.readOrNull();
                        if (response != null) {
                            assertEquals(200, response.status(), response::toString);
                            served = true;
                        }
                    } catch (IOException refusedYet) {
                        // closed at once: the slot is not free yet
                    }
                    if (!served) {
                        Thread.sleep(20); // poll interval
                    }
                }
                assertTrue(served, "no new connection was served after one of the five closed");
            } finally {
                for (WireConnection connection : open) {
                    connection.close();
                }
            }
        }
    }

    // ================================================================== slow senders

    @Test
    void shouldDisconnectSlowLorisClientsWhileServingOthers() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp,
                config -> config.withHttpLimits(HttpLimits.DEFAULTS.withRequestTimeoutMillis(500)))) {
            createCampaign(harness, campaignBody("abuse-loris", 1, "ab-sl-w", List.of(1000)));
            int port = harness.engine().port();
            String token = harness.userToken("loris");

            // One header byte every 200 ms: the request would take ~40 s; the engine must drop it.
            String slowHead = "GET /api/wishes/ab-sl-w1 HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                    + "a".repeat(200) + "\r\n\r\n";
            assertSlowSenderDropped(harness, port, slowHead.getBytes(StandardCharsets.US_ASCII), 0, "slow header");

            // Quick headers, then a body trickling in at one byte every 200 ms.
            String body = "{\"title\":\"" + "x".repeat(100) + "\",\"wishes\":[{\"title\":\"w\"}]}";
            String slowBody = "POST /api/campaigns HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            int headLength = slowBody.length() - body.length();
            assertSlowSenderDropped(harness, port, slowBody.getBytes(StandardCharsets.US_ASCII), headLength,
                    "slow body");
            assertEquals(1, json(harness.get("/api/campaigns", null)).path("campaigns").size(),
                    "the slow campaign creation must not have happened");

            // The deadline is per request, from its first byte: an idle keep-alive connection between
            // two quick requests lives on well past it.
            try (WireConnection keepAlive = new WireConnection(port, 10_000)) {
                keepAlive.send(WireConnection.claim("ab-sl-w1", token));
                WireConnection.Response first = keepAlive.read();
                assertEquals(201, first.status(), first::toString);
                Thread.sleep(1_200); // idle time on the connection, longer than the request deadline
                keepAlive.send(WireConnection.claim("ab-sl-w1", token));
                WireConnection.Response repeat = keepAlive.read();
                assertEquals(200, repeat.status(), repeat::toString);
                assertEquals(first.json().path("id").asText(), repeat.json().path("id").asText());
            }

            // The deadline runs per request, not per connection: requests that each take 300 ms of a
            // 500 ms deadline, back to back for longer than three deadlines, keep the connection (the
            // connection's timer fires in the middle of requests and must measure from their start).
            try (WireConnection busy = new WireConnection(port, 10_000)) {
                byte[] request = WireConnection.claim("ab-sl-w1", token).getBytes(StandardCharsets.US_ASCII);
                int split = request.length / 2;
                for (int i = 0; i < 6; i++) {
                    busy.send(java.util.Arrays.copyOf(request, split));
                    Thread.sleep(300); // a slow client, well within its own deadline
                    busy.send(java.util.Arrays.copyOfRange(request, split, request.length));
                    WireConnection.Response answer = busy.read();
                    assertEquals(200, answer.status(), answer::toString);
                }
            }
        }
    }

    /**
     * Sends {@code request}: the first {@code quickBytes} at once, the rest one byte per 200 ms, and
     * meanwhile serves a normal client; the slow connection must be closed without an answer within
     * a few seconds, and every normal request must succeed.
     */
    private static void assertSlowSenderDropped(EngineHarness harness, int port, byte[] request, int quickBytes,
                                                String what) throws Exception {
        int served = 0;
        try (WireConnection slow = new WireConnection(port, 200);
             WireConnection normal = new WireConnection(port, 10_000)) {
            long started = System.nanoTime();
            long deadline = started + Duration.ofSeconds(8).toNanos();
            if (quickBytes > 0) {
                slow.send(java.util.Arrays.copyOf(request, quickBytes));
            }
            boolean closed = false;
            for (int i = quickBytes; i < request.length && !closed; i++) {
                try {
                    slow.send(new byte[] {request[i]});
                } catch (IOException reset) {
                    closed = true;
                    break;
                }
                // Meanwhile a normal client is served at once.
                normal.send(WireConnection.claim("ab-sl-w1", harness.userToken("patient-" + what.replace(' ', '-') + "-" + i)));
                WireConnection.Response answer = normal.read();
                assertEquals(201, answer.status(), answer::toString);
                served++;
                try {
                    // The read timeout (200 ms) paces the slow sender.
                    closed = slow.closedByServer();
                    if (!closed) {
                        fail(what + ": the engine answered an incomplete request");
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // not closed yet: send the next byte
                }
                if (System.nanoTime() > deadline) {
                    fail(what + ": still connected after " + (i - quickBytes + 1) + " slow bytes");
                }
            }
            assertTrue(closed, what + ": the whole request went out without the engine closing the connection");
            System.out.printf("INFO AbuseIT %s: dropped after %d ms%n", what, (System.nanoTime() - started) / 1_000_000);
        }
        assertTrue(served > 0, what + ": no normal request was made while the slow one was open");
    }

    // ================================================================== pipelining

    @Test
    void shouldAnswerFivePipelinedClaimsInRequestOrder() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            createCampaign(harness, campaignBody("abuse-pipeline", 3, "ab-pl-w", List.of(1, 5, 5)));
            String[] users = {"pipe-a", "pipe-b", "pipe-a", "pipe-c", "pipe-b"};
            String[] wishes = {"ab-pl-w1", "ab-pl-w1", "ab-pl-w1", "ab-pl-w2", "ab-pl-w3"};
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < users.length; i++) {
                batch.append(WireConnection.claim(wishes[i], harness.userToken(users[i])));
            }
            try (WireConnection connection = new WireConnection(harness.engine().port())) {
                connection.send(batch.toString()); // one write: all five are on the wire together
                List<WireConnection.Response> answers = new ArrayList<>();
                for (int i = 0; i < users.length; i++) {
                    answers.add(connection.read());
                }
                int[] expected = {201, 409, 200, 201, 201};
                for (int i = 0; i < users.length; i++) {
                    WireConnection.Response answer = answers.get(i);
                    int index = i;
                    assertEquals(expected[i], answer.status(), () -> "answer " + index + " of " + answers);
                    if (answer.status() == 409) {
                        assertEquals("sold_out", answer.error(), answer::toString);
                    } else {
                        assertEquals(users[i], answer.json().path("userId").asText(), () -> "answer " + index + " of " + answers);
                        assertEquals(wishes[i], answer.json().path("wishId").asText(), () -> "answer " + index + " of " + answers);
                    }
                }
                assertEquals(answers.get(0).json().path("id").asText(), answers.get(2).json().path("id").asText(),
                        "the repeat in the pipeline must return the first claim");
                // The connection is still good for more.
                connection.send(WireConnection.get("/health/live", null));
                assertEquals(200, connection.read().status());
            }
            assertEquals(3, apiClaims(harness, "abuse-pipeline").size()); // a on w1, c on w2, b on w3
        }
    }

    // ================================================================== doctored tokens

    @Test
    void shouldRefuseTruncatedResignedAndOversizedTokensWith401() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            createCampaign(harness, campaignBody("abuse-tokens", 1, "ab-tk-w", List.of(1)));
            String valid = harness.userToken("token-victim");
            String[] parts = valid.split("\\.");
            assertEquals(3, parts.length);
            List<String> bad = new ArrayList<>();
            // Truncated: the signature's last character, the whole signature, the signature and its dot,
            // the middle of the payload.
            bad.add(valid.substring(0, valid.length() - 1));
            bad.add(parts[0] + "." + parts[1] + ".");
            bad.add(parts[0] + "." + parts[1]);
            bad.add(valid.substring(0, parts[0].length() + 1 + parts[1].length() / 2));
            // Re-signed: the victim's exact header and payload, with a valid HS256 MAC under another secret.
            bad.add(parts[0] + "." + parts[1] + "." + mac(parts[0] + "." + parts[1], "not-the-engine-secret"));
            // The victim's signature pasted onto someone else's payload.
            String other = harness.userToken("token-thief").split("\\.")[1];
            bad.add(parts[0] + "." + other + "." + parts[2]);
            // Oversized: correctly signed with the engine's secret, but longer than 4096 characters.
            String bigPayload = "{\"sub\":\"token-victim\",\"pad\":\"" + "p".repeat(3200) + "\"}";
            String big = signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", bigPayload, EngineHarness.TOKEN_SECRET);
            assertTrue(big.length() > 4096, "test token must exceed 4096 chars: " + big.length());
            bad.add(big);

            for (String token : bad) {
                HttpResponse<String> claim = harness.post("/api/wishes/ab-tk-w1/claims", token, null);
                assertEquals(401, claim.statusCode(), () -> "token " + token.length() + " chars: " + claim.body());
                assertEquals("unauthorized", json(claim).path("error").asText(), claim::body);
                assertEquals("Bearer", claim.headers().firstValue("WWW-Authenticate").orElse(null));
                HttpResponse<String> mine = harness.get("/api/me/claims", token);
                assertEquals(401, mine.statusCode(), mine::body);
            }
            // A control: a correctly signed token with the same padding but within 4096 chars is fine,
            // so the oversized one was refused for its size, not for its padding.
            String padded = signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                    "{\"sub\":\"token-victim\",\"pad\":\"" + "p".repeat(2000) + "\"}", EngineHarness.TOKEN_SECRET);
            assertTrue(padded.length() <= 4096);
            HttpResponse<String> ok = harness.post("/api/wishes/ab-tk-w1/claims", padded, null);
            assertEquals(201, ok.statusCode(), ok::body);
            assertEquals("token-victim", json(ok).path("userId").asText());
            Map<String, JsonNode> ledger = apiClaims(harness, "abuse-tokens");
            assertEquals(1, ledger.size(), ledger::toString);
            assertNull(ledger.values().stream().filter(c -> !c.path("userId").asText().equals("token-victim"))
                    .findAny().orElse(null));
        }
    }

    private static String signed(String header, String payload, String secret) throws Exception {
        String input = b64(header) + "." + b64(payload);
        return input + "." + mac(input, secret);
    }

    private static String mac(String input, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
