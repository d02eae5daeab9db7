package org.wishengine.wish.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The organiser's side of a flash-grab, off the hot path: creates the campaign before the run
 * and reads the ledger and the wishes back afterwards, with the JDK's HTTP client.
 */
final class AdminApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    AdminApi(URI base, String adminToken) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.adminToken = adminToken;
    }

    /**
     * {@code POST /api/campaigns}; opens at once. {@code fulfilWithinHours} null leaves the engine's
     * default. Throws unless the engine answers 201.
     */
    void createCampaign(String id, int perUserLimit, Integer fulfilWithinHours, List<InvariantChecker.Wish> wishes)
            throws IOException, InterruptedException {
        createCampaign(id, perUserLimit, fulfilWithinHours, wishes, 0, 0);
    }

    /**
     * As {@link #createCampaign(String, int, Integer, List)}, opening at {@code opensAt} (epoch
     * millis; 0: at once) with a fair-start window of {@code windowSeconds} (0: none).
     */
    void createCampaign(String id, int perUserLimit, Integer fulfilWithinHours, List<InvariantChecker.Wish> wishes,
                        long opensAt, int windowSeconds) throws IOException, InterruptedException {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("id", id);
        body.put("title", "Flash-grab " + id);
        body.put("perUserLimit", perUserLimit);
        if (opensAt != 0) {
            body.put("opensAt", Instant.ofEpochMilli(opensAt).toString());
        }
        if (windowSeconds != 0) {
            body.putObject("fairStart").put("windowSeconds", windowSeconds);
        }
        if (fulfilWithinHours != null) {
            body.put("fulfilWithinHours", fulfilWithinHours);
        }
        ArrayNode list = body.putArray("wishes");
        for (InvariantChecker.Wish wish : wishes) {
            list.addObject().put("id", wish.id()).put("title", "Load wish " + wish.id())
                    .put("quantity", wish.quantity()).put("category", "load").put("location", "bench");
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/campaigns"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))));
        if (response.statusCode() != 201) {
            throw new IOException("creating campaign " + id + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** {@code GET /api/campaigns/{id}}: {@code opensAt} in epoch millis and {@code perUserLimit}. */
    JsonNode campaign(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/campaigns/" + id)).GET());
        expectOk(response, "GET /api/campaigns/" + id);
        return MAPPER.readTree(response.body());
    }

    /** {@code GET /api/campaigns/{id}/draw}: the body, as bytes (200 only). */
    byte[] draw(String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/api/campaigns/" + id + "/draw"))
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/campaigns/" + id + "/draw answered " + response.statusCode());
        }
        return response.body();
    }

    /** {@code GET /api/campaigns/{id}/claims} as the organiser. */
    List<InvariantChecker.LedgerClaim> ledger(String campaignId) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/campaigns/" + campaignId + "/claims"))
                .header("Authorization", "Bearer " + adminToken).GET());
        expectOk(response, "GET /api/campaigns/" + campaignId + "/claims");
        JsonNode claims = MAPPER.readTree(response.body()).path("claims");
        List<InvariantChecker.LedgerClaim> ledger = new ArrayList<>(claims.size());
        for (JsonNode claim : claims) {
            ledger.add(new InvariantChecker.LedgerClaim(claim.path("id").asText(), claim.path("wishId").asText(),
                    claim.path("campaignId").asText(), claim.path("userId").asText(), claim.path("status").asText(),
                    millis(claim.path("claimedAt").asText(null))));
        }
        return ledger;
    }

    /** {@code GET /api/wishes/{id}} of every wish, 16 at a time: id to {@code remaining}. */
    Map<String, Integer> remaining(List<String> wishIds) throws IOException, InterruptedException {
        Semaphore permits = new Semaphore(16);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>(wishIds.size());
        for (String id : wishIds) {
            permits.acquire();
            answers.add(http.sendAsync(HttpRequest.newBuilder(uri("/api/wishes/" + id)).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> permits.release()));
        }
        Map<String, Integer> remaining = new HashMap<>();
        for (int i = 0; i < wishIds.size(); i++) {
            HttpResponse<String> response;
            try {
                response = answers.get(i).join();
            } catch (RuntimeException e) {
                throw new IOException("GET /api/wishes/" + wishIds.get(i) + " failed", e);
            }
            expectOk(response, "GET /api/wishes/" + wishIds.get(i));
            JsonNode wish = MAPPER.readTree(response.body());
            remaining.put(wishIds.get(i), wish.path("remaining").asInt());
        }
        return remaining;
    }

    static long millis(String instant) {
        return instant == null || instant.isEmpty() ? 0 : Instant.parse(instant).toEpochMilli();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expectOk(HttpResponse<String> response, String what) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
