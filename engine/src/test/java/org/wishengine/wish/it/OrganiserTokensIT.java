package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Organiser tokens end to end on a real Redis (issue 18): the district administrator issues one for
 * an org of the tree and revokes it; the revocation reaches every event loop of the engine (it is
 * read from Redis by each engine's refresher, not per request) and survives a restart.
 */
class OrganiserTokensIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    /** More connections than the engine has event loops, so every loop serves some. */
    private static final int CONNECTIONS = 8;

    @TempDir
    Path dir;

    private EngineHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void theAdministratorIssuesAndRevokesAnOrganiserTokenAndEveryEventLoopRefusesItAfter() throws Exception {
        harness = EngineHarness.start(dir);
        assertEquals(201, harness.post("/api/orgs", ADMIN, "{\"id\":\"district\",\"name\":\"District\"}").statusCode());
        assertEquals(201, harness.post("/api/orgs", ADMIN,
                "{\"id\":\"town-a\",\"name\":\"Town A\",\"parent\":\"district\"}").statusCode());

        HttpResponse<String> issued = harness.post("/api/orgs/town-a/tokens", ADMIN, "{\"ttlDays\":7}");
        assertEquals(201, issued.statusCode(), issued.body());
        JsonNode body = JSON.readTree(issued.body());
        String token = body.path("token").asText();
        String jti = body.path("jti").asText();
        assertEquals("town-a", body.path("org").asText());
        assertEquals("organiser", body.path("role").asText());
        assertEquals(Duration.ofDays(7).toMillis(),
                java.time.Instant.parse(body.path("expiresAt").asText()).toEpochMilli() - harness.clock().millis(),
                1_000, "expires in the days asked for");

        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }
        for (HttpClient client : clients) {
            HttpResponse<String> whoami = whoami(client, token);
            assertEquals(200, whoami.statusCode(), whoami.body());
            assertEquals("town-a", JSON.readTree(whoami.body()).path("org").asText());
        }
        HttpResponse<String> byOrganiser = harness.post("/api/orgs/town-a/tokens", token, null);
        assertEquals(403, byOrganiser.statusCode(), "only the administrator issues tokens");
        assertTrue(byOrganiser.body().contains("district administrator"), byOrganiser.body());
        assertEquals(404, harness.post("/api/orgs/nowhere/tokens", ADMIN, null).statusCode());
        HttpResponse<String> badTtl = harness.post("/api/orgs/town-a/tokens", ADMIN, "{\"ttlDays\":0}");
        assertEquals(400, badTtl.statusCode());
        assertEquals("ttlDays", JSON.readTree(badTtl.body()).path("field").asText());
        assertEquals(404, delete("/api/tokens/no-such-token", ADMIN).statusCode());
        assertEquals(403, delete("/api/tokens/" + jti, token).statusCode(), "an organiser cannot revoke");

        HttpResponse<String> revoked = delete("/api/tokens/" + jti, ADMIN);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(JSON.readTree(revoked.body()).path("revoked").asBoolean());
        long revokedAt = System.nanoTime();
        // Each connection is kept by its client, and the engine spreads connections over its event
        // loops: once every one of them refuses, every loop has seen the revocation.
        List<HttpClient> stillAccepting = new ArrayList<>(clients);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stillAccepting.isEmpty() && System.nanoTime() < deadline) {
            stillAccepting.removeIf(client -> {
                HttpResponse<String> answer = whoami(client, token);
                return answer.statusCode() == 401 && answer.body().contains("revoked");
            });
        }
        assertEquals(List.of(), stillAccepting, "every connection refuses the revoked token");
        System.out.printf("OrganiserTokensIT: revoked token refused on all %d connections %d ms after the 200%n",
                CONNECTIONS, Duration.ofNanos(System.nanoTime() - revokedAt).toMillis());
        assertEquals(200, delete("/api/tokens/" + jti, ADMIN).statusCode(), "revoking again is harmless");

        harness.stopEngine();
        harness.startEngine();
        HttpResponse<String> afterRestart = harness.get("/api/admin/whoami", token);
        assertEquals(401, afterRestart.statusCode(), "the revocation is kept in Redis");
        HttpResponse<String> fresh = harness.post("/api/orgs/town-a/tokens", ADMIN, null);
        assertEquals(201, fresh.statusCode(), fresh.body());
        assertEquals(200, harness.get("/api/admin/whoami", JSON.readTree(fresh.body()).path("token").asText())
                .statusCode(), "a new token for the org works");
    }

    private HttpResponse<String> whoami(HttpClient client, String token) {
        try {
            return client.send(HttpRequest.newBuilder(harness.uri("/api/admin/whoami"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> delete(String path, String token) throws Exception {
        return harness.send(harness.request(path, token).DELETE().build());
    }
}
