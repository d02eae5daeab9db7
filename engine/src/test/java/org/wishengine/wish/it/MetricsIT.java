package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wishengine.wish.it.GrabSupport.await;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.claimRequest;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.metrics.DashboardCheck;
import org.wishengine.wish.metrics.Exposition;

/**
 * What {@code GET /metrics} says after a small, fully known grab on a real engine and a real
 * Redis: exact counts per outcome, per route and status, per lifecycle transition, units left per
 * campaign; bounded histograms; no user, wish or claim id in any label. And {@code /health/ready}
 * (with {@code wish_store_up} and {@code wish_commit_errors_total}) while Redis is away and after
 * it is back.
 */
@Timeout(120)
class MetricsIT {

    private static final String GRAB = "metrics-grab";
    private static final String IDLE = "metrics-idle";
    private static final String GRAB_WISH = "mg-w1";
    private static final int UNITS = 5;
    private static final int USERS = 12;
    private static final List<Integer> IDLE_QUANTITIES = List.of(3, 4);
    private static final String CLAIM_ROUTE = "/api/wishes/{id}/claims";
    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** One claim answer as the client saw it, and the outcome it stands for. */
    private record Answer(String user, int status, String outcome, String claimId) {
    }

    @Test
    void shouldExportExactCountsOfASmallGrab() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            createCampaign(harness, campaignBody(GRAB, 1, "mg-w", List.of(UNITS)));
            createCampaign(harness, campaignBody(IDLE, 2, "mi-w", IDLE_QUANTITIES));
            long idleUnits = IDLE_QUANTITIES.stream().mapToLong(Integer::longValue).sum();

            // Lifecycle meters count on the commit's delivery, which may trail the HTTP answer by a
            // moment: wait for the exact value (a wrong count never reaches it and fails).
            Exposition before = awaitScrape(harness, "both campaigns' units-remaining gauges", e ->
                    e.valueOrNaN("wish_campaign_units_remaining", "campaign", GRAB) == UNITS
                            && e.valueOrNaN("wish_campaign_units_remaining", "campaign", IDLE) == idleUnits);
            assertEquals(0.0, before.value("wish_claim_transitions_total", "status", "claimed"));
            assertEquals(List.of(), before.series("wish_claims_total"), "no claim was attempted yet");

            List<String> users = new ArrayList<>();
            for (int i = 1; i <= USERS; i++) {
                users.add(String.format("mx-user-%02d", i));
            }
            // Round 1: all users race for the 5 units at once. Round 2: everyone asks again, so the
            // 5 winners get their claim back (200, repeat) and the 7 others are refused again.
            List<Answer> answers = new ArrayList<>(race(harness, users));
            answers.addAll(race(harness, users));
            // A claim on a wish that does not exist, and one without a token (401: no claim decision).
            answers.add(claim(harness, harness.client(), "mx-user-01", "mg-nope"));
            HttpResponse<String> anonymous = harness.post("/api/wishes/" + GRAB_WISH + "/claims", null, null);
            assertEquals(401, anonymous.statusCode(), anonymous::body);

            Map<String, Long> seen = new TreeMap<>();
            Map<Integer, Long> statuses = new TreeMap<>();
            for (Answer answer : answers) {
                seen.merge(answer.outcome(), 1L, Long::sum);
                statuses.merge(answer.status(), 1L, Long::sum);
            }
            assertEquals(Map.of("claimed", 5L, "repeat", 5L, "sold_out", 14L, "not_found", 1L), seen,
                    "the answers of a 5-unit grab by 12 users, twice, plus one unknown wish");

            // Meters are read one after another by a scrape: wait until every one has the last batch.
            Exposition after = awaitScrape(harness, "5 committed claims, 0 units left", e ->
                    e.valueOrZero("wish_claim_transitions_total", "status", "claimed") == 5.0
                            && e.valueOrNaN("wish_campaign_units_remaining", "campaign", GRAB) == 0.0
                            && e.valueOrZero("wish_commit_batch_size_sum") == 9.0);
            // wish_claims_total: exactly the outcomes the clients saw, nothing else.
            assertEquals(asDoubles(seen), after.byLabel("wish_claims_total", "outcome"));
            assertEquals(5.0, after.value("wish_claims_total", "outcome", "claimed"));
            assertEquals(seen.get("sold_out").doubleValue(), after.value("wish_claims_total", "outcome", "sold_out"));
            assertEquals(5.0, after.value("wish_claims_total", "outcome", "repeat"));
            assertEquals(answers.size(), after.value("wish_claim_latency_seconds_count"), 0.0,
                    "one latency sample per claim decision");
            // wish_http_requests_seconds_count by route template, method and status.
            assertEquals(5.0, requests(after, CLAIM_ROUTE, "POST", 201));
            assertEquals(statuses.get(200).doubleValue(), requests(after, CLAIM_ROUTE, "POST", 200));
            assertEquals(statuses.get(409).doubleValue(), requests(after, CLAIM_ROUTE, "POST", 409));
            assertEquals(1.0, requests(after, CLAIM_ROUTE, "POST", 404));
            assertEquals(1.0, requests(after, CLAIM_ROUTE, "POST", 401));
            assertEquals(2.0, requests(after, "/api/campaigns", "POST", 201));
            // Committed transitions and units left.
            assertEquals(5.0, after.value("wish_claim_transitions_total", "status", "claimed"));
            for (String status : List.of("fulfilled", "confirmed", "cancelled", "expired")) {
                assertEquals(0.0, after.value("wish_claim_transitions_total", "status", status), status);
            }
            assertEquals(0.0, after.value("wish_campaign_units_remaining", "campaign", GRAB));
            assertEquals(idleUnits, after.value("wish_campaign_units_remaining", "campaign", IDLE));
            // The commit pipeline: 2 campaigns with the audit records of their publication + 5 claims
            // were committed, nothing failed.
            assertEquals(9.0, after.value("wish_commit_batch_size_sum"), "changes committed");
            double commits = after.value("wish_commit_batch_size_count");
            assertTrue(commits >= 1 && commits <= 7, "commit round trips: " + commits);
            assertEquals(commits, after.value("wish_commit_duration_seconds_count"));
            assertTrue(after.value("wish_settle_duration_seconds_count") >= 1.0);
            // A sample of the claims whose batches were written, each split into all four stages.
            double sampled = after.value("wish_claim_stage_seconds_count", "stage", "ring");
            assertTrue(sampled <= answers.size(), "stage samples " + sampled);
            for (String stage : List.of("batch", "store", "answer")) {
                assertEquals(sampled, after.value("wish_claim_stage_seconds_count", "stage", stage), stage);
            }
            assertEquals(0.0, after.value("wish_commit_errors_total"));
            assertEquals(1.0, after.value("wish_store_up"));
            double capacity = after.value("wish_ring_capacity");
            assertTrue(capacity > 0, "ring capacity " + capacity);
            double remaining = after.value("wish_ring_remaining");
            assertTrue(remaining > 0 && remaining <= capacity, "ring remaining " + remaining);
            assertBoundedHistograms(after);

            Set<String> ids = new TreeSet<>(users);
            ids.addAll(List.of(GRAB_WISH, "mg-nope", "mi-w1", "mi-w2"));
            Map<String, String> claimOf = new TreeMap<>();
            for (Answer answer : answers) {
                if (answer.claimId() != null) {
                    ids.add(answer.claimId());
                    claimOf.putIfAbsent(answer.user(), answer.claimId());
                }
            }
            assertEquals(5, claimOf.size(), "winners: " + claimOf);
            assertNoIdInLabels(after, ids);

            // The lifecycle: one winner delivers and is confirmed, one cancels, three let it expire.
            List<String> winners = new ArrayList<>(claimOf.keySet());
            String delivered = claimOf.get(winners.get(0));
            String cancelled = claimOf.get(winners.get(1));
            expectStatus(200, harness.post("/api/claims/" + delivered + "/fulfil", harness.userToken(winners.get(0)), null));
            expectStatus(200, harness.post("/api/claims/" + delivered + "/confirm", EngineHarness.ADMIN_TOKEN,
                    "{\"rating\":5,\"comment\":\"thank you\"}"));
            expectStatus(200, harness.post("/api/claims/" + cancelled + "/cancel", harness.userToken(winners.get(1)), null));
            Exposition lifecycle = awaitScrape(harness, "the fulfil, confirm and cancel transitions", e ->
                    e.valueOrZero("wish_claim_transitions_total", "status", "cancelled") == 1.0
                            && e.valueOrNaN("wish_campaign_units_remaining", "campaign", GRAB) == 1.0);
            assertEquals(Map.of("claimed", 5.0, "fulfilled", 1.0, "confirmed", 1.0, "cancelled", 1.0, "expired", 0.0),
                    lifecycle.byLabel("wish_claim_transitions_total", "status"));
            assertEquals(1.0, lifecycle.value("wish_campaign_units_remaining", "campaign", GRAB), "the cancelled unit is back");
            assertEquals(1.0, requests(lifecycle, "/api/claims/{id}/fulfil", "POST", 200));
            assertEquals(1.0, requests(lifecycle, "/api/claims/{id}/confirm", "POST", 200));
            assertEquals(1.0, requests(lifecycle, "/api/claims/{id}/cancel", "POST", 200));

            // An event stream is a subscriber, and an open connection, until it closes.
            try (Socket stream = openEventStream(harness)) {
                Exposition streaming = scrape(harness);
                assertEquals(1.0, streaming.value("wish_events_subscribers"));
                assertTrue(streaming.value("wish_http_connections") >= 1.0);
                assertEquals(1.0, requests(streaming, "/api/events", "GET", 200));
            }
            await("wish_events_subscribers back to 0 after the stream closed", PHASE,
                    () -> scrapeQuietly(harness).value("wish_events_subscribers") == 0.0);

            // Past fulfilWithinHours the three claims still in 'claimed' expire (committed, so counted).
            harness.clock().advance(Duration.ofHours(169));
            harness.engine().expireNow();
            // A scrape reads the meters one after another, not atomically: wait until it has read
            // the expiry batch in every meter the assertions below look at.
            Exposition expired = awaitScrape(harness, "three expired transitions, 16 changes committed", e ->
                    e.value("wish_claim_transitions_total", "status", "expired") == 3.0
                            && e.valueOrNaN("wish_campaign_units_remaining", "campaign", GRAB) == 4.0
                            && e.value("wish_commit_batch_size_sum") == 16.0);
            assertEquals(4.0, expired.value("wish_campaign_units_remaining", "campaign", GRAB),
                    "5 units - 1 confirmed claim");
            assertEquals(idleUnits, expired.value("wish_campaign_units_remaining", "campaign", IDLE));
            assertEquals(16.0, expired.value("wish_commit_batch_size_sum"),
                    "9 changes + fulfil + confirm and its audit record + cancel + 3 expiries");
            assertNoIdInLabels(expired, ids);
            assertBoundedHistograms(expired);

            // Every series the dashboard queries is in this real engine's scrape.
            Exposition full = scrapeAfterAGc(harness);
            List<String> problems = DashboardCheck.problems(DashboardCheck.load(), full);
            assertTrue(problems.isEmpty(), () -> "dashboard vs the running engine:\n  " + String.join("\n  ", problems));
        }
    }

    @Test
    void shouldReportNotReadyWhileRedisIsDownAndReadyAgainWhenItIsBack() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            createCampaign(harness, campaignBody("metrics-outage", 5, "mo-w", List.of(10)));
            expectStatus(201, harness.send(claimRequest(harness, "mo-w1", harness.userToken("mo-user-1"), CLIENT_TIMEOUT)));
            JsonNode ready = expectReadiness(harness, 200);
            assertEquals("ready", ready.path("status").asText());
            assertTrue(ready.path("storeAnswers").asBoolean() && ready.path("commitsSucceeding").asBoolean()
                    && ready.path("recovered").asBoolean(), ready::toString);

            harness.stopRedis();
            AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            await("/health/ready to answer 503 while Redis is stopped", PHASE, () -> {
                last.set(readiness(harness));
                return last.get() != null && last.get().statusCode() == 503;
            });
            JsonNode down = json(last.get());
            assertEquals("not_ready", down.path("status").asText(), down::toString);
            assertFalse(down.path("storeAnswers").asBoolean(), () -> "the readiness ping must fail: " + down);
            assertTrue(down.path("recovered").asBoolean(), down::toString);
            assertEquals("store unavailable", down.path("reason").asText(), down::toString);
            assertEquals("1", last.get().headers().firstValue("Retry-After").orElse(null));
            // wish_store_up and commitsSucceeding read the same flag.
            assertEquals(down.path("commitsSucceeding").asBoolean() ? 1.0 : 0.0, scrape(harness).value("wish_store_up"));

            // A claim admitted now waits in the ring while its commit fails and is retried.
            CompletableFuture<HttpResponse<String>> waiting = harness.client().sendAsync(
                    claimRequest(harness, "mo-w1", harness.userToken("mo-user-2"), CLIENT_TIMEOUT),
                    HttpResponse.BodyHandlers.ofString());
            await("wish_store_up 0 and a commit error counted", PHASE, () -> {
                Exposition now = scrapeQuietly(harness);
                return now.value("wish_store_up") == 0.0 && now.value("wish_commit_errors_total") >= 1.0;
            });
            assertFalse(waiting.isDone(), "a claim must not be answered before its commit succeeds");
            JsonNode failing = expectReadiness(harness, 503);
            assertFalse(failing.path("commitsSucceeding").asBoolean(), failing::toString);
            // Meanwhile new claims are refused at the door.
            HttpResponse<String> refused = harness.send(
                    claimRequest(harness, "mo-w1", harness.userToken("mo-user-3"), CLIENT_TIMEOUT));
            assertEquals(503, refused.statusCode(), refused::body);
            assertEquals("overloaded", json(refused).path("error").asText());

            harness.restartRedis();
            await("/health/ready to answer 200 after Redis is back", PHASE, () -> {
                HttpResponse<String> response = readiness(harness);
                return response != null && response.statusCode() == 200;
            });
            expectStatus(201, waiting.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            JsonNode back = expectReadiness(harness, 200);
            assertTrue(back.path("storeAnswers").asBoolean() && back.path("commitsSucceeding").asBoolean(), back::toString);

            Exposition after = awaitScrape(harness, "the claim committed after the outage", e ->
                    e.valueOrZero("wish_claim_transitions_total", "status", "claimed") == 2.0
                            && e.valueOrNaN("wish_campaign_units_remaining", "campaign", "metrics-outage") == 8.0);
            assertEquals(1.0, after.value("wish_store_up"));
            assertTrue(after.value("wish_commit_errors_total") >= 1.0);
            // Both store connections (commit and query) were lost with Redis and came back.
            assertTrue(after.value("wish_redis_disconnects_total") >= 2.0, () -> "disconnects " + after.value("wish_redis_disconnects_total"));
            assertTrue(after.value("wish_redis_reconnects_total") >= 2.0, () -> "reconnects " + after.value("wish_redis_reconnects_total"));
            assertEquals(Map.of("claimed", 2.0, "overloaded", 1.0), after.byLabel("wish_claims_total", "outcome"));
            assertEquals(2.0, after.value("wish_claim_transitions_total", "status", "claimed"));
            assertEquals(8.0, after.value("wish_campaign_units_remaining", "campaign", "metrics-outage"));
            assertEquals(1.0, requests(after, CLAIM_ROUTE, "POST", 503));
            assertEquals(2.0, requests(after, CLAIM_ROUTE, "POST", 201));
            assertTrue(requests(after, "/health/ready", "GET", 503) >= 2.0);
            assertTrue(requests(after, "/health/ready", "GET", 200) >= 3.0);
        }
    }

    // ------------------------------------------------------------------ the grab

    /** Every user claims {@link #GRAB_WISH} once, all released together, each on its own connection. */
    private static List<Answer> race(EngineHarness harness, List<String> users) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(users.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (String user : users) {
                HttpClient client = GrabSupport.newClient();
                futures.add(pool.submit(() -> {
                    go.await();
                    return claim(harness, client, user, GRAB_WISH);
                }));
            }
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Answer claim(EngineHarness harness, HttpClient client, String user, String wishId)
            throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(claimRequest(harness, wishId, harness.userToken(user), CLIENT_TIMEOUT),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = json(response);
        return switch (response.statusCode()) {
            case 201 -> new Answer(user, 201, "claimed", body.path("id").asText());
            case 200 -> new Answer(user, 200, "repeat", body.path("id").asText());
            default -> new Answer(user, response.statusCode(), body.path("error").asText("?"), null);
        };
    }

    // ------------------------------------------------------------------ scraping

    private static Exposition scrape(EngineHarness harness) throws IOException, InterruptedException {
        HttpResponse<String> response = harness.get("/metrics", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                () -> "content type " + response.headers().firstValue("Content-Type"));
        return Exposition.parse(response.body());
    }

    private static Exposition scrapeQuietly(EngineHarness harness) {
        try {
            return scrape(harness);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Scrapes until {@code condition} holds of the scrape (or fails after {@link #PHASE}); returns that scrape. */
    private static Exposition awaitScrape(EngineHarness harness, String what, Predicate<Exposition> condition)
            throws InterruptedException {
        AtomicReference<Exposition> scraped = new AtomicReference<>();
        try {
            await(what + " in /metrics", PHASE, () -> {
                scraped.set(scrapeQuietly(harness));
                return condition.test(scraped.get());
            });
        } catch (AssertionError e) {
            Exposition last = scraped.get();
            throw new AssertionError(e.getMessage() + "; last scrape: " + (last == null ? "none" : last.samples().stream()
                    .filter(s -> s.name().startsWith("wish_") && !s.name().endsWith("_bucket")).toList()), e);
        }
        return scraped.get();
    }

    /** A scrape that includes jvm_gc_pause_seconds, which exists only after the first GC. */
    private static Exposition scrapeAfterAGc(EngineHarness harness) throws InterruptedException {
        AtomicReference<Exposition> scraped = new AtomicReference<>();
        await("jvm_gc_pause_seconds after System.gc()", PHASE, () -> {
            System.gc();
            scraped.set(scrapeQuietly(harness));
            return !scraped.get().series("jvm_gc_pause_seconds_count").isEmpty();
        });
        return scraped.get();
    }

    private static double requests(Exposition exposition, String route, String method, int status) {
        return exposition.value("wish_http_requests_seconds_count", "route", route, "method", method,
                "status", Integer.toString(status));
    }

    private static Map<String, Double> asDoubles(Map<String, Long> counts) {
        Map<String, Double> doubles = new TreeMap<>();
        counts.forEach((key, value) -> doubles.put(key, value.doubleValue()));
        return doubles;
    }

    /**
     * Every histogram (each label set of a family, such as each stage of {@code wish_claim_stage})
     * has a fixed, small set of buckets, and its +Inf bucket is its count.
     */
    private static void assertBoundedHistograms(Exposition exposition) {
        assertTrue(exposition.series("wish_claim_latency_seconds_bucket").size() < 100,
                "wish_claim_latency_seconds_bucket series: " + exposition.series("wish_claim_latency_seconds_bucket").size());
        int histograms = 0;
        for (Map.Entry<String, String> family : exposition.types().entrySet()) {
            if (!family.getValue().equals("histogram")) {
                continue;
            }
            String name = family.getKey();
            Map<Map<String, String>, List<Exposition.Sample>> byLabels = new java.util.LinkedHashMap<>();
            for (Exposition.Sample bucket : exposition.series(name + "_bucket")) {
                Map<String, String> labels = new TreeMap<>(bucket.labels());
                labels.remove("le");
                byLabels.computeIfAbsent(labels, l -> new ArrayList<>()).add(bucket);
            }
            for (Map.Entry<Map<String, String>, List<Exposition.Sample>> histogram : byLabels.entrySet()) {
                histograms++;
                String which = name + histogram.getKey();
                List<Exposition.Sample> buckets = histogram.getValue();
                assertTrue(buckets.size() > 1 && buckets.size() < 100, which + " buckets: " + buckets.size());
                List<String> pairs = new ArrayList<>();
                histogram.getKey().forEach((label, value) -> {
                    pairs.add(label);
                    pairs.add(value);
                });
                List<String> inf = new ArrayList<>(pairs);
                inf.add("le");
                inf.add("+Inf");
                assertEquals(exposition.value(name + "_count", pairs.toArray(String[]::new)),
                        exposition.value(name + "_bucket", inf.toArray(String[]::new)), which);
                double previous = -1;
                for (Exposition.Sample bucket : buckets) {
                    assertTrue(bucket.value() >= previous, () -> which + " buckets are not cumulative at " + bucket);
                    previous = bucket.value();
                }
            }
        }
        assertTrue(histograms >= 8, "histograms: " + exposition.types());
    }

    /** No label value of any series contains an id of a user, wish or claim (cardinality and privacy). */
    private static void assertNoIdInLabels(Exposition exposition, Set<String> ids) {
        List<String> leaks = new ArrayList<>();
        Map<String, Set<String>> valuesByLabel = new ConcurrentHashMap<>();
        for (Exposition.Sample sample : exposition.samples()) {
            for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                valuesByLabel.computeIfAbsent(label.getKey(), k -> new TreeSet<>()).add(label.getValue());
                for (String id : ids) {
                    if (label.getValue().contains(id)) {
                        leaks.add(sample.name() + " " + label.getKey() + "=" + label.getValue() + " contains " + id);
                    }
                }
            }
        }
        assertTrue(leaks.isEmpty(), () -> String.join("\n", leaks));
        assertEquals(Set.of(GRAB, IDLE), valuesByLabel.get("campaign"), "the only ids allowed as a tag are campaign ids");
    }

    // ------------------------------------------------------------------ health

    private static HttpResponse<String> readiness(EngineHarness harness) {
        try {
            return harness.send(harness.request("/health/ready", null).timeout(Duration.ofSeconds(5)).GET().build());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static JsonNode expectReadiness(EngineHarness harness, int status) {
        HttpResponse<String> response = readiness(harness);
        if (response == null) {
            fail("/health/ready did not answer");
        }
        assertEquals(status, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return json(response);
    }

    private static void expectStatus(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), () -> response.request().uri() + " -> " + response.body());
    }

    /** Opens {@code GET /api/events} on a raw socket and returns once the stream has started. */
    private static Socket openEventStream(EngineHarness harness) throws IOException {
        Socket socket = new Socket("127.0.0.1", harness.engine().port());
        try {
            socket.setSoTimeout((int) PHASE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (seen.indexOf("retry:") < 0) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("event stream closed early: " + seen);
                }
                seen.append((char) b);
            }
            assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen::toString);
            return socket;
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }
}
