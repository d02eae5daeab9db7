package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.http.ConnectionDrain;
import org.wishengine.wish.metrics.Exposition;

/**
 * An orderly stop under load, at process level: the engine runs from the built jar on its own
 * Redis, 24 clients claim as fast as they can over keep-alive connections, and the engine gets
 * SIGTERM in the middle of it. The clients go on until the process has exited. Every request a
 * client wrote on an established connection gets a complete answer, the engine exits by itself
 * within a few seconds with the JVM's status for a SIGTERM, its Redis is stopped by the engine
 * (SHUTDOWN, not a signal) after the last commit, and after a restart on the same data directory
 * the ledger holds exactly the acknowledged claims.
 *
 * <p>A terminal's Ctrl-C sends SIGINT to the foreground process group, and the JVM stops alike on
 * SIGINT. That it does not reach the engine's Redis (which leads a process group of its own) is asserted in {@link CrashIT}; it is not sent here, because the engine shares the test
 * JVM's process group.
 */
@Timeout(120)
class GracefulStopIT {

    private static final String ADMIN = "stop-admin-token";
    private static final String SECRET = "stop-token-secret-0123456789abcdef";
    private static final String CAMPAIGN = "stop-grab";
    private static final int WISHES = 4;
    private static final int THREADS = 24;
    private static final int SIGTERM_AFTER_201S = 1_500;
    /** The JVM's exit status after SIGTERM (128 + 15), however cleanly its shutdown hooks finished. */
    private static final int SIGTERM_EXIT = 143;
    private static final long STOP_WITHIN_MILLIS = 10_000;

    private final TokenMinter minter = new TokenMinter(SECRET);
    private EngineProcesses engines;

    @TempDir
    Path tmp;

    /** What became of one request. */
    private enum Fate {
        /** A complete HTTP response was read. */
        ANSWERED,
        /** No connection could be opened (refused, once the engine stopped listening): never written. */
        NOT_CONNECTED,
        /** Writing the request failed: the engine had already reset the connection. */
        NOT_WRITTEN,
        /**
         * Written on a connection left idle for about the engine's idle grace, which the engine
         * closed before the request came (see {@link ConnectionDrain}): not read, not answered.
         */
        IDLE_CLOSED,
        /** Written in full on an established connection, then the connection ended without a complete response. */
        NO_ANSWER
    }

    /** One request and its fate; {@code afterSignal} when the response (or failure) came after SIGTERM was sent. */
    private record Attempt(String user, String wishId, Fate fate, int status, String claimId, String error,
                           boolean afterSignal, String detail) {
    }

    @BeforeEach
    void engines() {
        engines = new EngineProcesses(tmp, ADMIN, SECRET);
    }

    @AfterEach
    void killLeftovers() {
        engines.killAll();
    }

    @Test
    void shouldAnswerEveryWrittenRequestAndKeepEveryAcknowledgedClaimWhenStoppedBySigtermUnderLoad() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        EngineProcess engine = engines.start(data);
        engine.createCampaign(GrabSupport.campaignBody(CAMPAIGN, 1, "st-w",
                Collections.nCopies(WISHES, 100_000)));

        // ---- the load: each client claims as new users, each of them twice (a 201, then a 200)
        AtomicInteger created = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        AtomicLong signalledAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Attempt>>> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            clients.add(pool.submit(() -> claimUntilExit(engine, thread, created, enough, signalledAt)));
        }
        boolean loaded = enough.await(60, TimeUnit.SECONDS);
        long signalled = System.nanoTime();
        signalledAt.set(signalled);
        engine.process.destroy(); // SIGTERM
        boolean exited = engine.process.waitFor(STOP_WITHIN_MILLIS + 20_000, TimeUnit.MILLISECONDS);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        List<Attempt> attempts = new ArrayList<>();
        for (Future<List<Attempt>> client : clients) {
            attempts.addAll(client.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        String log = engine.logText();
        assertTrue(loaded, () -> "only " + created.get() + " claims were acknowledged in 60 s; log:\n"
                + engine.logTail());
        assertTrue(exited, () -> "the engine still runs " + stopMillis + " ms after SIGTERM; log:\n"
                + engine.logTail());

        // ---- every request is accounted for
        Map<String, Integer> tally = new TreeMap<>();
        List<Attempt> unanswered = new ArrayList<>();
        int answeredAfterSignal = 0;
        for (Attempt attempt : attempts) {
            tally.merge(attempt.fate() == Fate.ANSWERED
                    ? attempt.status() + (attempt.error() == null ? "" : " " + attempt.error()) : attempt.fate().name(),
                    1, Integer::sum);
            if (attempt.fate() == Fate.NO_ANSWER) {
                unanswered.add(attempt);
            }
            if (attempt.fate() == Fate.ANSWERED && attempt.afterSignal()) {
                answeredAfterSignal++;
            }
        }
        System.out.println("INFO GracefulStopIT: SIGTERM after " + created.get() + " claims; the engine exited "
                + stopMillis + " ms later with " + engine.process.exitValue() + "; " + answeredAfterSignal
                + " answers came after the signal; all requests: " + tally);
        assertTrue(unanswered.isEmpty(), () -> unanswered.size() + " requests were written on an open connection and "
                + "never answered, e.g. " + unanswered.subList(0, Math.min(5, unanswered.size())) + "; log:\n"
                + engine.logTail());
        assertTrue(answeredAfterSignal > 0, "no answer came after SIGTERM: the stop was not under load");

        // ---- the process ended by itself, in time, after an orderly shutdown
        assertEquals(SIGTERM_EXIT, engine.process.exitValue(), engine::logTail);
        assertTrue(stopMillis < STOP_WITHIN_MILLIS, () -> "the stop took " + stopMillis + " ms");
        assertTrue(log.contains("Wish engine stopped"), log);
        for (String symptom : List.of("Connection reset", "commit failed", "did not drain",
                "did not finish their last answer", "Exception")) {
            assertFalse(log.contains(symptom), () -> "'" + symptom + "' in the engine's log:\n" + log);
        }
        // Redis was stopped by the engine's SHUTDOWN (after the drain), not by a signal of anyone's.
        String redisLog = Files.readString(data.resolve("redis.log"));
        assertTrue(redisLog.contains("User requested shutdown"), redisLog);
        assertTrue(redisLog.contains("ready to exit"), redisLog);
        assertFalse(redisLog.contains("Received SIG"), redisLog);

        // ---- what was acknowledged is exactly what the restarted engine holds
        Map<String, Attempt> acknowledged = new HashMap<>();   // claim id -> its 201
        Map<String, String> claimOf = new HashMap<>();         // user -> claim id
        for (Attempt attempt : attempts) {
            if (attempt.fate() != Fate.ANSWERED) {
                continue;
            }
            switch (attempt.status()) {
                case 201 -> {
                    assertTrue(acknowledged.put(attempt.claimId(), attempt) == null, () -> "id twice: " + attempt);
                    assertTrue(claimOf.put(attempt.user(), attempt.claimId()) == null, () -> "second 201: " + attempt);
                }
                case 200 -> assertEquals(claimOf.get(attempt.user()), attempt.claimId(), attempt::toString);
                case 503 -> assertEquals("overloaded", attempt.error(), attempt::toString);
                default -> fail("unexpected answer: " + attempt);
            }
        }
        EngineProcess restarted = engines.start(data);
        Map<String, JsonNode> ledger = restarted.ledger(CAMPAIGN);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Attempt> ack : acknowledged.entrySet()) {
            JsonNode claim = ledger.get(ack.getKey());
            if (claim == null) {
                missing.add(ack.getKey() + " " + ack.getValue());
            } else {
                assertEquals(ack.getValue().user(), claim.path("userId").asText(), claim::toString);
                assertEquals(ack.getValue().wishId(), claim.path("wishId").asText(), claim::toString);
            }
        }
        assertTrue(missing.isEmpty(), () -> missing.size() + " of " + acknowledged.size()
                + " acknowledged claims lost in the stop, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        // Nothing was committed without its answer reaching the client.
        ledger.keySet().removeAll(acknowledged.keySet());
        assertTrue(ledger.isEmpty(), () -> ledger.size() + " claims were committed but never acknowledged, e.g. "
                + ledger.values().stream().limit(5).toList());
        restarted.stop();
    }

    /**
     * SIGTERM while the engine's Redis is frozen (SIGSTOP) with claims on their way to it: the
     * engine waits out its drain, then answers every claim Redis never confirmed with 503 (shut
     * down; not acknowledged) instead of closing their connections unanswered, and exits. After a
     * restart every claim acknowledged before holds, and nothing appears that was neither
     * acknowledged nor answered "may or may not have been saved".
     */
    @Test
    void shouldAnswerWhatRedisNeverConfirmedWhenStoppedWhileItsRedisIsFrozen() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("frozen"));
        EngineProcess engine = engines.start(data);
        engine.createCampaign(GrabSupport.campaignBody(CAMPAIGN, 1, "st-w", Collections.nCopies(WISHES, 1_000)));
        Map<String, String> acknowledged = new HashMap<>(); // claim id -> user
        try (WireConnection before = new WireConnection(engine.port, 10_000)) {
            for (int i = 0; i < 5; i++) {
                String user = "fz-before-" + i;
                before.send(WireConnection.claim("st-w1", minter.mint(user)));
                WireConnection.Response answer = before.readOrNull();
                assertEquals(201, answer == null ? 0 : answer.status(), () -> "before the freeze: " + answer);
                acknowledged.put(answer.json().path("id").asText(), user);
            }
        }

        long redisPid = engine.redisPid().orElseThrow(() -> new AssertionError("no redis.pid in " + data));
        int frozen = 8;
        ExecutorService pool = Executors.newFixedThreadPool(frozen);
        List<Future<WireConnection.Response>> answers = new ArrayList<>();
        long signalled;
        signal("-STOP", redisPid);
        try {
            for (int i = 0; i < frozen; i++) {
                String user = "fz-" + i;
                String wishId = "st-w" + (1 + i % WISHES);
                answers.add(pool.submit(() -> {
                    try (WireConnection connection = new WireConnection(engine.port, 60_000)) {
                        connection.send(WireConnection.claim(wishId, minter.mint(user)));
                        return connection.readOrNull();
                    }
                }));
            }
            // A commit of theirs timed out: the claims are in the writer, on the wire or waiting behind it.
            GrabSupport.await("a failed commit while Redis is frozen", Duration.ofSeconds(30),
                    () -> commitErrors(engine) > 0);
            signalled = System.nanoTime();
            engine.process.destroy(); // SIGTERM
            for (Future<WireConnection.Response> pending : answers) {
                WireConnection.Response answer = pending.get(60, TimeUnit.SECONDS);
                assertTrue(answer != null, () -> "a claim written before the stop got no answer; log:\n" + engine.logTail());
                assertEquals(503, answer.status(), answer::toString);
                assertEquals("overloaded", answer.error(), answer::toString);
                assertEquals("1", answer.header("retry-after"), answer::toString);
                assertTrue(answer.json().path("message").asText().contains("shut down before its store confirmed"),
                        answer::toString);
            }
        } finally {
            signal("-CONT", redisPid);
            pool.shutdownNow();
        }
        assertTrue(engine.process.waitFor(30, TimeUnit.SECONDS), () -> "still running; log:\n" + engine.logTail());
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertEquals(SIGTERM_EXIT, engine.process.exitValue(), engine::logTail);
        String log = engine.logText();
        assertTrue(log.contains("did not drain"), log);
        assertTrue(log.contains("Wish engine stopped"), log);
        System.out.println("INFO GracefulStopIT(frozen Redis): " + frozen + " claims answered 503 (shut down); the "
                + "engine exited " + stopMillis + " ms after SIGTERM");

        EngineProcess restarted = engines.start(data);
        Map<String, JsonNode> ledger = restarted.ledger(CAMPAIGN);
        for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
            JsonNode claim = ledger.remove(ack.getKey());
            assertTrue(claim != null, () -> "acknowledged claim " + ack + " lost");
            assertEquals(ack.getValue(), claim.path("userId").asText(), claim::toString);
        }
        // What is left was answered "may or may not have been saved": one of the frozen claims.
        for (JsonNode claim : ledger.values()) {
            assertTrue(claim.path("userId").asText().matches("fz-[0-9]+"), claim::toString);
        }
        restarted.stop();
    }

    private static double commitErrors(EngineProcess engine) {
        try {
            return Exposition.parse(engine.get("/metrics", null).body()).valueOrZero("wish_commit_errors_total");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signal(String which, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", which, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill " + which + " " + pid);
    }

    /**
     * One client: a keep-alive connection, one request at a time (write it, read one answer),
     * reconnecting when an answer says {@code Connection: close}; until the engine process has
     * exited.
     */
    private List<Attempt> claimUntilExit(EngineProcess engine, int thread, AtomicInteger created,
                                         CountDownLatch enough, AtomicLong signalledAt) throws InterruptedException {
        List<Attempt> attempts = new ArrayList<>();
        WireConnection connection = null;
        long lastWrite = 0;
        int sent = 0;
        try {
            while (engine.process.isAlive()) {
                String user = "st-" + thread + "-" + sent / 2;
                String wishId = "st-w" + (1 + thread % WISHES);
                if (connection == null) {
                    try {
                        connection = new WireConnection(engine.port, 10_000);
                        lastWrite = System.nanoTime();
                    } catch (IOException refused) {
                        attempts.add(new Attempt(user, wishId, Fate.NOT_CONNECTED, 0, null, null,
                                System.nanoTime() > signalledAt.get(), refused.toString()));
                        Thread.sleep(5); // poll interval: the listener is gone; wait for the process to end
                        continue;
                    }
                }
                long idleNanos = System.nanoTime() - lastWrite;
                try {
                    connection.send(WireConnection.claim(wishId, minter.mint(user)));
                    lastWrite = System.nanoTime();
                } catch (IOException reset) {
                    attempts.add(new Attempt(user, wishId, Fate.NOT_WRITTEN, 0, null, null,
                            System.nanoTime() > signalledAt.get(), reset.toString()));
                    connection = close(connection);
                    continue;
                }
                WireConnection.Response answer;
                String failure;
                try {
                    answer = connection.readOrNull();
                    failure = answer == null ? "end of stream before a response" : null;
                } catch (IOException e) {
                    answer = null;
                    failure = e.toString();
                }
                boolean afterSignal = System.nanoTime() > signalledAt.get();
                if (answer == null) {
                    // The engine closes a connection only after an answer that says so, or once it has
                    // been idle for the grace; a connection's idle time is more than the time since
                    // its last request was written (measured so, a stalled client cannot hide it),
                    // less the time the engine took to read the request (taken as below half the grace).
                    boolean idle = idleNanos >= TimeUnit.MILLISECONDS.toNanos(ConnectionDrain.IDLE_GRACE_MILLIS / 2);
                    attempts.add(new Attempt(user, wishId, idle ? Fate.IDLE_CLOSED : Fate.NO_ANSWER, 0, null, null,
                            afterSignal, failure + " after " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms idle"));
                    connection = close(connection);
                    continue;
                }
                String id = answer.status() / 100 == 2 ? answer.json().path("id").asText() : null;
                attempts.add(new Attempt(user, wishId, Fate.ANSWERED, answer.status(), id,
                        answer.status() >= 400 ? answer.error() : null, afterSignal, null));
                if (answer.status() == 201 && created.incrementAndGet() == SIGTERM_AFTER_201S) {
                    enough.countDown();
                }
                if (answer.status() != 503) {
                    sent++;
                }
                if ("close".equalsIgnoreCase(answer.header("connection"))) {
                    connection = close(connection);
                }
            }
        } finally {
            close(connection);
        }
        return attempts;
    }

    private static WireConnection close(WireConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        return null;
    }
}
