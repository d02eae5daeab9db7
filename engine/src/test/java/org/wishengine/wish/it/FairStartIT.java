package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.core.Draw;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.DrawEntry;
import org.wishengine.wish.core.DrawSeed;
import org.wishengine.wish.core.DrawSettlement;
import org.wishengine.wish.core.DrawVerdict;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.it.FairStartSupport.Entered;

/**
 * Fair start (issue 17) end to end on a real engine and a real Redis: thousands of users enter a
 * fair-start campaign inside its window on many keep-alive connections; when the window closes
 * one draw settles every entry. Exactly the units on offer are won, each by the entry the
 * published seed says, each once; every user reads their own outcome; the public record
 * recomputes (in the test and through {@code verify-draw}); the seed stays secret until the draw;
 * the drawn order owes nothing to arrival; and afterwards what is left goes first-come.
 */
@Timeout(120)
class FairStartIT {

    private static final String CAMPAIGN = "fair-start";
    private static final String PREFIX = "fs-w";
    private static final int WISHES = 50;
    private static final int QUANTITY = 4;
    /** Users enter only the first 45 wishes: the last five keep their units for first-come after the draw. */
    private static final int ENTERED_WISHES = 45;
    private static final int LIMIT = 2;
    private static final int USERS = 2_000;
    private static final int THREADS = 16;
    /** Long enough that every entry lands inside it on a loaded 2-core box (they take a few seconds). */
    private static final int WINDOW_SECONDS = 10;
    private static final Duration OPENS_IN = Duration.ofSeconds(3);

    @TempDir
    Path tmp;

    @Test
    void shouldSettleEveryEntryOfTheWindowByOneVerifiableDrawThenGoFirstCome() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            int port = harness.engine().port();
            List<String> beforeDraw = new ArrayList<>(); // every body read before the draw: none may hold the seed

            // ---- publish: the commitment is public, the seed is not
            Instant opensAt = Instant.now().plus(OPENS_IN);
            HttpResponse<String> published = harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN,
                    FairStartSupport.campaignBody(CAMPAIGN, LIMIT, PREFIX, Collections.nCopies(WISHES, QUANTITY),
                            opensAt, WINDOW_SECONDS));
            assertEquals(201, published.statusCode(), published::body);
            beforeDraw.add(published.body());
            JsonNode fairStart = json(published).path("fairStart");
            assertEquals(WINDOW_SECONDS, fairStart.path("windowSeconds").asInt(), published::body);
            Instant drawAt = Instant.parse(fairStart.path("drawAt").asText());
            assertEquals(Instant.parse(json(published).path("opensAt").asText()).plusSeconds(WINDOW_SECONDS), drawAt);
            String commitment = fairStart.path("seedCommitment").asText();
            assertTrue(commitment.matches("[0-9a-f]{64}"), published::body);
            assertFalse(fairStart.path("drawn").asBoolean(true), published::body);
            assertFalse(fairStart.has("seed"), published::body);

            try (SseSocketReader events = SseSocketReader.open(port, null, Duration.ofSeconds(10))) {
                assertEquals(200, events.status());
                HttpResponse<String> campaign = harness.get("/api/campaigns/" + CAMPAIGN, null);
                assertEquals(commitment, json(campaign).path("fairStart").path("seedCommitment").asText());
                beforeDraw.add(campaign.body());
                beforeDraw.add(harness.get("/api/campaigns", null).body());
                HttpResponse<String> pending = harness.get("/api/campaigns/" + CAMPAIGN + "/draw", null);
                assertEquals(200, pending.statusCode(), pending::body);
                assertEquals("pending", json(pending).path("state").asText(), pending::body);
                assertEquals(commitment, json(pending).path("commitment").asText(), pending::body);
                assertEquals(0, json(pending).path("entryCount").asInt(-1), pending::body);
                assertFalse(json(pending).has("seed"), pending::body);
                beforeDraw.add(pending.body());

                // ---- plans: each user tries 1-3 distinct wishes, then the first again (a repeat)
                Map<String, String> tokenOf = new LinkedHashMap<>();
                List<List<String>> plans = new ArrayList<>();
                Random random = new Random(17_2026);
                for (int u = 0; u < USERS; u++) {
                    String user = "fs-user-" + u;
                    tokenOf.put(user, harness.userToken(user));
                    List<Integer> wishNumbers = new ArrayList<>();
                    int distinct = 1 + random.nextInt(3);
                    while (wishNumbers.size() < distinct) {
                        int number = 1 + random.nextInt(ENTERED_WISHES);
                        if (!wishNumbers.contains(number)) {
                            wishNumbers.add(number);
                        }
                    }
                    wishNumbers.add(wishNumbers.get(0));
                    plans.add(wishNumbers.stream().map(n -> PREFIX + n).toList());
                }

                // ---- before opensAt a claim is refused; the probe then waits for the window to open
                String probe = "fs-probe";
                tokenOf.put(probe, harness.userToken(probe));
                HttpResponse<String> probed = FairStartSupport.claimOnceOpen(
                        path -> harness.post(path, tokenOf.get(probe), null), PREFIX + "1", OPENS_IN.plusSeconds(5));
                HttpResponse<String> opened = probed;
                assertEquals(202, opened.statusCode(), opened::body);
                assertTrue(!Instant.now().isBefore(opensAt.minusMillis(50)), "entered before opensAt");
                assertEquals("/api/me/entries", opened.headers().firstValue("Location").orElse(null));
                List<Entered> answered = new ArrayList<>();
                answered.add(new Entered(probe, PREFIX + "1", 202, json(opened).path("entryId").asText(), null,
                        opened.body()));

                // ---- the opening burst: every user's plan, on THREADS keep-alive connections
                answered.addAll(enterAll(port, plans, new ArrayList<>(tokenOf.keySet()), tokenOf));
                Instant burstEnded = Instant.now();
                assertTrue(burstEnded.isBefore(drawAt), () -> "the burst outlasted the window (ended " + burstEnded
                        + ", drawAt " + drawAt + "): make the window longer");

                // ---- every answer is one the contract allows, user by user in the order sent
                Map<String, Entered> entryById = new LinkedHashMap<>();
                Map<String, Map<String, String>> entryOfUserWish = new HashMap<>();
                Map<String, Integer> answers = new TreeMap<>();
                List<String> problems = new ArrayList<>();
                for (Entered e : answered) {
                    answers.merge(e.status() + (e.error() == null ? "" : " " + e.error()), 1, Integer::sum);
                    Map<String, String> mine = entryOfUserWish.computeIfAbsent(e.user(), u -> new LinkedHashMap<>());
                    JsonNode body = GrabSupport.parse(e.body());
                    switch (e.status()) {
                        case 202 -> {
                            if (mine.containsKey(e.wishId()) || mine.size() >= LIMIT) {
                                problems.add("202 for a repeat or beyond the limit: " + e);
                            }
                            if (entryById.put(e.entryId(), e) != null) {
                                problems.add("entry id given twice: " + e);
                            }
                            checkEnteredBody(problems, e, body, drawAt);
                            mine.put(e.wishId(), e.entryId());
                        }
                        case 200 -> {
                            if (!e.entryId().equals(mine.get(e.wishId()))) {
                                problems.add("repeat answered another entry: " + e + " holds " + mine);
                            }
                            checkEnteredBody(problems, e, body, drawAt);
                        }
                        case 409 -> {
                            if (!"limit_reached".equals(e.error()) || mine.size() < LIMIT) {
                                problems.add("unexpected 409: " + e + " holds " + mine);
                            }
                        }
                        default -> problems.add("unexpected answer inside the window: " + e);
                    }
                }
                System.out.println("INFO FairStartIT: " + answered.size() + " claims inside the window, answers "
                        + answers + ", burst ended " + Duration.between(burstEnded, drawAt).toMillis()
                        + " ms before drawAt");
                assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: "
                        + problems.subList(0, Math.min(10, problems.size())));
                // Every first claim of a wish was an entry (202): none was settled first-come.
                int expectedEntries = 1;
                for (List<String> plan : plans) {
                    expectedEntries += Math.min(LIMIT, plan.size() - 1);
                }
                assertEquals(expectedEntries, answers.get("202"), answers::toString);
                assertEquals(USERS, answers.get("200"), answers::toString);
                assertTrue(answers.getOrDefault("409 limit_reached", 0) > 0, answers::toString);
                answered.forEach(e -> beforeDraw.add(e.body()));

                // ---- before the draw: each user lists their entries, pending
                Map<String, List<JsonNode>> listed = FairStartSupport.entriesOf(port, tokenOf);
                for (Map.Entry<String, List<JsonNode>> user : listed.entrySet()) {
                    Map<String, String> mine = entryOfUserWish.getOrDefault(user.getKey(), Map.of());
                    assertEquals(mine.size(), user.getValue().size(), () -> user.getKey() + ": " + user.getValue());
                    for (JsonNode entry : user.getValue()) {
                        assertEquals(mine.get(entry.path("wishId").asText()), entry.path("entryId").asText(),
                                entry::toString);
                        assertEquals("pending", entry.path("outcome").asText(), entry::toString);
                        assertFalse(entry.has("claimId") || entry.has("reason"), entry::toString);
                        beforeDraw.add(entry.toString());
                    }
                }
                HttpResponse<String> stillPending = harness.get("/api/campaigns/" + CAMPAIGN + "/draw", null);
                if (json(stillPending).path("state").asText().equals("pending")) {
                    assertEquals(expectedEntries, json(stillPending).path("entryCount").asInt(), stillPending::body);
                } else {
                    assertFalse(Instant.now().isBefore(drawAt), () -> "drawn before drawAt: " + stillPending.body());
                }

                // ---- the draw: once the window has closed
                String drawnBody = FairStartSupport.awaitDrawn(harness::get, CAMPAIGN,
                        Duration.between(Instant.now(), drawAt).plusSeconds(15), beforeDraw);
                JsonNode drawn = GrabSupport.parse(drawnBody);
                DrawAudit audit = FairStartSupport.audit(drawnBody);
                Instant drawnAt = Instant.parse(drawn.path("drawnAt").asText());
                assertEquals(drawAt, Instant.parse(drawn.path("drawAt").asText()));
                assertFalse(drawnAt.isBefore(drawAt), drawn.path("drawnAt")::asText);
                assertEquals(commitment, audit.commitment());
                DrawVerdict verdict = DrawAudit.verify(audit);
                assertTrue(verdict.ok(), verdict::describe);
                FairStartSupport.assertSeedNowhereIn(beforeDraw, audit.seed());
                DrawSeed seed = DrawSeed.parse(audit.seed());

                // The record lists exactly the acknowledged entries, each with its wish and user's hash.
                assertEquals(entryById.keySet(), audit.entries().stream().map(DrawAudit.Entry::entryId)
                        .collect(java.util.stream.Collectors.toSet()));
                Map<String, String> hashOf = new HashMap<>();
                tokenOf.keySet().forEach(user -> hashOf.put(user, DrawAudit.userHash(seed, user)));
                for (DrawAudit.Entry entry : audit.entries()) {
                    Entered ack = entryById.get(entry.entryId());
                    assertEquals(ack.wishId(), entry.wishId(), entry::toString);
                    assertEquals(hashOf.get(ack.user()), entry.userHash(), entry::toString);
                    assertEquals(Entry.arrivalOf(entry.entryId()), entry.arrival(), entry::toString);
                }
                Map<String, Integer> units = new TreeMap<>();
                for (int w = 1; w <= WISHES; w++) {
                    units.put(PREFIX + w, QUANTITY);
                }
                assertEquals(units, audit.unitsLeft());
                assertEquals(LIMIT, audit.perUserLimit());
                assertTrue(audit.held().isEmpty(), audit.held()::toString);

                // The draw recomputed independently from what the clients were told and the revealed seed.
                List<DrawEntry> asEntered = new ArrayList<>();
                entryById.forEach((id, e) -> asEntered.add(new DrawEntry(id, e.wishId(), e.user(), Entry.arrivalOf(id))));
                DrawSettlement expected = Draw.run(seed, asEntered, units, LIMIT, List.of()).settlement();
                assertEquals(expected.winnerIds(), audit.winners());
                Map<String, Integer> entriesPerWish = new HashMap<>();
                entryById.values().forEach(e -> entriesPerWish.merge(e.wishId(), 1, Integer::sum));
                int expectedWins = entriesPerWish.values().stream().mapToInt(n -> Math.min(QUANTITY, n)).sum();
                assertEquals(expectedWins, audit.winners().size(), "every unit of an entered wish is won");

                // Arrival does not predict the draw. For a uniform shuffle Spearman's rho has mean 0 and
                // s.d. 1/sqrt(n-1), about 0.018 at n ~ 3,300: |rho| < 0.1 is more than five s.d.,
                // which a fair draw misses with probability below 1e-7; a draw that kept arrival order
                // (even partly) would not.
                assertTrue(audit.entries().size() >= 2_000, "too few entries for the rank test");
                double rho = FairStartSupport.spearman(audit);
                System.out.printf("INFO FairStartIT: %d entries, %d winners, Spearman rho(arrival, drawn) = %.4f%n",
                        audit.entries().size(), audit.winners().size(), rho);
                assertTrue(Math.abs(rho) < 0.1, "drawn order correlates with arrival: rho = " + rho);

                // ---- each user reads their outcome; winners hold claims, losers are told why
                Map<String, DrawSettlement.LossReason> reasonOf = new HashMap<>();
                expected.losses().forEach(loss -> reasonOf.put(loss.entry().entryId(), loss.reason()));
                Set<String> winners = new HashSet<>(audit.winners());
                Map<String, List<JsonNode>> outcomes = FairStartSupport.entriesOf(port, tokenOf);
                Map<String, Entered> wonByClaim = new LinkedHashMap<>();
                int won = 0;
                for (Map.Entry<String, List<JsonNode>> user : outcomes.entrySet()) {
                    Map<String, String> mine = entryOfUserWish.getOrDefault(user.getKey(), Map.of());
                    assertEquals(mine.size(), user.getValue().size(), () -> user.getKey() + ": " + user.getValue());
                    for (JsonNode entry : user.getValue()) {
                        String id = entry.path("entryId").asText();
                        assertEquals(mine.get(entry.path("wishId").asText()), id, entry::toString);
                        assertEquals(drawnAt, Instant.parse(entry.path("settledAt").asText()), entry::toString);
                        if (winners.contains(id)) {
                            won++;
                            assertEquals("won", entry.path("outcome").asText(), entry::toString);
                            assertFalse(entry.has("reason"), entry::toString);
                            String claimId = entry.path("claimId").asText(null);
                            assertNotNull(claimId, entry::toString);
                            assertNull(wonByClaim.put(claimId, entryById.get(id)), () -> "claim won twice: " + entry);
                        } else {
                            assertEquals("lost", entry.path("outcome").asText(), entry::toString);
                            assertFalse(entry.has("claimId"), entry::toString);
                            assertEquals(reasonOf.get(id).name().toLowerCase(java.util.Locale.ROOT),
                                    entry.path("reason").asText(), entry::toString);
                        }
                    }
                }
                assertEquals(expectedWins, won, "won entries over all users");

                List<FairStartSupport.Get> reads = new ArrayList<>();
                List<Entered> readFor = new ArrayList<>(wonByClaim.values());
                wonByClaim.forEach((claimId, e) -> reads.add(new FairStartSupport.Get("/api/claims/" + claimId,
                        tokenOf.get(e.user()))));
                List<WireConnection.Response> claims = FairStartSupport.getAll(port, reads, 4);
                for (int i = 0; i < claims.size(); i++) {
                    WireConnection.Response claim = claims.get(i);
                    Entered e = readFor.get(i);
                    assertEquals(200, claim.status(), claim::toString);
                    assertEquals(e.user(), claim.json().path("userId").asText(), claim::toString);
                    assertEquals(e.wishId(), claim.json().path("wishId").asText(), claim::toString);
                    assertEquals("claimed", claim.json().path("status").asText(), claim::toString);
                }

                // ---- the ledger: exactly the won claims, no unit twice
                Map<String, JsonNode> ledger = GrabSupport.apiClaims(harness, CAMPAIGN);
                assertEquals(wonByClaim.keySet(), ledger.keySet(), "the ledger vs the won entries");
                Map<String, Integer> heldPerWish = new TreeMap<>();
                for (JsonNode claim : ledger.values()) {
                    heldPerWish.merge(claim.path("wishId").asText(), 1, Integer::sum);
                    assertEquals(wonByClaim.get(claim.path("id").asText()).user(), claim.path("userId").asText());
                }
                heldPerWish.forEach((wish, count) -> assertTrue(count <= QUANTITY, wish + " held " + count + " times"));
                JsonNode after = json(harness.get("/api/campaigns/" + CAMPAIGN, null));
                assertTrue(after.path("fairStart").path("drawn").asBoolean(), after::toString);
                assertEquals(drawnAt, Instant.parse(after.path("fairStart").path("drawnAt").asText()));
                for (JsonNode wish : after.path("wishes")) {
                    String id = wish.path("id").asText();
                    assertEquals(QUANTITY - heldPerWish.getOrDefault(id, 0), wish.path("remaining").asInt(),
                            wish::toString);
                }

                // ---- watchers: the winners' claims, then one draw event
                int claimedFrames = 0;
                SseSocketReader.Frame frame = events.nextEvent(Duration.ofSeconds(10));
                while (!"draw".equals(frame.event())) {
                    // (the stream opens with a retry-only frame, which has no data)
                    if ("claimed".equals(frame.event())
                            && CAMPAIGN.equals(GrabSupport.parse(frame.data()).path("campaignId").asText())) {
                        claimedFrames++;
                    }
                    frame = events.nextEvent(Duration.ofSeconds(10));
                }
                JsonNode drawEvent = GrabSupport.parse(frame.data());
                assertEquals(CAMPAIGN, drawEvent.path("campaignId").asText(), frame::toString);
                assertEquals("draw", drawEvent.path("type").asText(), frame::toString);
                assertEquals(WISHES * QUANTITY - expectedWins, drawEvent.path("remaining").asInt(), frame::toString);
                assertEquals(expectedWins, claimedFrames, "claimed frames before the draw frame");

                // ---- after the draw: first-come on what is left
                String lateUser = "fs-late";
                HttpResponse<String> late = harness.post("/api/wishes/" + PREFIX + WISHES + "/claims",
                        harness.userToken(lateUser), null);
                assertEquals(201, late.statusCode(), late::body);
                assertEquals("claimed", json(late).path("status").asText(), late::body);
                assertFalse(ledger.containsKey(json(late).path("id").asText()), late::body);
                // The next event is about that claim: the draw was announced once, not again.
                SseSocketReader.Frame next = events.nextEvent(Duration.ofSeconds(10));
                assertEquals("claimed", next.event(), next::toString);
                assertEquals(PREFIX + WISHES, GrabSupport.parse(next.data()).path("wishId").asText(), next::toString);
                long drawFrames = events.seen().stream().filter(f -> "draw".equals(f.event())).count();
                assertEquals(1, drawFrames, () -> "draw frames: " + events.seen());

                String soldOutWish = heldPerWish.entrySet().stream().filter(h -> h.getValue() == QUANTITY)
                        .map(Map.Entry::getKey).findFirst().orElseThrow();
                HttpResponse<String> soldOut = harness.post("/api/wishes/" + soldOutWish + "/claims",
                        harness.userToken("fs-late-2"), null);
                assertEquals(409, soldOut.statusCode(), soldOut::body);
                assertEquals("sold_out", json(soldOut).path("error").asText(), soldOut::body);
                Map.Entry<String, Entered> aWin = wonByClaim.entrySet().iterator().next();
                HttpResponse<String> repeat = harness.post("/api/wishes/" + aWin.getValue().wishId() + "/claims",
                        tokenOf.get(aWin.getValue().user()), null);
                assertEquals(200, repeat.statusCode(), repeat::body);
                assertEquals(aWin.getKey(), json(repeat).path("id").asText(), repeat::body);

                // Entries are gone after the draw: a user who won one and lost one may claim one more.
                String oneWin = null;
                for (Map.Entry<String, List<JsonNode>> user : outcomes.entrySet()) {
                    List<String> got = user.getValue().stream().map(e -> e.path("outcome").asText()).sorted().toList();
                    if (got.equals(List.of("lost", "won"))) {
                        oneWin = user.getKey();
                        break;
                    }
                }
                assertNotNull(oneWin, "no user won one entry and lost one");
                HttpResponse<String> second = harness.post("/api/wishes/" + PREFIX + (WISHES - 1) + "/claims",
                        tokenOf.get(oneWin), null);
                assertEquals(201, second.statusCode(), second::body);
                HttpResponse<String> third = harness.post("/api/wishes/" + PREFIX + (WISHES - 2) + "/claims",
                        tokenOf.get(oneWin), null);
                assertEquals(409, third.statusCode(), third::body);
                assertEquals("limit_reached", json(third).path("error").asText(), third::body);

                // ---- anyone can check the draw with the jar's verify-draw
                FairStartSupport.verifyDrawCommandAccepts(port, CAMPAIGN);
            }
        }
    }

    /** Every user's plan, each user on one of {@link #THREADS} connections, answers in the order sent. */
    private static List<Entered> enterAll(int port, List<List<String>> plans, List<String> users,
                                          Map<String, String> tokenOf) throws Exception {
        @SuppressWarnings("unchecked")
        List<Entered>[] results = new List[plans.size()];
        CountDownLatch connected = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                try (WireConnection connection = new WireConnection(port, 30_000)) {
                    connected.countDown();
                    go.await();
                    for (int u = thread; u < plans.size(); u += THREADS) {
                        String user = users.get(u);
                        List<Entered> mine = new ArrayList<>();
                        for (String wishId : plans.get(u)) {
                            connection.send(WireConnection.claim(wishId, tokenOf.get(user)));
                            WireConnection.Response answer = connection.read();
                            if (answer.status() / 100 == 2 && !"/api/me/entries".equals(answer.header("Location"))) {
                                fail("an entry answer without Location /api/me/entries: " + answer);
                            }
                            mine.add(new Entered(user, wishId, answer.status(),
                                    answer.status() / 100 == 2 ? answer.json().path("entryId").asText(null) : null,
                                    answer.error(), answer.body()));
                        }
                        results[u] = mine;
                    }
                }
                return null;
            }));
        }
        try {
            assertTrue(connected.await(30, TimeUnit.SECONDS), "clients did not connect");
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        List<Entered> all = new ArrayList<>();
        for (List<Entered> result : results) {
            all.addAll(result);
        }
        return all;
    }

    private static void checkEnteredBody(List<String> problems, Entered e, JsonNode body, Instant drawAt) {
        if (!"entered".equals(body.path("status").asText()) || !e.user().equals(body.path("userId").asText())
                || !e.wishId().equals(body.path("wishId").asText()) || !CAMPAIGN.equals(body.path("campaignId").asText())
                || !drawAt.toString().equals(Instant.parse(body.path("drawAt").asText()).toString())
                || !Instant.parse(body.path("enteredAt").asText()).isBefore(drawAt)) {
            problems.add("entry answer is wrong: " + e);
        }
    }
}
