package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.http.DrawAuditJson;
import org.wishengine.wish.store.EntryJournal;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.tools.VerifyDrawCommand;
import picocli.CommandLine;

/** Helpers shared by the fair-start (issue 17) integration tests: campaigns, draws, entries. */
final class FairStartSupport {

    /** {@code GET path} with a bearer token (or none), as {@link EngineHarness} and {@link EngineProcess} send it. */
    @FunctionalInterface
    interface Getter {
        HttpResponse<String> get(String path, String token) throws IOException, InterruptedException;
    }

    /** {@code POST path} (no body) with some user's token. */
    @FunctionalInterface
    interface Poster {
        HttpResponse<String> post(String path) throws IOException, InterruptedException;
    }

    /** One claim inside a window as the client saw it; {@code status} -1 when no answer came. */
    record Entered(String user, String wishId, int status, String entryId, String error, String body) {
    }

    /** A GET to send on a pipelined connection. */
    record Get(String path, String token) {
    }

    private FairStartSupport() {
    }

    /**
     * A fair-start campaign: wishes {@code <prefix>1..n} of the given quantities, opening at
     * {@code opensAt} (millisecond precision) with a window of {@code windowSeconds}.
     */
    static String campaignBody(String campaignId, int perUserLimit, String wishPrefix, List<Integer> quantities,
                               Instant opensAt, int windowSeconds) {
        ObjectNode root = (ObjectNode) GrabSupport.parse(
                GrabSupport.campaignBody(campaignId, perUserLimit, wishPrefix, quantities));
        root.put("opensAt", opensAt.truncatedTo(ChronoUnit.MILLIS).toString());
        root.putObject("fairStart").put("windowSeconds", windowSeconds);
        return root.toString();
    }

    /**
     * Claims {@code wishId} before the window opens, asserting 409 not_open, and again every few
     * milliseconds until the answer changes (the window opened) or {@code within} passes; returns
     * that first other answer.
     */
    static HttpResponse<String> claimOnceOpen(Poster poster, String wishId, Duration within)
            throws IOException, InterruptedException {
        String path = "/api/wishes/" + wishId + "/claims";
        HttpResponse<String> early = poster.post(path);
        assertEquals(409, early.statusCode(), early::body);
        assertEquals("not_open", GrabSupport.json(early).path("error").asText(), early::body);
        HttpResponse<String> answer = early;
        long deadline = System.nanoTime() + within.toNanos();
        while (answer.statusCode() == 409 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20); // poll interval for the opening, not synchronisation
            answer = poster.post(path);
        }
        return answer;
    }

    /**
     * Polls the public draw record until it says {@code drawn}, adding every pending body read
     * meanwhile to {@code pendingBodies} (so a test can check none of them gave the seed away).
     * Returns the drawn body.
     */
    static String awaitDrawn(Getter engine, String campaignId, Duration within, List<String> pendingBodies)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            HttpResponse<String> draw = engine.get("/api/campaigns/" + campaignId + "/draw", null);
            assertEquals(200, draw.statusCode(), draw::body);
            String state = GrabSupport.json(draw).path("state").asText();
            if (state.equals("drawn")) {
                return draw.body();
            }
            assertEquals("pending", state, draw::body);
            pendingBodies.add(draw.body());
            if (System.nanoTime() > deadline) {
                fail("no draw within " + within.toMillis() + " ms: " + draw.body());
            }
            TimeUnit.MILLISECONDS.sleep(20); // poll interval, not synchronisation
        }
    }

    static DrawAudit audit(String drawnBody) throws IOException {
        return DrawAuditJson.read(drawnBody.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Spearman's rank correlation between each entry's arrival (its place in {@code entries}) and its
     * place in the drawn order: rho = 1 - 6 sum d^2 / (n (n^2 - 1)).
     */
    static double spearman(DrawAudit audit) {
        Map<String, Integer> place = new HashMap<>();
        for (int i = 0; i < audit.drawn().size(); i++) {
            place.put(audit.drawn().get(i), i);
        }
        double n = audit.entries().size();
        double sumSquares = 0;
        for (int i = 0; i < audit.entries().size(); i++) {
            double d = i - place.get(audit.entries().get(i).entryId());
            sumSquares += d * d;
        }
        return 1 - 6 * sumSquares / (n * (n * n - 1));
    }

    /**
     * The campaign's committed fair-start entries in Redis: each element of {@code wish:{c}:entries}
     * (one per committed batch that made or settled entries), parsed, in the order appended.
     */
    static List<List<Entry>> committedEntries(String redisUri, String campaignId) {
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            List<List<Entry>> elements = new ArrayList<>();
            for (byte[] element : connection.sync().lrange(
                    Keys.entries(campaignId).getBytes(StandardCharsets.UTF_8), 0, -1)) {
                elements.add(EntryJournal.read(element, campaignId));
            }
            return elements;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * The elements of {@code committed} that settle entries: a draw that ran exactly once wrote
     * exactly one, holding every entry of the campaign settled.
     */
    static List<List<Entry>> settlingElements(List<List<Entry>> committed) {
        List<List<Entry>> settling = new ArrayList<>();
        for (List<Entry> element : committed) {
            if (element.stream().anyMatch(Entry::settled)) {
                assertTrue(element.stream().allMatch(Entry::settled), () -> "an element settles only some: " + element);
                settling.add(element);
            }
        }
        return settling;
    }

    /**
     * Sends every GET on {@code threads} keep-alive connections, pipelined a few dozen at a time, and
     * returns the answers in the order of {@code gets}.
     */
    static List<WireConnection.Response> getAll(int port, List<Get> gets, int threads) throws Exception {
        WireConnection.Response[] answers = new WireConnection.Response[gets.size()];
        int window = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    try (WireConnection connection = new WireConnection(port, 30_000)) {
                        List<Integer> mine = new ArrayList<>();
                        for (int i = thread; i < gets.size(); i += threads) {
                            mine.add(i);
                        }
                        for (int from = 0; from < mine.size(); from += window) {
                            List<Integer> batch = mine.subList(from, Math.min(mine.size(), from + window));
                            StringBuilder requests = new StringBuilder();
                            for (int i : batch) {
                                requests.append(WireConnection.get(gets.get(i).path(), gets.get(i).token()));
                            }
                            connection.send(requests.toString());
                            for (int i : batch) {
                                answers[i] = connection.read();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        return List.of(answers);
    }

    /** Each user's {@code GET /api/me/entries} list, by user. */
    static Map<String, List<JsonNode>> entriesOf(int port, Map<String, String> tokenOfUser) throws Exception {
        List<String> users = new ArrayList<>(tokenOfUser.keySet());
        List<Get> gets = new ArrayList<>(users.size());
        for (String user : users) {
            gets.add(new Get("/api/me/entries", tokenOfUser.get(user)));
        }
        List<WireConnection.Response> answers = getAll(port, gets, 4);
        Map<String, List<JsonNode>> byUser = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            WireConnection.Response answer = answers.get(i);
            assertEquals(200, answer.status(), answer::toString);
            List<JsonNode> entries = new ArrayList<>();
            answer.json().path("entries").forEach(entries::add);
            byUser.put(users.get(i), entries);
        }
        return byUser;
    }

    /** Runs {@code verify-draw --url ... --campaign ...} in this JVM; asserts exit 0 and an OK verdict. */
    static void verifyDrawCommandAccepts(int port, String campaignId) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new VerifyDrawCommand())
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = command.execute("--url", "http://127.0.0.1:" + port, "--campaign", campaignId);
        assertEquals(0, exit, () -> "verify-draw said: " + out + err);
        assertTrue(out.toString().startsWith("OK"), out::toString);
    }

    /** Asserts that none of {@code bodies} (read before the draw) contains {@code seed}. */
    static void assertSeedNowhereIn(Collection<String> bodies, String seed) {
        assertEquals(64, seed.length(), seed);
        for (String body : bodies) {
            assertFalse(body.toLowerCase(java.util.Locale.ROOT).contains(seed),
                    () -> "the seed was out before the draw: " + body);
        }
    }
}
