package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.apiClaims;
import static org.wishengine.wish.it.GrabSupport.await;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.claimRequest;
import static org.wishengine.wish.it.GrabSupport.commitScriptCached;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;
import static org.wishengine.wish.it.GrabSupport.readiness;
import static org.wishengine.wish.it.GrabSupport.redisClaims;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis goes away in the middle of a grab. While it is away the engine refuses new claims with
 * 503 {@code overloaded} + {@code Retry-After} and reports not ready; claims already in the ring
 * wait and are answered 201 once Redis is back. When Redis returns the engine serves again without
 * a restart, and (for a graceful Redis stop, whose AOF is complete) every 201 is in Redis.
 */
@Timeout(120)
class RedisOutageIT {

    private static final String CAMPAIGN = "outage";
    private static final int WISHES = 10;
    private static final int WORKERS = 8;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PHASE = Duration.ofSeconds(30);
    /** Longer than the engine's 2 s commit timeout, so that retries time out during the outage too. */
    private static final Duration MIN_OUTAGE = Duration.ofMillis(2_500);

    @TempDir
    Path tmp;

    @Test
    void shouldRefuseWhileRedisIsStoppedAndLoseNoAcknowledgedClaim() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            Outage outage = grabThroughOutage(harness, false);

            // Graceful stop: Redis flushed its AOF, so the engine's promise is checkable in full.
            Set<String> acknowledged = outage.grab.createdIds();
            Map<String, JsonNode> listed = apiClaims(harness, CAMPAIGN);
            Map<String, JsonNode> stored = redisClaims(harness.redis().uri(), CAMPAIGN);
            assertEquals(acknowledged, listed.keySet(), "API ledger vs the 201s the clients received");
            assertEquals(acknowledged, stored.keySet(), "claims in Redis vs the 201s the clients received");
            for (Reply reply : outage.grab.created()) {
                JsonNode claim = stored.get(reply.claimId());
                assertEquals(reply.user(), claim.path("userId").asText(), claim::toString);
                assertEquals(reply.wishId(), claim.path("wishId").asText(), claim::toString);
                assertEquals("CLAIMED", claim.path("status").asText(), claim::toString);
            }
        }
    }

    @Test
    void shouldServeAgainWithoutRestartAfterRedisIsKilledMidGrab() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            Outage outage = grabThroughOutage(harness, true);

            // SIGKILL with appendfsync everysec may lose Redis's last second of writes: that is
            // Redis's durability, not the engine's. The engine's own ledger must still hold every
            // 201, and every claim acknowledged after Redis came back must be in Redis.
            Set<String> acknowledged = outage.grab.createdIds();
            Map<String, JsonNode> listed = apiClaims(harness, CAMPAIGN);
            assertEquals(acknowledged, listed.keySet(), "API ledger vs the 201s the clients received");
            Map<String, JsonNode> stored = redisClaims(harness.redis().uri(), CAMPAIGN);
            List<String> missingAfterRestart = new ArrayList<>();
            int sentBeforeKillMissing = 0;
            for (Reply reply : outage.grab.created()) {
                JsonNode claim = stored.get(reply.claimId());
                if (reply.sentNanos() >= outage.restartedNanos) {
                    if (claim == null || !reply.user().equals(claim.path("userId").asText())
                            || !reply.wishId().equals(claim.path("wishId").asText())) {
                        missingAfterRestart.add(reply.claimId() + " -> " + claim);
                    }
                } else if (claim == null) {
                    sentBeforeKillMissing++;
                }
            }
            assertTrue(missingAfterRestart.isEmpty(),
                    () -> "claims acknowledged after Redis restarted are not (correctly) in Redis: " + missingAfterRestart);
            System.out.printf("INFO RedisOutageIT(kill): %d of %d claims acknowledged before the restart are not in"
                    + " Redis (Redis's own everysec AOF window)%n", sentBeforeKillMissing, acknowledged.size());
        }
    }

    @Test
    void shouldReloadTheCommitScriptWhenRedisRestartsWithAnEmptyScriptCache() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            createCampaign(harness, campaignBody(CAMPAIGN, 5, "os-w", List.of(100, 100)));
            HttpClient client = GrabSupport.newClient();
            String first = claimOnce(harness, client, "before-1", "os-w1");
            assertTrue(commitScriptCached(harness.redis().uri()), "the engine loaded its commit script");

            harness.stopRedis();
            await("/health/ready to report 503 while Redis is stopped", PHASE, () -> readiness(harness) == 503);
            harness.restartRedis();
            assertFalse(commitScriptCached(harness.redis().uri()), "a restarted Redis has an empty script cache");
            await("/health/ready to report 200 after Redis restarted", PHASE, () -> readiness(harness) == 200);

            // No traffic during the outage, so the engine only learns of the empty cache (NOSCRIPT)
            // from this commit: it must reload the script and answer 201, not an error.
            String second = claimOnce(harness, client, "after-1", "os-w1");
            String third = claimOnce(harness, client, "after-2", "os-w2");
            assertTrue(commitScriptCached(harness.redis().uri()), "the engine reloaded its commit script");

            Map<String, JsonNode> stored = redisClaims(harness.redis().uri(), CAMPAIGN);
            assertEquals(Set.of(first, second, third), stored.keySet());
            assertEquals("after-1", stored.get(second).path("userId").asText());
            assertEquals("after-2", stored.get(third).path("userId").asText());
            assertEquals(Set.of(first, second, third), apiClaims(harness, CAMPAIGN).keySet());
            assertEquals(200, readiness(harness));
        }
    }

    // ------------------------------------------------------------------ the grab through an outage

    private record Outage(Grab grab, long stoppedNanos, long restartedNanos) {
    }

    /**
     * Runs a continuous grab, takes Redis away mid-grab (SIGKILL or graceful), checks the engine's
     * answers during the outage, brings Redis back and waits until the engine serves again; returns
     * once every request has been answered, after checking each answer against the contract.
     */
    private Outage grabThroughOutage(EngineHarness harness, boolean kill) throws Exception {
        List<Integer> quantities = Collections.nCopies(WISHES, 100_000);
        createCampaign(harness, campaignBody(CAMPAIGN, 1, "os-w", quantities));
        Grab grab = new Grab(harness);
        grab.start(WORKERS);
        long stopped;
        long restarted;
        List<CompletableFuture<Reply>> probesInFlight = new ArrayList<>();
        try {
            await("the grab to get going", PHASE, () -> grab.createdCount() >= 200);

            stopped = System.nanoTime();
            if (kill) {
                harness.killRedis();
            } else {
                harness.stopRedis();
            }
            // The workers' requests that were in the ring when Redis went are now stuck until it
            // returns, so a probe keeps sending fresh claims without waiting for each answer, for
            // at least MIN_OUTAGE (a deliberate outage length, not a stand-in for synchronisation).
            HttpClient probe = GrabSupport.newClient();
            await("503 overloaded answers during the outage", PHASE, () -> {
                CompletableFuture<Reply> sent = grab.sendAsync(probe, "probe");
                try {
                    sent.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException inFlight) {
                    probesInFlight.add(sent);
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
                return grab.refusedCount() >= 20 && System.nanoTime() - stopped >= MIN_OUTAGE.toNanos();
            });
            await("/health/ready to report 503 during the outage", PHASE, () -> readiness(harness) == 503);

            harness.restartRedis();
            restarted = System.nanoTime();
            await("a 201 for a claim sent after Redis came back (no engine restart)", PHASE,
                    () -> grab.createdSentAfter(restarted) > 0);
            await("/health/ready to report 200 after Redis came back", PHASE, () -> readiness(harness) == 200);
            long createdAfter = grab.createdSentAfter(restarted);
            await("more claims to succeed after Redis came back", PHASE,
                    () -> grab.createdSentAfter(restarted) >= createdAfter + 100);
        } finally {
            grab.stopSending(); // on failure the harness closes next and ends whatever is still in flight
        }
        grab.awaitWorkers();
        for (CompletableFuture<Reply> probe : probesInFlight) {
            probe.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        // Every answer is 201 (new user, fresh claim) or 503 overloaded with Retry-After, and no
        // 503 was answered before Redis went away.
        List<String> problems = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        int inFlightAcrossOutage = 0;
        int sentDuringOutage = 0;
        for (Reply reply : grab.replies) {
            answers.merge(reply.failure() != null ? "exception" : Integer.toString(reply.status()), 1, Integer::sum);
            if (reply.failure() != null) {
                problems.add("request failed: " + reply.failure());
            } else if (reply.status() == 201) {
                JsonNode body = reply.body();
                if (!reply.user().equals(body.path("userId").asText()) || !reply.wishId().equals(body.path("wishId").asText())
                        || !"claimed".equals(body.path("status").asText())) {
                    problems.add("wrong 201 for " + reply.user() + " on " + reply.wishId() + ": " + body);
                }
                if (reply.sentNanos() < restarted && reply.doneNanos() > restarted) {
                    inFlightAcrossOutage++; // accepted before or during the outage, answered once Redis was back
                }
                if (reply.sentNanos() >= stopped && reply.sentNanos() < restarted) {
                    sentDuringOutage++;
                }
            } else if (reply.status() == 503) {
                if (!"overloaded".equals(reply.body().path("error").asText())) {
                    problems.add("503 without error overloaded: " + reply.body());
                }
                if (reply.retryAfter() == null || !reply.retryAfter().matches("\\d+")) {
                    problems.add("503 without a Retry-After in seconds: " + reply.retryAfter());
                }
                // Causality, not send time: a claim sent just before the kill can reach the
                // engine after it has seen the connection drop, and is then rightly refused.
                if (reply.doneNanos() < stopped) {
                    problems.add("503 answered before Redis went away: " + reply.body());
                }
            } else {
                problems.add("unexpected " + reply.status() + ": " + reply.body());
            }
        }
        System.out.printf("INFO RedisOutageIT(%s): answers %s; %d claims in flight across the outage answered 201"
                + " after Redis returned (%d of them sent during it); outage %d ms%n", kill ? "kill" : "stop",
                answers, inFlightAcrossOutage, sentDuringOutage, TimeUnit.NANOSECONDS.toMillis(restarted - stopped));
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: "
                + problems.subList(0, Math.min(20, problems.size())));
        // The commit that first failed carried at least one claim: it must have been kept, retried
        // and acknowledged after Redis came back, never dropped or answered with an error.
        assertTrue(inFlightAcrossOutage >= 1, "no claim was carried across the outage: " + answers);
        Set<String> ids = grab.createdIds();
        assertEquals(grab.createdCount(), ids.size(), "a claim id was acknowledged twice");
        return new Outage(grab, stopped, restarted);
    }

    private static String claimOnce(EngineHarness harness, HttpClient client, String user, String wishId)
            throws Exception {
        HttpResponse<String> response = client.send(
                claimRequest(harness, wishId, harness.userToken(user), CLIENT_TIMEOUT), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), () -> user + " on " + wishId + ": " + response.body());
        return json(response).path("id").asText();
    }

    // ------------------------------------------------------------------ load

    /** One claim attempt and what came back (or the exception instead). */
    private record Reply(String user, String wishId, long sentNanos, long doneNanos, int status, JsonNode body,
                         String retryAfter, Throwable failure) {
        String claimId() {
            return body.path("id").asText();
        }
    }

    /** Worker threads claiming continuously, each with its own connection; every claim is by a new user. */
    private static final class Grab {
        final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
        private final EngineHarness harness;
        private final AtomicInteger created = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicLong users = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        Grab(EngineHarness harness) {
            this.harness = harness;
        }

        void start(int workers) {
            for (int i = 0; i < workers; i++) {
                Thread thread = new Thread(this::work, "grab-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void work() {
            HttpClient client = GrabSupport.newClient();
            while (!stopping) {
                String user = "worker-user-" + users.incrementAndGet();
                String wishId = randomWish();
                long sent = System.nanoTime();
                Reply reply;
                try {
                    HttpResponse<String> response = client.send(
                            claimRequest(harness, wishId, harness.userToken(user), CLIENT_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString());
                    reply = record(user, wishId, sent, response);
                } catch (Exception e) {
                    reply = new Reply(user, wishId, sent, System.nanoTime(), -1, null, null, e);
                    replies.add(reply);
                }
                if (reply.status() == 503) {
                    backOff();
                }
            }
        }

        /** A claim by a new user without waiting for the answer (the probe during an outage). */
        CompletableFuture<Reply> sendAsync(HttpClient client, String prefix) {
            String user = prefix + "-user-" + users.incrementAndGet();
            String wishId = randomWish();
            long sent = System.nanoTime();
            return client.sendAsync(claimRequest(harness, wishId, harness.userToken(user), CLIENT_TIMEOUT),
                            HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        if (failure != null) {
                            Reply reply = new Reply(user, wishId, sent, System.nanoTime(), -1, null, null, failure);
                            replies.add(reply);
                            return reply;
                        }
                        return record(user, wishId, sent, response);
                    });
        }

        private Reply record(String user, String wishId, long sent, HttpResponse<String> response) {
            Reply reply = new Reply(user, wishId, sent, System.nanoTime(), response.statusCode(), json(response),
                    response.headers().firstValue("Retry-After").orElse(null), null);
            replies.add(reply);
            if (reply.status() == 201) {
                created.incrementAndGet();
            } else if (reply.status() == 503) {
                refused.incrementAndGet();
            }
            return reply;
        }

        /** A client that honours Retry-After loosely: a short pause so the refusals do not spin a core. */
        private void backOff() {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }

        private static String randomWish() {
            return "os-w" + (1 + ThreadLocalRandom.current().nextInt(WISHES));
        }

        int createdCount() {
            return created.get();
        }

        int refusedCount() {
            return refused.get();
        }

        long createdSentAfter(long nanos) {
            return replies.stream().filter(r -> r.status() == 201 && r.sentNanos() >= nanos).count();
        }

        List<Reply> created() {
            return replies.stream().filter(r -> r.status() == 201).collect(Collectors.toList());
        }

        Set<String> createdIds() {
            return replies.stream().filter(r -> r.status() == 201).map(Reply::claimId).collect(Collectors.toSet());
        }

        void stopSending() {
            stopping = true;
        }

        /** Waits for every worker's last answer (after {@link #stopSending()}). */
        void awaitWorkers() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(CLIENT_TIMEOUT.toMillis() + 5_000);
                assertFalse(thread.isAlive(), thread.getName() + " did not finish");
            }
        }
    }
}
