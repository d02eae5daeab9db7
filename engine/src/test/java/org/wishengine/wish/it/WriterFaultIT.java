package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.await;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.claimRequest;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.metrics.Exposition;
import org.wishengine.wish.ring.Replier;
import org.wishengine.wish.ring.RingEntry;
import org.wishengine.wish.ring.Settler;
import org.wishengine.wish.ring.WriterHooks;

/**
 * Faults on the single writer, injected through {@link WriterHooks} into an engine on a real
 * Redis: a book that throws half-way through a claim stops the writer without committing the
 * half-made change or losing anything acknowledged; a replier that throws costs one answer, not
 * the writer; a writer that stops moving turns the engine not ready; and shutdown answers every
 * request the ring holds before it lets go.
 */
@Timeout(120)
class WriterFaultIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private EngineHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private static boolean claimBy(RingEntry entry, String user) {
        return entry.command instanceof Command.ClaimWish claim && claim.userId().equals(user);
    }

    /** A watcher that does nothing but {@code onEntry}; delivers nothing. */
    private static Replier watcher(java.util.function.Consumer<RingEntry> onEntry) {
        return new Replier() {
            @Override
            public void reply(RingEntry entry) {
                onEntry.accept(entry);
            }

            @Override
            public Runnable endOfBatch() {
                return null;
            }
        };
    }

    private HttpResponse<String> claim(String wishId, String user) throws Exception {
        return harness.send(claimRequest(harness, wishId, harness.userToken(user), WAIT));
    }

    @Test
    void shouldStopTheWriterWhenTheBookFailsAndCommitExactlyWhatWasAcknowledged() throws Exception {
        harness = EngineHarness.start(tmp);
        harness.stopEngine();
        // The book takes mallory's unit and only then throws: its state is half-changed.
        harness.startEngine(new WriterHooks() {
            @Override
            public Settler settler(Settler real) {
                return (book, entry) -> {
                    real.settle(book, entry);
                    if (claimBy(entry, "mallory")) {
                        throw new IllegalStateException("injected fault in the book");
                    }
                };
            }
        });
        createCampaign(harness, campaignBody("c-f", 5, "f", Collections.nCopies(60, 1)));
        HttpResponse<String> first = claim("f1", "alice");
        assertEquals(201, first.statusCode());

        // A burst of claims with mallory's among them: some are decided before the fault, some after.
        HttpClient client = GrabSupport.newClient();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 2; i <= 60; i++) {
            String user = i == 30 ? "mallory" : "user" + i;
            burst.add(client.sendAsync(claimRequest(harness, "f" + i, harness.userToken(user), WAIT),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> acknowledged = new HashSet<>(Set.of(json(first).path("id").asText()));
        int internal = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> future : burst) {
            HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
            switch (response.statusCode()) {
                case 201 -> acknowledged.add(json(response).path("id").asText());
                case 500 -> {
                    internal++;
                    assertEquals("internal", json(response).path("error").asText());
                }
                case 503 -> {
                    refused++;
                    assertEquals("overloaded", json(response).path("error").asText());
                }
                default -> throw new AssertionError("unexpected answer " + response.statusCode() + " " + response.body());
            }
        }
        assertEquals(1, internal, "mallory's claim, and only it, is answered 500");

        assertEquals(503, claim("f60", "zoe").statusCode(), "the stopped writer takes no new command");
        HttpResponse<String> ready = harness.get("/health/ready", null);
        assertEquals(503, ready.statusCode());
        assertTrue(json(ready).path("reason").asText().startsWith("writer stopped"), ready.body());
        assertEquals("stopped", json(ready).path("writer").asText());
        Exposition metrics = harness.metrics();
        assertEquals(1.0, metrics.value("wish_writer_errors_total", "where", "settle"));
        assertEquals(0.0, metrics.value("wish_writer_up"));

        // Redis holds exactly the acknowledged claims: nothing lost, mallory's half-made claim absent.
        assertEquals(acknowledged, redisClaims(harness.redis().uri(), "c-f").keySet(),
                "committed claims are exactly the acknowledged ones (" + refused + " refused after the fault)");

        // A restart rebuilds a consistent book from Redis and serves again.
        harness.stopEngine();
        harness.startEngine(WriterHooks.NONE);
        assertEquals(200, readiness(harness));
        JsonNode wish = json(harness.get("/api/wishes/f30", null));
        assertEquals(1, wish.path("remaining").asInt(), "mallory's unit was never committed");
        assertEquals(201, claim("f30", "mallory").statusCode());
    }

    @Test
    void shouldAnswer500AndGoOnWhenAReplierFails() throws Exception {
        harness = EngineHarness.start(tmp);
        harness.stopEngine();
        harness.startEngine(new WriterHooks() {
            @Override
            public List<Replier> watchers() {
                return List.of(watcher(entry -> {
                    if (claimBy(entry, "mallory")) {
                        throw new IllegalStateException("injected fault in a replier");
                    }
                }));
            }
        });
        createCampaign(harness, campaignBody("c-r", 5, "r", List.of(3)));
        HttpResponse<String> failed = claim("r1", "mallory");
        assertEquals(500, failed.statusCode(), failed.body());
        assertEquals("internal", json(failed).path("error").asText());

        assertEquals(201, claim("r1", "alice").statusCode(), "the writer goes on");
        assertEquals(200, readiness(harness));
        // The decision stood and was committed: mallory holds the unit she was told 500 about.
        HttpResponse<String> mine = harness.get("/api/me/claims", harness.userToken("mallory"));
        assertEquals(1, json(mine).path("claims").size(), mine.body());
        assertEquals(2, redisClaims(harness.redis().uri(), "c-r").size());
        assertEquals(1.0, harness.metrics().value("wish_writer_errors_total", "where", "reply"));
    }

    @Test
    void shouldTurnNotReadyWhileTheWriterStallsAndReadyWhenItMovesAgain() throws Exception {
        harness = EngineHarness.start(tmp);
        harness.stopEngine();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        harness.startEngine(new WriterHooks() {
            @Override
            public List<Replier> watchers() {
                return List.of(watcher(entry -> {
                    if (claimBy(entry, "sloth")) {
                        stuck.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }));
            }
        });
        createCampaign(harness, campaignBody("c-s", 5, "s", List.of(5)));
        HttpClient client = GrabSupport.newClient();
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                claimRequest(harness, "s1", harness.userToken("sloth"), WAIT), HttpResponse.BodyHandlers.ofString());
        assertTrue(stuck.await(30, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(
                claimRequest(harness, "s1", harness.userToken("alice"), WAIT), HttpResponse.BodyHandlers.ofString());
        await("readiness to report the stalled writer", WAIT, () -> readiness(harness) == 503);
        assertEquals("stalled", json(harness.get("/health/ready", null)).path("writer").asText());

        release.countDown();
        assertEquals(201, slow.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(201, waiting.get(30, TimeUnit.SECONDS).statusCode());
        await("readiness to recover", WAIT, () -> readiness(harness) == 200);
    }

    @Test
    void shouldAnswerEveryRequestInTheRingBeforeShuttingDown() throws Exception {
        harness = EngineHarness.start(tmp);
        harness.stopEngine();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        harness.startEngine(new WriterHooks() {
            @Override
            public List<Replier> watchers() {
                return List.of(watcher(entry -> {
                    if (claimBy(entry, "u1") && held.getAndIncrement() == 0) {
                        try {
                            release.await(); // holds the writer so that the other claims pile up in the ring
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }));
            }
        });
        int claims = 40;
        createCampaign(harness, campaignBody("c-d", 5, "d", Collections.nCopies(claims, 1)));
        HttpClient client = GrabSupport.newClient();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        inFlight.add(client.sendAsync(claimRequest(harness, "d1", harness.userToken("u1"), WAIT),
                HttpResponse.BodyHandlers.ofString()));
        await("the writer to hold the first claim", WAIT, () -> held.get() == 1);
        for (int i = 2; i <= claims; i++) {
            inFlight.add(client.sendAsync(claimRequest(harness, "d" + i, harness.userToken("u" + i), WAIT),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await("every claim to wait in the ring", WAIT, () -> queuedInRing() >= claims);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(harness::stopEngine);
        await("shutdown to close the door", WAIT, () -> readiness(harness) != 200);
        assertFalse(closing.isDone(), "shutdown waits for the ring");
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        Set<String> acknowledged = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> future : inFlight) {
            HttpResponse<String> response = future.get(30, TimeUnit.SECONDS);
            assertEquals(201, response.statusCode(), response.body());
            acknowledged.add(json(response).path("id").asText());
        }
        Map<String, JsonNode> committed = redisClaims(harness.redis().uri(), "c-d");
        assertEquals(acknowledged, committed.keySet());
    }

    /** Entries published to the ring and not yet finished by the writer, from the gauges. */
    private int queuedInRing() {
        try {
            Exposition metrics = harness.metrics();
            return (int) (metrics.value("wish_ring_capacity") - metrics.value("wish_ring_remaining"));
        } catch (Exception e) {
            return -1;
        }
    }
}
