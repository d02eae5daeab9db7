package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.core.Draw;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.DrawEntry;
import org.wishengine.wish.core.DrawSeed;
import org.wishengine.wish.core.DrawVerdict;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.it.FairStartSupport.Entered;
import org.wishengine.wish.store.LocalRedis;

/**
 * Fair start (issue 17) against real crashes: the engine runs from the built jar on a Redis the test
 * started, and is SIGKILLed inside the window, or at the draw. Restarted on the same Redis, it has
 * every acknowledged entry, takes more while the window lasts, and draws exactly once: the result
 * is the one the committed seed and entries give, and one that was visible before the kill is
 * unchanged after it.
 */
@Timeout(150)
class FairStartCrashIT {

    private static final String ADMIN = "fair-crash-admin-token";
    private static final String SECRET = "fair-crash-token-secret-0123456789abcdef";
    private static final int LIMIT = 2;
    private static final int THREADS = 4;
    private static final int UNANSWERED = -1;
    /** How far ahead of publishing a window opens: publishing takes milliseconds. */
    private static final Duration OPENS_IN = Duration.ofMillis(1_500);

    private final TokenMinter minter = new TokenMinter(SECRET);
    private LocalRedis redis;
    private EngineProcesses engines;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() {
        redis = LocalRedis.start(tmp.resolve("redis"));
        engines = new EngineProcesses(tmp, ADMIN, SECRET);
    }

    @AfterEach
    void stop() {
        try {
            engines.killAll();
        } finally {
            redis.stop();
        }
    }

    /** An engine process on the test's Redis; a successor of a killed one waits out its 1 s lease. */
    private EngineProcess startEngine() throws Exception {
        return engines.start(Files.createDirectories(tmp.resolve("data")), "--redis-url", redis.uri(),
                "--lease-millis", "1000");
    }

    // ================================================================== killed inside the window

    @Test
    void shouldKeepEveryAcknowledgedEntryAndDrawOnceWhenKilledInsideTheWindow() throws Exception {
        String campaign = "fs-crash-window";
        int wishes = 10;
        int quantity = 3;
        int killAfter = 400;
        // Long enough for the kill, a restart (JVM start, a 1 s lease) and more entries inside it.
        int windowSeconds = 8;
        EngineProcess engine = startEngine();
        Instant opensAt = Instant.now().plus(OPENS_IN);
        engine.createCampaign(FairStartSupport.campaignBody(campaign, LIMIT, "fcw-", Collections.nCopies(wishes, quantity),
                opensAt, windowSeconds));
        JsonNode published = json(engine.get("/api/campaigns/" + campaign, null)).path("fairStart");
        Instant drawAt = Instant.parse(published.path("drawAt").asText());
        String commitment = published.path("seedCommitment").asText();

        HttpResponse<String> opened = FairStartSupport.claimOnceOpen(path -> engine.post(path, minter.mint("fcw-probe")),
                "fcw-1", OPENS_IN.plusSeconds(5));
        assertEquals(202, opened.statusCode(), opened::body);
        List<Entered> attempts = new ArrayList<>();
        attempts.add(new Entered("fcw-probe", "fcw-1", 202, json(opened).path("entryId").asText(), null, opened.body()));

        // ---- entries on THREADS connections until killAfter are acknowledged: then kill -9
        CountDownLatch enough = new CountDownLatch(1);
        AtomicInteger acknowledged202 = new AtomicInteger(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Entered>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(enterOnConnection(pool, engine.port, "fcw-" + t + "-", 1_000_000, "fcw-", wishes, t, () -> {
                if (acknowledged202.incrementAndGet() == killAfter) {
                    enough.countDown();
                }
            }));
        }
        boolean reached = enough.await(30, TimeUnit.SECONDS);
        engine.process.destroyForcibly();
        engine.awaitExit();
        Instant killedAt = Instant.now();
        assertTrue(reached, () -> "only " + acknowledged202.get() + " entries acknowledged in 30 s; " + engine.logTail());
        for (Future<List<Entered>> worker : workers) {
            attempts.addAll(worker.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertTrue(killedAt.isBefore(drawAt), "killed after the window: make it longer");
        Answers before = Answers.of(attempts);
        System.out.println("INFO FairStartCrashIT: killed inside the window after " + before.entries.size()
                + " acknowledged entries (" + attempts.size() + " claims sent), " + Duration.between(killedAt, drawAt)
                .toMillis() + " ms before drawAt");

        // ---- restart on the same Redis, still inside the window
        EngineProcess restarted = startEngine();
        Instant ready = Instant.now();
        System.out.println("INFO FairStartCrashIT: restarted in " + Duration.between(killedAt, ready).toMillis()
                + " ms, " + Duration.between(ready, drawAt).toMillis() + " ms before drawAt");
        assertTrue(ready.isBefore(drawAt.minusMillis(1_000)), () -> "the restart took until " + ready
                + ", too close to drawAt " + drawAt + " to enter again: make the window longer");

        // Every acknowledged entry is there, pending, with its id.
        Map<String, List<JsonNode>> listed = FairStartSupport.entriesOf(restarted.port, tokensOf(before.tried));
        for (Entered ack : before.entries.values()) {
            JsonNode entry = find(listed.get(ack.user()), ack.entryId());
            assertNotNull(entry, () -> "acknowledged entry lost in the crash: " + ack + "; listed " + listed.get(ack.user()));
            assertEquals(ack.wishId(), entry.path("wishId").asText(), entry::toString);
            assertEquals("pending", entry.path("outcome").asText(), entry::toString);
        }
        listed.forEach((user, entries) -> entries.forEach(entry -> assertTrue(
                before.tried.contains(user + "|" + entry.path("wishId").asText()), () -> "an entry nobody made: " + entry)));

        // More entries are taken; a repeat and the limit hold across the restart.
        Map<String, Entered> afterRestart = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            String user = "fcw-after-" + i;
            String wish = "fcw-" + (1 + i % wishes);
            HttpResponse<String> entered = restarted.post("/api/wishes/" + wish + "/claims", minter.mint(user));
            assertEquals(202, entered.statusCode(), entered::body);
            String id = json(entered).path("entryId").asText();
            assertFalse(before.entries.containsKey(id), () -> "an entry id given again after the restart: " + id);
            assertTrue(afterRestart.put(id, new Entered(user, wish, 202, id, null, entered.body())) == null);
        }
        Entered someAck = before.entries.values().stream().filter(e -> before.entriesOf(e.user()) == LIMIT)
                .findFirst().orElseThrow(() -> new AssertionError("no user made " + LIMIT + " entries before the kill"));
        HttpResponse<String> repeat = restarted.post("/api/wishes/" + someAck.wishId() + "/claims", minter.mint(someAck.user()));
        assertEquals(200, repeat.statusCode(), repeat::body);
        assertEquals(someAck.entryId(), json(repeat).path("entryId").asText(), repeat::body);
        String otherWish = "fcw-" + (1 + (Integer.parseInt(someAck.wishId().substring(4)) % wishes));
        while (before.tried.contains(someAck.user() + "|" + otherWish)) {
            otherWish = "fcw-" + (1 + (Integer.parseInt(otherWish.substring(4)) % wishes));
        }
        HttpResponse<String> beyond = restarted.post("/api/wishes/" + otherWish + "/claims", minter.mint(someAck.user()));
        assertEquals(409, beyond.statusCode(), beyond::body);
        assertEquals("limit_reached", json(beyond).path("error").asText(), beyond::body);

        // ---- the draw, once, after drawAt
        String drawnBody = FairStartSupport.awaitDrawn(restarted::get, campaign,
                Duration.between(Instant.now(), drawAt).plusSeconds(15), new ArrayList<>());
        DrawAudit audit = FairStartSupport.audit(drawnBody);
        assertEquals(commitment, audit.commitment());
        DrawVerdict verdict = DrawAudit.verify(audit);
        assertTrue(verdict.ok(), verdict::describe);
        DrawSeed seed = DrawSeed.parse(audit.seed());
        Map<String, String> userOfHash = new HashMap<>();
        before.tried.forEach(pair -> userOfHash.put(DrawAudit.userHash(seed, user(pair)), user(pair)));
        afterRestart.values().forEach(e -> userOfHash.put(DrawAudit.userHash(seed, e.user()), e.user()));
        Set<String> drawnIds = new HashSet<>();
        for (DrawAudit.Entry entry : audit.entries()) {
            drawnIds.add(entry.entryId());
            String user = userOfHash.get(entry.userHash());
            assertNotNull(user, () -> "an entry of nobody who entered: " + entry);
            Entered ack = before.entries.getOrDefault(entry.entryId(), afterRestart.get(entry.entryId()));
            if (ack != null) {
                assertEquals(ack.user(), user, entry::toString);
                assertEquals(ack.wishId(), entry.wishId(), entry::toString);
            } else {
                // committed, but the answer was lost with the engine: one of the claims that was sent
                assertTrue(before.tried.contains(user + "|" + entry.wishId()), entry::toString);
            }
        }
        assertTrue(drawnIds.containsAll(before.entries.keySet()), "acknowledged entries missing from the draw");
        assertTrue(drawnIds.containsAll(afterRestart.keySet()), "entries after the restart missing from the draw");

        assertDrawnExactlyOnce(restarted, campaign, audit, GrabSupport.parse(drawnBody), quantity);
        FairStartSupport.verifyDrawCommandAccepts(restarted.port, campaign);
        restarted.stop();
    }

    // ================================================================== killed at the draw

    @ParameterizedTest(name = "killed {0}")
    @ValueSource(strings = {"once the result is visible", "at drawAt"})
    void shouldDrawExactlyOnceWhenKilledAtTheDraw(String when) throws Exception {
        boolean waitForResult = when.startsWith("once");
        String campaign = waitForResult ? "fs-crash-drawn" : "fs-crash-draw-at";
        int wishes = 6;
        int quantity = 5;
        int windowSeconds = 4;
        EngineProcess engine = startEngine();
        Instant opensAt = Instant.now().plus(OPENS_IN);
        // Users enter wishes 1..5 only: wish 6 keeps its units for first-come after the draw.
        engine.createCampaign(FairStartSupport.campaignBody(campaign, LIMIT, "fcd-", Collections.nCopies(wishes, quantity),
                opensAt, windowSeconds));
        JsonNode published = json(engine.get("/api/campaigns/" + campaign, null)).path("fairStart");
        Instant drawAt = Instant.parse(published.path("drawAt").asText());

        HttpResponse<String> opened = FairStartSupport.claimOnceOpen(path -> engine.post(path, minter.mint("fcd-probe")),
                "fcd-1", OPENS_IN.plusSeconds(5));
        assertEquals(202, opened.statusCode(), opened::body);
        List<Entered> attempts = new ArrayList<>();
        attempts.add(new Entered("fcd-probe", "fcd-1", 202, json(opened).path("entryId").asText(), null, opened.body()));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Entered>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(enterOnConnection(pool, engine.port, "fcd-" + t + "-", 40, "fcd-", wishes - 1, t, () -> { }));
        }
        for (Future<List<Entered>> worker : workers) {
            attempts.addAll(worker.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertTrue(Instant.now().isBefore(drawAt), "the entries outlasted the window: make it longer");
        Answers entered = Answers.of(attempts);
        assertTrue(attempts.stream().allMatch(a -> a.status() != UNANSWERED), "an entry went unanswered");

        // ---- kill -9 at the draw
        String visibleBody = null;
        Map<String, JsonNode> visibleLedger = null;
        JsonNode visibleCampaign = null;
        if (waitForResult) {
            visibleBody = FairStartSupport.awaitDrawn(engine::get, campaign,
                    Duration.between(Instant.now(), drawAt).plusSeconds(15), new ArrayList<>());
            visibleLedger = engine.ledger(campaign);
            visibleCampaign = json(engine.get("/api/campaigns/" + campaign, null)).path("fairStart");
        } else {
            // Timed on purpose: the kill lands when the draw is due, wherever the engine is with it.
            TimeUnit.MILLISECONDS.sleep(Math.max(0, Duration.between(Instant.now(), drawAt).toMillis()));
        }
        engine.process.destroyForcibly();
        engine.awaitExit();
        boolean committedBeforeKill = !FairStartSupport.settlingElements(
                FairStartSupport.committedEntries(redis.uri(), campaign)).isEmpty();
        System.out.println("INFO FairStartCrashIT: killed " + when + " with " + entered.entries.size()
                + " entries; the draw was " + (committedBeforeKill ? "" : "not ") + "committed before the kill");

        // ---- restart: the draw is there (or runs now), and it is the committed seed's
        EngineProcess restarted = startEngine();
        SseSocketReader events = SseSocketReader.open(restarted.port, null, Duration.ofSeconds(10));
        String drawnBody = FairStartSupport.awaitDrawn(restarted::get, campaign, Duration.ofSeconds(15),
                new ArrayList<>());
        DrawAudit audit = FairStartSupport.audit(drawnBody);
        if (visibleBody != null) {
            assertEquals(visibleBody, drawnBody, "the draw's public record changed across the kill");
            assertEquals(visibleLedger, restarted.ledger(campaign), "the draw's claims changed across the kill");
            assertEquals(visibleCampaign, json(restarted.get("/api/campaigns/" + campaign, null)).path("fairStart"));
        }
        assertEquals(published.path("seedCommitment").asText(), audit.commitment());
        DrawVerdict verdict = DrawAudit.verify(audit);
        assertTrue(verdict.ok(), verdict::describe);
        DrawSeed seed = DrawSeed.parse(audit.seed());
        assertEquals(entered.entries.keySet(), audit.entries().stream().map(DrawAudit.Entry::entryId)
                .collect(Collectors.toSet()), "the draw's entries vs the acknowledged ones");
        List<DrawEntry> asEntered = new ArrayList<>();
        for (Entered e : entered.entries.values()) {
            asEntered.add(new DrawEntry(e.entryId(), e.wishId(), e.user(), Entry.arrivalOf(e.entryId())));
        }
        Map<String, Integer> units = new TreeMap<>();
        for (int w = 1; w <= wishes; w++) {
            units.put("fcd-" + w, quantity);
        }
        assertEquals(Draw.run(seed, asEntered, units, LIMIT, List.of()).audit(campaign), audit,
                "the draw recomputed from the committed seed and the acknowledged entries");

        Map<String, JsonNode> ledger = assertDrawnExactlyOnce(restarted, campaign, audit, GrabSupport.parse(drawnBody),
                quantity);
        // Each user reads what the draw gave them; a winner's claim is theirs.
        Set<String> winners = new HashSet<>(audit.winners());
        Map<String, List<JsonNode>> outcomes = FairStartSupport.entriesOf(restarted.port, tokensOf(entered.tried));
        for (Entered e : entered.entries.values()) {
            JsonNode entry = find(outcomes.get(e.user()), e.entryId());
            assertNotNull(entry, e::toString);
            if (winners.contains(e.entryId())) {
                assertEquals("won", entry.path("outcome").asText(), entry::toString);
                JsonNode claim = ledger.get(entry.path("claimId").asText());
                assertNotNull(claim, entry::toString);
                assertEquals(e.user(), claim.path("userId").asText(), claim::toString);
                assertEquals(e.wishId(), claim.path("wishId").asText(), claim::toString);
            } else {
                assertEquals("lost", entry.path("outcome").asText(), entry::toString);
                assertFalse(entry.path("reason").asText().isEmpty(), entry::toString);
            }
        }

        // ---- what is left goes first-come, numbered after the draw's claims
        HttpResponse<String> late = restarted.post("/api/wishes/fcd-" + wishes + "/claims", minter.mint("fcd-late"));
        assertEquals(201, late.statusCode(), late::body);
        assertFalse(ledger.containsKey(json(late).path("id").asText()), late::body);
        // Watchers of the restarted engine hear of that claim; of the draw only if it ran there.
        try (events) {
            SseSocketReader.Frame next = events.nextEvent(Duration.ofSeconds(10));
            while (!("claimed".equals(next.event()) && next.data().contains("\"fcd-" + wishes + "\""))) {
                next = events.nextEvent(Duration.ofSeconds(10));
            }
            long draws = events.seen().stream().filter(f -> "draw".equals(f.event())).count();
            assertTrue(draws <= (committedBeforeKill ? 0 : 1), () -> "draw events after the restart: " + events.seen());
        }
        FairStartSupport.verifyDrawCommandAccepts(restarted.port, campaign);
        restarted.stop();
    }

    // ================================================================== a draw nobody entered

    @Test
    void shouldKeepADrawThatHadNoEntriesAcrossAKill() throws Exception {
        // Such a draw commits nothing itself: one campaign is claimed first-come after it, the
        // other is left alone, and both must read the same after the kill.
        String claimed = "fs-crash-empty";
        String untouched = "fs-crash-empty-untouched";
        EngineProcess engine = startEngine();
        Instant opensAt = Instant.now().plus(OPENS_IN);
        engine.createCampaign(FairStartSupport.campaignBody(claimed, LIMIT, "fce-", List.of(2), opensAt, 1));
        engine.createCampaign(FairStartSupport.campaignBody(untouched, LIMIT, "fcu-", List.of(2), opensAt, 1));
        Map<String, String> visible = new HashMap<>();
        Map<String, JsonNode> visibleCampaign = new HashMap<>();
        for (String campaign : List.of(claimed, untouched)) {
            visible.put(campaign, FairStartSupport.awaitDrawn(engine::get, campaign, Duration.ofSeconds(15),
                    new ArrayList<>()));
            assertTrue(DrawAudit.verify(FairStartSupport.audit(visible.get(campaign))).ok(), visible.get(campaign));
            visibleCampaign.put(campaign, json(engine.get("/api/campaigns/" + campaign, null)).path("fairStart"));
        }
        HttpResponse<String> first = engine.post("/api/wishes/fce-1/claims", minter.mint("fce-first"));
        assertEquals(201, first.statusCode(), first::body);
        engine.process.destroyForcibly();
        engine.awaitExit();

        EngineProcess restarted = startEngine();
        try (SseSocketReader events = SseSocketReader.open(restarted.port, null, Duration.ofSeconds(10))) {
            // The claimed campaign's draw is recovered as it was, without running again.
            HttpResponse<String> draw = restarted.get("/api/campaigns/" + claimed + "/draw", null);
            assertEquals(visible.get(claimed), draw.body(), "the draw's public record changed across the kill");
            assertEquals(visibleCampaign.get(claimed),
                    json(restarted.get("/api/campaigns/" + claimed, null)).path("fairStart"));
            HttpResponse<String> late = restarted.post("/api/wishes/fce-1/claims", minter.mint("fce-late"));
            assertEquals(201, late.statusCode(), late::body);
            SseSocketReader.Frame next = events.nextEvent(Duration.ofSeconds(10));
            while (!"claimed".equals(next.event())) {
                // (the retry-only opening frame, and the untouched campaign's draw, which may run again)
                assertFalse("draw".equals(next.event()) && next.data().contains(claimed + "\""),
                        () -> "the claimed campaign's draw was announced again: " + events.seen());
                next = events.nextEvent(Duration.ofSeconds(10));
            }
            assertTrue(next.data().contains("\"fce-1\""), next::toString);
        }
        // The untouched one may run again, but to the same record.
        assertEquals(visible.get(untouched), FairStartSupport.awaitDrawn(restarted::get, untouched,
                Duration.ofSeconds(15), new ArrayList<>()), "the draw's public record changed across the kill");
        assertEquals(visibleCampaign.get(untouched),
                json(restarted.get("/api/campaigns/" + untouched, null)).path("fairStart"));
        restarted.stop();
    }

    // ================================================================== helpers

    /**
     * The draw ran exactly once: Redis holds one element that settles entries, holding every entry
     * of the record settled at its {@code drawnAt}; the ledger holds exactly the winners' claims,
     * each once, no wish beyond its quantity. Returns the ledger.
     */
    private Map<String, JsonNode> assertDrawnExactlyOnce(EngineProcess engine, String campaign, DrawAudit audit,
                                                         JsonNode drawn, int quantity) throws Exception {
        List<List<Entry>> settling = FairStartSupport.settlingElements(
                FairStartSupport.committedEntries(redis.uri(), campaign));
        assertEquals(1, settling.size(), () -> "the draw was committed " + settling.size() + " times");
        List<Entry> settled = settling.get(0);
        assertEquals(audit.entries().stream().map(DrawAudit.Entry::entryId).toList(),
                settled.stream().map(Entry::id).toList(), "settled entries vs the draw's");
        long drawnAt = Instant.parse(drawn.path("drawnAt").asText()).toEpochMilli();
        Set<String> wonClaims = new HashSet<>();
        for (Entry entry : settled) {
            assertEquals(drawnAt, entry.settledAt(), entry::toString);
            assertEquals(audit.winners().contains(entry.id()), entry.claimId() != null, entry::toString);
            if (entry.claimId() != null) {
                assertTrue(wonClaims.add(entry.claimId()), () -> "claim won twice: " + entry);
            }
        }
        Map<String, JsonNode> ledger = engine.ledger(campaign); // asserts no claim is listed twice
        assertEquals(wonClaims, ledger.keySet(), "the ledger vs the draw's winners");
        Map<String, Integer> perWish = new HashMap<>();
        ledger.values().forEach(claim -> perWish.merge(claim.path("wishId").asText(), 1, Integer::sum));
        perWish.forEach((wish, count) -> assertTrue(count <= quantity, wish + " held " + count + " times"));
        return ledger;
    }

    /**
     * Users {@code <prefix>0, 1, ...} each claim two distinct wishes {@code <wishPrefix>1..wishes} and the
     * first again, on one keep-alive connection, until {@code users} users are done or the engine
     * dies; {@code on202} runs after each 202. The claim on the wire when the engine died is listed
     * with status {@link #UNANSWERED}.
     */
    private Future<List<Entered>> enterOnConnection(ExecutorService pool, int port, String prefix, int users,
                                                    String wishPrefix, int wishes, int seed, Runnable on202) {
        return pool.submit(() -> {
            List<Entered> log = new ArrayList<>();
            Random random = new Random(seed);
            Entered pending = null;
            try (WireConnection connection = new WireConnection(port, 30_000)) {
                for (int u = 0; u < users; u++) {
                    String user = prefix + u;
                    String token = minter.mint(user);
                    String a = "" + (1 + random.nextInt(wishes));
                    String b = "" + (1 + (Integer.parseInt(a) + random.nextInt(wishes - 1)) % wishes);
                    for (String wish : List.of(wishPrefix + a, wishPrefix + b, wishPrefix + a)) {
                        pending = new Entered(user, wish, UNANSWERED, null, null, null);
                        connection.send(WireConnection.claim(wish, token));
                        WireConnection.Response answer = connection.read();
                        pending = null;
                        log.add(new Entered(user, wish, answer.status(),
                                answer.status() / 100 == 2 ? answer.json().path("entryId").asText(null) : null,
                                answer.error(), answer.body()));
                        if (answer.status() == 202) {
                            on202.run();
                        }
                    }
                }
            } catch (IOException killed) {
                // The engine died: everything logged was answered; the claim on the wire may or may
                // not have been committed.
                if (pending != null) {
                    log.add(pending);
                }
            }
            return log;
        });
    }

    /** What the clients were told, checked for consistency on the way. */
    private record Answers(Map<String, Entered> entries, Set<String> tried) {

        /** Asserts each answer is one the contract allows inside a window; the 202s by entry id. */
        static Answers of(List<Entered> attempts) {
            Map<String, Entered> entries = new LinkedHashMap<>();
            Map<String, String> entryOfPair = new HashMap<>();
            Set<String> tried = new HashSet<>();
            for (Entered e : attempts) {
                String pair = e.user() + "|" + e.wishId();
                tried.add(pair);
                switch (e.status()) {
                    case UNANSWERED -> { }
                    case 202 -> {
                        assertTrue(entries.put(e.entryId(), e) == null, () -> "entry id given twice: " + e);
                        assertTrue(entryOfPair.put(pair, e.entryId()) == null, () -> "a second 202: " + e);
                    }
                    case 200 -> assertEquals(entryOfPair.get(pair), e.entryId(), () -> "repeat: " + e);
                    default -> fail("unexpected answer inside the window: " + e);
                }
            }
            return new Answers(entries, tried);
        }

        long entriesOf(String user) {
            return entries.values().stream().filter(e -> e.user().equals(user)).count();
        }
    }

    private Map<String, String> tokensOf(Set<String> pairs) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String pair : pairs) {
            tokens.computeIfAbsent(user(pair), minter::mint);
        }
        return tokens;
    }

    private static String user(String pair) {
        return pair.substring(0, pair.indexOf('|'));
    }

    private static JsonNode find(List<JsonNode> entries, String entryId) {
        if (entries != null) {
            for (JsonNode entry : entries) {
                if (entryId.equals(entry.path("entryId").asText())) {
                    return entry;
                }
            }
        }
        return null;
    }
}
