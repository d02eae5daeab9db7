package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.store.LocalRedis;
import org.wishengine.wish.store.ProcStat;

/**
 * Invariant 4 against real crashes: the engine runs as a separate process from the built jar with
 * its own Redis child, and is SIGKILLed mid-grab — together with its Redis, or alone (then its
 * watchdog stops Redis gracefully; without the watchdog the next engine stops the orphan). After a
 * restart on the same data directory every acknowledged claim is there, nothing is held twice, and
 * the grab goes on.
 */
@Timeout(150)
class CrashIT {

    private static final String ADMIN = "crash-admin-token";
    private static final String SECRET = "crash-token-secret-0123456789abcdef";
    private static final String BIG = "crash-big";
    private static final String SMALL = "crash-small";
    private static final int SMALL_PER_USER = 2;
    private static final List<Integer> SMALL_QUANTITIES = List.of(1, 2, 3, 5, 10, 20, 50, 100, 200, 400);
    private static final int THREADS = 16;
    private static final int USERS_PER_THREAD = 20_000;
    private static final int KILL_AFTER_201S = 2_000;
    private static final int UNANSWERED = -1;

    private final TokenMinter minter = new TokenMinter(SECRET);
    private EngineProcesses engines;

    @TempDir
    Path tmp;

    /** One claim request and its complete answer, as read before the crash. */
    private record Attempt(String user, String wishId, int status, String claimId, String error) {
    }

    @BeforeEach
    void engines() {
        engines = new EngineProcesses(tmp, ADMIN, SECRET);
    }

    @AfterEach
    void killLeftovers() {
        engines.killAll();
    }

    // ================================================================== engine and Redis killed mid-grab

    @Test
    void shouldKeepEveryAcknowledgedClaimWhenEngineAndRedisAreKilledMidGrab() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        // A killed Redis loses nothing acknowledged with `always`; with `everysec` it can, while
        // the disk is busy (Redis postpones its AOF writes and goes on replying; docs/operations.md).
        EngineProcess engine = engines.start(data, "--redis-fsync", "always");
        engine.createCampaign(GrabSupport.campaignBody(BIG, 1, "cr-big-w", List.of(100_000)));
        engine.createCampaign(GrabSupport.campaignBody(SMALL, SMALL_PER_USER, "cr-small-w", SMALL_QUANTITIES));
        Map<String, Integer> quantityOf = new TreeMap<>();
        quantityOf.put("cr-big-w1", 100_000);
        for (int i = 0; i < SMALL_QUANTITIES.size(); i++) {
            quantityOf.put("cr-small-w" + (i + 1), SMALL_QUANTITIES.get(i));
        }

        // ---- the grab: 16 keep-alive connections, each user claims big, two small wishes, a repeat
        AtomicInteger created = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        CountDownLatch connected = new CountDownLatch(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Attempt>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                List<Attempt> log = new ArrayList<>();
                Attempt pending = null;
                Random random = new Random(1_000 + thread);
                try (WireConnection connection = new WireConnection(engine.port, 30_000)) {
                    connected.countDown();
                    for (int u = 0; u < USERS_PER_THREAD; u++) {
                        String user = "cr-" + thread + "-" + u;
                        String token = minter.mint(user);
                        int a = 1 + random.nextInt(SMALL_QUANTITIES.size());
                        int b = 1 + (a + random.nextInt(SMALL_QUANTITIES.size() - 1)) % SMALL_QUANTITIES.size();
                        for (String wish : List.of("cr-big-w1", "cr-small-w" + a, "cr-small-w" + b, "cr-small-w" + a)) {
                            pending = new Attempt(user, wish, UNANSWERED, null, null);
                            connection.send(WireConnection.claim(wish, token));
                            WireConnection.Response answer = connection.read();
                            pending = null;
                            String id = answer.status() / 100 == 2 ? answer.json().path("id").asText() : null;
                            log.add(new Attempt(user, wish, answer.status(), id,
                                    answer.status() >= 400 ? answer.error() : null));
                            if (answer.status() == 201 && created.incrementAndGet() == KILL_AFTER_201S) {
                                enough.countDown();
                            }
                        }
                    }
                } catch (IOException killed) {
                    // The engine died under us: everything in the log was answered before that; the
                    // request on the wire may or may not have been committed.
                    if (pending != null) {
                        log.add(pending);
                    }
                }
                return log;
            }));
        }
        assertTrue(connected.await(30, TimeUnit.SECONDS), "clients did not connect");
        boolean reached = enough.await(60, TimeUnit.SECONDS);
        long redisPid = engines.redisPid(engine).orElseThrow(() -> new AssertionError("no redis.pid in " + data));
        // SIGKILL Redis, then at once the engine: whatever the engine answered up to its death must
        // have been in Redis (and so in the kernel's copy of the AOF) before Redis died.
        ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly);
        engine.process.destroyForcibly();
        engine.awaitExit();
        awaitGone(redisPid);
        assertTrue(reached, () -> "only " + created.get() + " claims were acknowledged in 60 s; log:\n" + engine.logTail());

        List<Attempt> attempts = new ArrayList<>();
        for (Future<List<Attempt>> worker : workers) {
            attempts.addAll(worker.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        // ---- what the clients were told before the crash is itself consistent
        Map<String, Attempt> acknowledged = new LinkedHashMap<>();   // claim id -> its 201
        Map<String, String> claimOf = new HashMap<>();              // user|wish -> claim id
        Set<String> tried = new HashSet<>();                        // user|wish pairs ever sent
        Map<String, Integer> answers = new TreeMap<>();
        for (Attempt attempt : attempts) {
            String key = attempt.user() + "|" + attempt.wishId();
            tried.add(key);
            if (attempt.status() == UNANSWERED) {
                answers.merge("unanswered", 1, Integer::sum);
                continue;
            }
            answers.merge(attempt.status() + (attempt.error() == null ? "" : " " + attempt.error()), 1, Integer::sum);
            switch (attempt.status()) {
                case 201 -> {
                    assertTrue(acknowledged.put(attempt.claimId(), attempt) == null, () -> "id twice: " + attempt);
                    assertTrue(claimOf.put(key, attempt.claimId()) == null, () -> "second 201: " + attempt);
                }
                case 200 -> assertEquals(claimOf.get(key), attempt.claimId(), () -> "repeat: " + attempt);
                case 409 -> assertTrue(Set.of("sold_out", "limit_reached").contains(attempt.error()), attempt::toString);
                // Redis dies a moment before the engine: the engine may refuse new claims meanwhile.
                case 503 -> assertEquals("overloaded", attempt.error(), attempt::toString);
                default -> fail("unexpected answer before the crash: " + attempt);
            }
        }
        System.out.println("INFO CrashIT: killed engine and Redis after " + attempts.size() + " answered claims: "
                + answers);

        // ---- restart on the same data directory
        EngineProcess restarted = engines.start(data);

        // Every acknowledged claim is there, exactly as acknowledged: the ledger ...
        Map<String, JsonNode> ledger = new HashMap<>();
        ledger.putAll(restarted.ledger(BIG));
        ledger.putAll(restarted.ledger(SMALL));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Attempt> ack : acknowledged.entrySet()) {
            JsonNode claim = ledger.get(ack.getKey());
            if (claim == null) {
                missing.add(ack.getKey() + " " + ack.getValue());
            } else {
                assertEquals(ack.getValue().user(), claim.path("userId").asText(), claim::toString);
                assertEquals(ack.getValue().wishId(), claim.path("wishId").asText(), claim::toString);
                assertEquals("claimed", claim.path("status").asText(), claim::toString);
            }
        }
        assertTrue(missing.isEmpty(), () -> missing.size() + " of " + acknowledged.size()
                + " acknowledged claims lost in the crash, e.g. " + missing.subList(0, Math.min(10, missing.size())));
        System.out.println("INFO CrashIT: " + acknowledged.size() + " acknowledged claims all recovered; the ledger has "
                + ledger.size() + " (the rest were committed but not yet answered when the engine died)");

        // ... nothing held twice, no phantom claims, remaining consistent ...
        Map<String, Integer> held = new TreeMap<>();
        Set<String> activePairs = new HashSet<>();
        Map<String, Integer> smallPerUser = new HashMap<>();
        Set<String> bigUsers = new HashSet<>();
        for (JsonNode claim : ledger.values()) {
            String key = claim.path("userId").asText() + "|" + claim.path("wishId").asText();
            assertTrue(tried.contains(key), () -> "a claim nobody asked for: " + claim);
            assertEquals("claimed", claim.path("status").asText(), claim::toString);
            assertTrue(activePairs.add(key), () -> "two active claims for " + key);
            held.merge(claim.path("wishId").asText(), 1, Integer::sum);
            if (claim.path("campaignId").asText().equals(SMALL)) {
                smallPerUser.merge(claim.path("userId").asText(), 1, Integer::sum);
            } else {
                assertTrue(bigUsers.add(claim.path("userId").asText()), () -> "perUserLimit 1 broken: " + claim);
            }
        }
        smallPerUser.forEach((user, count) -> assertTrue(count <= SMALL_PER_USER, user + " holds " + count));
        for (String campaign : List.of(BIG, SMALL)) {
            JsonNode detail = GrabSupport.json(restarted.get("/api/campaigns/" + campaign, null));
            for (JsonNode wish : detail.path("wishes")) {
                String id = wish.path("id").asText();
                int count = held.getOrDefault(id, 0);
                assertEquals(quantityOf.get(id).intValue(), wish.path("quantity").asInt());
                assertTrue(count <= wish.path("quantity").asInt(), () -> id + " has " + count + " claims: " + wish);
                assertEquals(wish.path("quantity").asInt() - count, wish.path("remaining").asInt(), wish::toString);
            }
        }

        // ... each claimer reads their claim, and a repeated claim returns it with 200 (the grab goes on).
        List<String> problems = verifyEachClaimer(restarted, acknowledged);
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: "
                + problems.subList(0, Math.min(10, problems.size())));

        // ---- new claims are taken from where the book stood
        Set<String> freshIds = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> fresh = restarted.post("/api/wishes/cr-big-w1/claims", minter.mint("cr-after-" + i));
            assertEquals(201, fresh.statusCode(), fresh::body);
            String id = GrabSupport.json(fresh).path("id").asText();
            assertFalse(ledger.containsKey(id), () -> "a new claim reuses id " + id);
            assertTrue(freshIds.add(id));
        }
        for (int i = 1; i <= SMALL_QUANTITIES.size(); i++) {
            String wishId = "cr-small-w" + i;
            int remaining = quantityOf.get(wishId) - held.getOrDefault(wishId, 0);
            HttpResponse<String> late = restarted.post("/api/wishes/" + wishId + "/claims", minter.mint("cr-late-" + i));
            if (remaining > 0) {
                assertEquals(201, late.statusCode(), late::body);
            } else {
                assertEquals(409, late.statusCode(), late::body);
                assertEquals("sold_out", GrabSupport.json(late).path("error").asText(), late::body);
            }
        }
        restarted.stop();
    }

    /** GET /api/claims/{id} as the claimer, then the same claim again, for every acknowledged claim. */
    private List<String> verifyEachClaimer(EngineProcess engine, Map<String, Attempt> acknowledged) throws Exception {
        List<Map.Entry<String, Attempt>> all = new ArrayList<>(acknowledged.entrySet());
        int threads = 4;
        int window = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<String> problems = new ArrayList<>();
                try (WireConnection connection = new WireConnection(engine.port, 30_000)) {
                    List<Map.Entry<String, Attempt>> mine = new ArrayList<>();
                    for (int i = thread; i < all.size(); i += threads) {
                        mine.add(all.get(i));
                    }
                    for (int from = 0; from < mine.size(); from += window) {
                        List<Map.Entry<String, Attempt>> batch = mine.subList(from, Math.min(mine.size(), from + window));
                        StringBuilder requests = new StringBuilder();
                        for (Map.Entry<String, Attempt> entry : batch) {
                            String token = minter.mint(entry.getValue().user());
                            requests.append(WireConnection.get("/api/claims/" + entry.getKey(), token));
                            requests.append(WireConnection.claim(entry.getValue().wishId(), token));
                        }
                        connection.send(requests.toString());
                        for (Map.Entry<String, Attempt> entry : batch) {
                            Attempt ack = entry.getValue();
                            WireConnection.Response read = connection.read();
                            WireConnection.Response repeat = connection.read();
                            if (read.status() != 200 || !ack.user().equals(read.json().path("userId").asText())
                                    || !ack.wishId().equals(read.json().path("wishId").asText())
                                    || !entry.getKey().equals(read.json().path("id").asText())) {
                                problems.add("GET /api/claims/" + entry.getKey() + " as " + ack.user() + ": " + read);
                            }
                            if (repeat.status() != 200 || !entry.getKey().equals(repeat.json().path("id").asText())) {
                                problems.add("repeat claim of " + ack + ": " + repeat);
                            }
                        }
                    }
                }
                return problems;
            }));
        }
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> result : results) {
            problems.addAll(result.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return problems;
    }

    // ================================================================== engine killed, its Redis follows

    @Test
    void shouldStopItsRedisGracefullyWhenTheEngineAloneIsKilledAndKeepEveryAcknowledgedClaim() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        EngineProcess engine = engines.start(data);
        engine.createCampaign(GrabSupport.campaignBody("crash-follow", 1, "cr-fo-w", List.of(5)));
        Map<String, String> claimIdOf = new LinkedHashMap<>();
        for (String user : List.of("fo-a", "fo-b", "fo-c")) {
            HttpResponse<String> claim = engine.post("/api/wishes/cr-fo-w1/claims", minter.mint(user));
            assertEquals(201, claim.statusCode(), claim::body);
            claimIdOf.put(user, GrabSupport.json(claim).path("id").asText());
        }
        long redisPid = engines.redisPid(engine).orElseThrow(() -> new AssertionError("no redis.pid in " + data));
        long watchdogPid = watchdogOf(engine);

        // redis.pid names the engine's child, redis-server itself, which leads a process group of
        // its own (in the engine's session), as does the watchdog (in a session of its own): a
        // terminal's Ctrl-C, sent to the engine's whole process group, reaches neither.
        ProcStat engineStat = ProcStat.of(engine.process.pid()).orElseThrow();
        for (long pid : List.of(redisPid, watchdogPid)) {
            ProcStat stat = ProcStat.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
            assertEquals(engine.process.pid(), stat.ppid(), stat::toString);
            assertEquals(pid, stat.pgrp(), stat::toString);
            assertNotEquals(engineStat.pgrp(), stat.pgrp(), () -> stat + " vs engine " + engineStat);
        }
        assertEquals(engineStat.session(), ProcStat.of(redisPid).orElseThrow().session(),
                "Redis stays in the engine's session, so the scheduler weighs it as one process among them");

        engine.process.destroyForcibly();
        engine.awaitExit();
        // The watchdog notices within half a second and sends SIGTERM: Redis fsyncs its AOF and exits.
        assertTrue(ProcStat.awaitExit(redisPid, Duration.ofSeconds(5)),
                () -> "the killed engine's Redis still runs 5 s later: " + ProcStat.of(redisPid));
        assertTrue(ProcStat.awaitExit(watchdogPid, Duration.ofSeconds(5)), "the watchdog outlived Redis");
        String redisLog = Files.readString(data.resolve("redis.log"));
        assertTrue(redisLog.contains(LocalRedis.WATCHDOG_NAME + ": engine pid " + engine.process.pid() + " is gone"),
                redisLog);
        assertEquals(1, occurrences(redisLog, "Received SIGTERM"), redisLog);

        EngineProcess restarted = engines.start(data);
        assertEquals(claimIdOf.keySet().size(), restarted.ledger("crash-follow").size());
        for (Map.Entry<String, String> entry : claimIdOf.entrySet()) {
            HttpResponse<String> again = restarted.post("/api/wishes/cr-fo-w1/claims", minter.mint(entry.getKey()));
            assertEquals(200, again.statusCode(), again::body);
            assertEquals(entry.getValue(), GrabSupport.json(again).path("id").asText());
        }
        long newRedisPid = engines.redisPid(restarted)
                .orElseThrow(() -> new AssertionError("no redis.pid after the restart"));
        long newWatchdogPid = watchdogOf(restarted);

        // An orderly stop (SIGTERM) has taken Redis and the watchdog down by the time the JVM exits;
        // the watchdog had nothing to do.
        restarted.stop();
        assertFalse(ProcStat.running(newRedisPid), () -> "Redis outlived the engine's orderly stop: "
                + ProcStat.of(newRedisPid));
        assertFalse(ProcStat.running(newWatchdogPid), () -> "the watchdog outlived the engine's orderly stop: "
                + ProcStat.of(newWatchdogPid));
        assertEquals(1, occurrences(Files.readString(data.resolve("redis.log")), "Received SIGTERM"));
    }

    private static long watchdogOf(EngineProcess engine) {
        return engine.process.children()
                .filter(child -> child.info().commandLine().orElse("").contains(LocalRedis.WATCHDOG_NAME))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the engine " + engine.process.pid() + " runs no "
                        + LocalRedis.WATCHDOG_NAME))
                .pid();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    // ================================================================== engine killed, Redis left running

    @Test
    void shouldStopTheOrphanedRedisAndComeUpAfterTheEngineAloneWasKilled() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        EngineProcess engine = engines.start(data);
        engine.createCampaign(GrabSupport.campaignBody("crash-orphan", 2, "cr-or-w", List.of(3, 1, 5)));
        Map<String, String> claimIdOf = new LinkedHashMap<>();
        for (String user : List.of("or-a", "or-b", "or-c")) {
            HttpResponse<String> claim = engine.post("/api/wishes/cr-or-w1/claims", minter.mint(user));
            assertEquals(201, claim.statusCode(), claim::body);
            claimIdOf.put(user, GrabSupport.json(claim).path("id").asText());
        }
        HttpResponse<String> last = engine.post("/api/wishes/cr-or-w2/claims", minter.mint("or-a"));
        assertEquals(201, last.statusCode(), last::body);

        long orphanPid = engines.redisPid(engine).orElseThrow(() -> new AssertionError("no redis.pid in " + data));
        // Without its watchdog (killed as well, or no /bin/sh) the killed engine's Redis keeps running.
        long watchdogPid = watchdogOf(engine);
        ProcessHandle.of(watchdogPid).ifPresent(ProcessHandle::destroyForcibly);
        assertTrue(ProcStat.awaitExit(watchdogPid, Duration.ofSeconds(5)), "the watchdog survived SIGKILL");
        engine.process.destroyForcibly();
        engine.awaitExit();
        ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow(
                () -> new AssertionError("the engine's Redis died with it; nothing to test"));
        assertTrue(orphan.isAlive(), "the killed engine's Redis should outlive it");

        EngineProcess restarted = engines.start(data);
        // The engine stops the orphan before it starts its own Redis (two servers on one AOF would
        // corrupt it), so by the time it is ready the orphan is gone (allowing for it being reaped).
        try {
            orphan.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("the orphaned redis-server " + orphanPid + " (" + orphan.info() + ") is still running after the "
                    + "restarted engine became ready: two Redis servers now share the data directory " + data);
        }
        long newPid = engines.redisPid(restarted)
                .orElseThrow(() -> new AssertionError("no redis.pid after the restart"));
        assertNotEquals(orphanPid, newPid);
        assertTrue(ProcessHandle.of(newPid).map(ProcessHandle::isAlive).orElse(false), "the new Redis is not running");

        Map<String, JsonNode> ledger = restarted.ledger("crash-orphan");
        assertEquals(4, ledger.size(), ledger::toString);
        for (Map.Entry<String, String> entry : claimIdOf.entrySet()) {
            HttpResponse<String> again = restarted.post("/api/wishes/cr-or-w1/claims", minter.mint(entry.getKey()));
            assertEquals(200, again.statusCode(), again::body);
            assertEquals(entry.getValue(), GrabSupport.json(again).path("id").asText());
        }
        HttpResponse<String> soldOut = restarted.post("/api/wishes/cr-or-w1/claims", minter.mint("or-d"));
        assertEquals(409, soldOut.statusCode(), soldOut::body);
        assertEquals("sold_out", GrabSupport.json(soldOut).path("error").asText());
        HttpResponse<String> secondSoldOut = restarted.post("/api/wishes/cr-or-w2/claims", minter.mint("or-b"));
        assertEquals(409, secondSoldOut.statusCode(), secondSoldOut::body);
        assertEquals("sold_out", GrabSupport.json(secondSoldOut).path("error").asText());
        HttpResponse<String> fresh = restarted.post("/api/wishes/cr-or-w3/claims", minter.mint("or-d"));
        assertEquals(201, fresh.statusCode(), fresh::body);
        assertFalse(ledger.containsKey(GrabSupport.json(fresh).path("id").asText()), fresh::body);

        // A graceful stop takes the engine's Redis down with it.
        restarted.stop();
        awaitGone(newPid);
    }

    private static void awaitGone(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
