package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.apiClaims;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;
import static org.wishengine.wish.it.GrabSupport.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.config.HttpLimits;

/**
 * Random and mutated HTTP over raw sockets for a bounded time. Every connection must end in an
 * HTTP response whose status is 2xx/3xx/4xx or 503, or in a close by the engine — never a 500 (or
 * any other 5xx), never a malformed response, never silence past the socket timeout. Afterwards the
 * engine must still be ready and exact.
 *
 * <p>The seed is printed; re-run a failure with {@code -Dfuzz.seed=<seed>} (each worker thread
 * draws from {@code seed + worker}).
 */
@Timeout(90)
class FuzzIT {

    private static final long FUZZ_MILLIS = 5_000;
    private static final int WORKERS = 4;
    /** A request that never completes is dropped by the engine after this long (configured below). */
    private static final int REQUEST_DEADLINE_MILLIS = 1_500;
    /** No answer and no close within this long is a hang. */
    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;
    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    private static final String CAMPAIGN = "fz-c";

    @TempDir
    Path tmp;

    /** One fuzz case: the bytes to send and how the client ends its side. */
    private record Case(String kind, byte[] bytes, Ending ending) {
        String describe() {
            String text = new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1);
            return kind + " (" + ending + ", " + bytes.length + " bytes): " + WireConnection.printable(text)
                    + (bytes.length > 600 ? "..." : "");
        }
    }

    private enum Ending {
        /** Keep the connection open and wait for an answer or a close. */
        WAIT,
        /** Half-close after sending (a truncated request, then close), and wait. */
        HALF_CLOSE,
        /** Reset the connection right after sending, without reading. */
        ABORT
    }

    @Test
    void shouldNeverAnswer500OrHangWhateverArrives() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("INFO FuzzIT seed: " + seed + " (re-run with -Dfuzz.seed=" + seed + ")");
        try (EngineHarness harness = EngineHarness.start(tmp, config -> config.withHttpLimits(
                HttpLimits.DEFAULTS.withRequestTimeoutMillis(REQUEST_DEADLINE_MILLIS)))) {
            createCampaign(harness, campaignBody(CAMPAIGN, 2, "fz-w", List.of(50, 3, 1)));
            int port = harness.engine().port();
            Generator base = new Generator(harness);

            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger cases = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> workers = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FUZZ_MILLIS);
            for (int w = 0; w < WORKERS; w++) {
                Random random = new Random(seed + w);
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end && failures.size() < 10) {
                        Case fuzz = base.next(random);
                        cases.incrementAndGet();
                        String outcome;
                        try {
                            outcome = run(port, fuzz);
                        } catch (Exception | AssertionError e) {
                            failures.add(e + " for " + fuzz.describe());
                            continue;
                        }
                        outcomes.merge(fuzz.kind() + " -> " + outcome, 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Map<String, Integer> byOutcome = new TreeMap<>();
            outcomes.forEach((key, count) -> byOutcome.merge(key.substring(key.indexOf(" -> ") + 4), count, Integer::sum));
            System.out.println("INFO FuzzIT: " + cases.get() + " cases, outcomes " + byOutcome);
            System.out.println("INFO FuzzIT by kind: " + new TreeMap<>(outcomes));
            assertTrue(failures.isEmpty(), () -> failures.size() + " failures (seed " + seed + "), first: "
                    + failures.subList(0, Math.min(5, failures.size())));
            assertTrue(cases.get() > 50, "too few cases ran: " + cases.get());

            // ---- afterwards: ready, exact, and serving claims as before
            assertEquals(200, readiness(harness), "/health/ready after fuzzing");
            String metrics = harness.get("/metrics", null).body();
            assertFalse(metrics.contains("status=\"500\""), () -> "a 500 was counted: "
                    + metrics.lines().filter(l -> l.contains("status=\"500\"")).toList());
            createCampaign(harness, campaignBody("fz-after", 1, "fz-after-w", List.of(2)));
            String token = harness.userToken("fz-after-user");
            HttpResponse<String> first = harness.post("/api/wishes/fz-after-w1/claims", token, null);
            assertEquals(201, first.statusCode(), first::body);
            HttpResponse<String> repeat = harness.post("/api/wishes/fz-after-w1/claims", token, null);
            assertEquals(200, repeat.statusCode(), repeat::body);
            assertEquals(json(first).path("id").asText(), json(repeat).path("id").asText());
            assertEquals(1, json(harness.get("/api/wishes/fz-after-w1", null)).path("remaining").asInt());

            // The fuzzed campaign is still consistent: no unit twice, remaining = quantity - held.
            Map<String, Integer> held = new TreeMap<>();
            java.util.Set<String> userWish = new java.util.HashSet<>();
            for (JsonNode claim : apiClaims(harness, CAMPAIGN).values()) {
                String status = claim.path("status").asText();
                if (status.equals("claimed") || status.equals("fulfilled") || status.equals("confirmed")) {
                    held.merge(claim.path("wishId").asText(), 1, Integer::sum);
                    assertTrue(userWish.add(claim.path("userId").asText() + "|" + claim.path("wishId").asText()),
                            () -> "two active claims: " + claim);
                }
            }
            for (JsonNode wish : json(harness.get("/api/campaigns/" + CAMPAIGN, null)).path("wishes")) {
                int count = held.getOrDefault(wish.path("id").asText(), 0);
                assertTrue(count <= wish.path("quantity").asInt(), wish::toString);
                assertEquals(wish.path("quantity").asInt() - count, wish.path("remaining").asInt(), wish::toString);
            }
        }
    }

    /** Sends one case on a fresh connection and returns what happened; throws on a contract breach. */
    private static String run(int port, Case fuzz) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(fuzz.bytes());
                out.flush();
            } catch (IOException closedWhileSending) {
                // The engine may refuse and close before the whole request is written (431, 413...).
            }
            if (fuzz.ending() == Ending.ABORT) {
                socket.setSoLinger(true, 0);
                return "aborted";
            }
            if (fuzz.ending() == Ending.HALF_CLOSE) {
                try {
                    socket.shutdownOutput();
                } catch (IOException alreadyClosed) {
                    // fine: the engine closed first
                }
            }
            while (true) {
                String head;
                try {
                    head = readHead(in);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no answer and no close within " + SOCKET_TIMEOUT_MILLIS + " ms");
                }
                if (head == null) {
                    return "closed";
                }
                if (head.equals("RESET")) {
                    return "reset";
                }
                String statusLine = head.lines().findFirst().orElse("");
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].matches("HTTP/1\\.[01]") || !parts[1].matches("[1-5][0-9][0-9]")) {
                    throw new AssertionError("malformed response head: " + WireConnection.printable(head));
                }
                int status = Integer.parseInt(parts[1]);
                if (status == 100) {
                    continue; // Expect: 100-continue, the final answer follows
                }
                if (status >= 500 && status != 503) {
                    throw new AssertionError("answered " + WireConnection.printable(head));
                }
                if (status >= 400 && !head.toLowerCase(java.util.Locale.ROOT).contains("content-length:")) {
                    throw new AssertionError("error response without a body length: " + WireConnection.printable(head));
                }
                return String.valueOf(status);
            }
        }
    }

    /** The response head up to the blank line; null on end of stream before any byte; "RESET" on a reset. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                byte[] bytes = head.toByteArray();
                int n = bytes.length;
                if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                    return new String(bytes, StandardCharsets.ISO_8859_1);
                }
                if (n > 64 * 1024) {
                    throw new AssertionError("response head larger than 64 KiB");
                }
            }
        } catch (SocketException reset) {
            // A reset (the engine closed with our bytes unread) may swallow a response already sent.
            return "RESET";
        }
        if (head.size() == 0) {
            return null;
        }
        throw new AssertionError("the connection closed inside a response head: "
                + WireConnection.printable(head.toString(StandardCharsets.ISO_8859_1)));
    }

    // ================================================================== the generator

    /** Builds fuzz cases from valid requests, mutated, and from hostile building blocks. */
    private static final class Generator {

        private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "TRACE", "CONNECT", "PRI", "get", "G3T", "POST\u0000", "X".repeat(300), "ПОСТ", ""};
        private static final String[] PATHS = {"/", "/api", "/api/campaigns", "/api/campaigns/fz-c",
            "/api/campaigns/fz-c/claims", "/api/campaigns/fz-c/claims?format=csv", "/api/wishes",
            "/api/wishes?campaign=fz-c&available=true", "/api/wishes?available=maybe", "/api/wishes/fz-w1",
            "/api/wishes/fz-w1/claims", "/api/wishes/fz-w2/claims", "/api/me/claims", "/api/claims/cl-1",
            "/api/claims/cl-1/cancel", "/api/claims/cl-2/fulfil", "/api/claims/cl-1/confirm", "/api/stats",
            "/api/stats?campaign=fz-c", "/health/live", "/health/ready", "/metrics", "*",
            "http://localhost/api/stats", "/api/wishes/%FF%FE/claims", "/api/wishes/\u00ff\u00fe",
            "/api/../../etc/passwd", "/api/wishes/fz-w1%00/claims", "/api//wishes//fz-w1", "/api/wishes/fz-w1/",
            "/%", "/api/wishes?campaign=%zz", "/api/stats?campaign=" + "%E4%B8".repeat(10)};

        private final String user;
        private final String otherUser;
        private final List<String> valid = new ArrayList<>();

        Generator(EngineHarness harness) {
            user = harness.userToken("fuzzer");
            otherUser = harness.userToken("fuzzer-2");
            valid.add(WireConnection.claim("fz-w1", user));
            valid.add(WireConnection.claim("fz-w2", otherUser));
            valid.add(WireConnection.get("/api/me/claims", user));
            valid.add(WireConnection.get("/api/claims/cl-1", user));
            valid.add(WireConnection.get("/api/campaigns/fz-c/claims?format=csv", ADMIN));
            valid.add(WireConnection.get("/api/wishes?campaign=fz-c&available=true", null));
            valid.add(WireConnection.get("/api/stats", null));
            valid.add(WireConnection.get("/health/ready", null));
            valid.add(WireConnection.post("/api/campaigns", ADMIN,
                    "{\"title\":\"Fuzz\",\"perUserLimit\":2,\"wishes\":[{\"title\":\"w\",\"quantity\":2,"
                            + "\"category\":\"elderly\",\"location\":\"Zhujing\"}]}"));
            valid.add(WireConnection.post("/api/claims/cl-1/confirm", ADMIN, "{\"rating\":5,\"comment\":\"ok\"}"));
            valid.add("POST /api/claims/cl-1/cancel HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + user
                    + "\r\nContent-Length: 0\r\n\r\n");
        }

        Case next(Random random) {
            int pick = random.nextInt(20);
            Ending ending = random.nextInt(6) == 0 ? Ending.HALF_CLOSE : random.nextInt(12) == 0 ? Ending.ABORT : Ending.WAIT;
            return switch (pick) {
                case 0 -> new Case("random-bytes", randomBytes(random, 1 + random.nextInt(3000)), ending);
                case 1 -> new Case("bad-request-line", ascii(badRequestLine(random) + "Host: x\r\n\r\n"), ending);
                case 2 -> new Case("random-method", ascii(pickOf(random, METHODS) + " " + pickOf(random, PATHS)
                        + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + (random.nextBoolean() ? user : ADMIN)
                        + "\r\nContent-Length: 0\r\n\r\n"), ending);
                case 3 -> new Case("huge-header", ascii(withHeader(random, "X-Big: "
                        + "h".repeat(4_000 + random.nextInt(20_000)))), ending);
                case 4 -> new Case("many-headers", ascii(withHeader(random, manyHeaders(random))), ending);
                case 5 -> new Case("broken-chunked", brokenChunked(random), ending);
                case 6 -> new Case("invalid-utf8-path", invalidUtf8Path(random), ending);
                case 7 -> new Case("invalid-utf8-body", body(random, invalidUtf8Json(random)), ending);
                case 8 -> new Case("deep-json", body(random, deepJson(random)), ending);
                case 9 -> new Case("huge-number", body(random, hugeNumber(random)), ending);
                case 10 -> new Case("nul-bytes", insertNuls(random, ascii(pickOf(random, valid))), ending);
                case 11 -> new Case("truncated", truncate(random, ascii(pickOf(random, valid))), Ending.HALF_CLOSE);
                case 12 -> new Case("content-length", ascii(badContentLength(random)), ending);
                case 13 -> new Case("bad-header-syntax", ascii(badHeaderSyntax(random)), ending);
                case 14 -> new Case("bad-token", ascii(WireConnection.claim("fz-w1", badToken(random))), ending);
                case 15 -> new Case("line-endings", ascii(pickOf(random, valid).replace("\r\n",
                        random.nextBoolean() ? "\n" : "\r")), ending);
                case 16 -> new Case("pipelined-mix", pipelinedMix(random), ending);
                default -> new Case("mutated", mutate(random, ascii(pickOf(random, valid))), ending);
            };
        }

        private String badRequestLine(Random random) {
            return switch (random.nextInt(10)) {
                case 0 -> "\r\n";
                case 1 -> "GET\r\n";
                case 2 -> "GET /api/stats\r\n";
                case 3 -> "GET /api/stats HTTP/9.9\r\n";
                case 4 -> "GET /api/stats HTTP/1.1 extra\r\n";
                case 5 -> "GET  /api/stats  HTTP/1.1\r\n";
                case 6 -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
                case 7 -> "GET /" + "a".repeat(5_000) + " HTTP/1.1\r\n";
                case 8 -> "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003\r\n"; // a TLS hello, roughly
                default -> new String(randomBytes(random, 1 + random.nextInt(80)), StandardCharsets.ISO_8859_1) + "\r\n";
            };
        }

        private String withHeader(Random random, String header) {
            String request = pickOf(random, valid);
            int at = request.indexOf("\r\n") + 2;
            return request.substring(0, at) + header + "\r\n" + request.substring(at);
        }

        private static String manyHeaders(Random random) {
            StringBuilder headers = new StringBuilder();
            int count = 100 + random.nextInt(1_500);
            for (int i = 0; i < count; i++) {
                headers.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v").append(i);
            }
            return headers.toString();
        }

        private byte[] brokenChunked(Random random) {
            String head = "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    + (random.nextInt(4) == 0 ? "Content-Length: 5\r\n" : "") + "\r\n";
            String json = "{\"title\":\"T\",\"wishes\":[{\"title\":\"w\"}]}";
            String body = switch (random.nextInt(9)) {
                case 0 -> "zz\r\n" + json + "\r\n0\r\n\r\n";                                 // not hex
                case 1 -> Integer.toHexString(json.length() + 10) + "\r\n" + json + "\r\n0\r\n\r\n"; // size too big
                case 2 -> Integer.toHexString(json.length() - 5) + "\r\n" + json + "\r\n0\r\n\r\n";  // size too small
                case 3 -> "ffffffffffffffff\r\n" + json + "\r\n0\r\n\r\n";                   // overflow
                case 4 -> "-5\r\n" + json + "\r\n0\r\n\r\n";                                 // negative
                case 5 -> Integer.toHexString(json.length()) + "\r\n" + json + "0\r\n\r\n";  // missing CRLF
                case 6 -> Integer.toHexString(json.length()) + ";" + "x".repeat(9_000) + "\r\n" + json + "\r\n0\r\n\r\n";
                case 7 -> Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n" + "X-T: "
                        + "t".repeat(10_000) + "\r\n\r\n";                                     // huge trailer
                default -> Integer.toHexString(json.length()) + "\r\n" + json + "\r\n";      // no last chunk
            };
            return ascii(head + body);
        }

        private byte[] invalidUtf8Path(Random random) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String method = random.nextBoolean() ? "GET" : "POST";
            out.writeBytes(ascii(method + " /api/wishes/"));
            byte[][] bad = {{(byte) 0xff, (byte) 0xfe}, {(byte) 0xc3, 0x28}, {(byte) 0xe2, (byte) 0x82},
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
                ascii("%C3%28"), ascii("%ED%A0%80"), ascii("%FF"), ascii("%"), ascii("%u0041")};
            out.writeBytes(bad[random.nextInt(bad.length)]);
            out.writeBytes(ascii(random.nextBoolean() ? "/claims" : ""));
            out.writeBytes(ascii(" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user + "\r\nContent-Length: 0\r\n\r\n"));
            return out.toByteArray();
        }

        private static byte[] invalidUtf8Json(Random random) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ascii("{\"title\":\""));
            byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xe2, (byte) 0x82, 0x22},
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, ascii("\\ud800"),
                ascii("\\udc00\\ud800"), {0}};
            for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
                out.writeBytes(bad[random.nextInt(bad.length)]);
            }
            out.writeBytes(ascii("\",\"wishes\":[{\"title\":\"w\"}]}"));
            return out.toByteArray();
        }

        private static byte[] deepJson(Random random) {
            int depth = random.nextBoolean() ? 100_000 : 1_000 + random.nextInt(20_000);
            return switch (random.nextInt(3)) {
                case 0 -> ascii("[".repeat(depth));
                case 1 -> ascii("{\"title\":\"T\",\"wishes\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
                default -> ascii("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
            };
        }

        private static byte[] hugeNumber(Random random) {
            String number = switch (random.nextInt(5)) {
                case 0 -> "9".repeat(1_000 + random.nextInt(100_000));
                case 1 -> "1e" + "9".repeat(1 + random.nextInt(50));
                case 2 -> "-0." + "0".repeat(5_000) + "1";
                case 3 -> "1" + "0".repeat(20);
                default -> "1.5e-99999999999";
            };
            return ascii(switch (random.nextInt(3)) {
                case 0 -> "{\"title\":\"T\",\"perUserLimit\":" + number + ",\"wishes\":[{\"title\":\"w\"}]}";
                case 1 -> "{\"title\":\"T\",\"wishes\":[{\"title\":\"w\",\"quantity\":" + number + "}]}";
                default -> "{\"rating\":" + number + "}";
            });
        }

        /** A request whose body is {@code body}, correctly framed, to a JSON-reading organiser route. */
        private static byte[] body(Random random, byte[] body) {
            String path = random.nextInt(4) == 0 ? "/api/claims/cl-1/confirm" : "/api/campaigns";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"));
            out.writeBytes(body);
            return out.toByteArray();
        }

        private static byte[] insertNuls(Random random, byte[] request) {
            byte[] out = request;
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                int at = random.nextInt(out.length + 1);
                byte[] next = new byte[out.length + 1];
                System.arraycopy(out, 0, next, 0, at);
                System.arraycopy(out, at, next, at + 1, out.length - at);
                out = next;
            }
            return out;
        }

        private static byte[] truncate(Random random, byte[] request) {
            return Arrays.copyOf(request, 1 + random.nextInt(request.length - 1));
        }

        private String badContentLength(Random random) {
            String cl = switch (random.nextInt(9)) {
                case 0 -> "Content-Length: -1";
                case 1 -> "Content-Length: 99999999999999999999";
                case 2 -> "Content-Length: abc";
                case 3 -> "Content-Length: 5\r\nContent-Length: 7";
                case 4 -> "Content-Length: 5, 5";
                case 5 -> "Content-Length: 10\r\nTransfer-Encoding: chunked";
                case 6 -> "Content-Length: 2000000";                       // over the 1 MiB limit
                case 7 -> "Content-Length: 40\r\nExpect: 100-continue";
                default -> "Content-Length:  0x10";
            };
            return "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN + "\r\n" + cl
                    + "\r\n\r\n{\"title\":\"T\",\"wishes\":[{\"title\":\"w\"}]}";
        }

        private String badHeaderSyntax(Random random) {
            String header = switch (random.nextInt(8)) {
                case 0 -> "NoColonHere";
                case 1 -> "Bad Name: x";
                case 2 -> "Authorization : Bearer " + user;
                case 3 -> "X-Fold: a\r\n  folded continuation";
                case 4 -> ": empty name";
                case 5 -> "X-Ctl: a\u0001b\u007fc";
                case 6 -> "Host: a\r\nHost: b";
                default -> "X-Latin: \u00e9\u00ff";
            };
            return withHeader(random, header);
        }

        private String badToken(Random random) {
            return switch (random.nextInt(6)) {
                case 0 -> user.substring(0, random.nextInt(user.length()));
                case 1 -> user + "." + user;
                case 2 -> user.replace('.', random.nextBoolean() ? '_' : '=');
                case 3 -> "a".repeat(random.nextInt(10_000));
                case 4 -> new String(randomBytes(random, 64), StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "");
                default -> "e30." + "e30." + "x".repeat(43);
            };
        }

        private byte[] pipelinedMix(Random random) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0, n = 2 + random.nextInt(6); i < n; i++) {
                byte[] request = ascii(pickOf(random, valid));
                out.writeBytes(random.nextInt(3) == 0 ? mutate(random, request) : request);
            }
            return out.toByteArray();
        }

        private static byte[] mutate(Random random, byte[] request) {
            byte[] out = request.clone();
            for (int i = 0, n = 1 + random.nextInt(6); i < n && out.length > 1; i++) {
                int at = random.nextInt(out.length);
                switch (random.nextInt(5)) {
                    case 0 -> out[at] = (byte) random.nextInt(256);                      // replace a byte
                    case 1 -> out[at] ^= (byte) (1 << random.nextInt(8));                  // flip a bit
                    case 2 -> {                                                            // delete a range
                        int length = Math.min(out.length - at, 1 + random.nextInt(20));
                        byte[] next = new byte[out.length - length];
                        System.arraycopy(out, 0, next, 0, at);
                        System.arraycopy(out, at + length, next, at, out.length - at - length);
                        out = next;
                    }
                    case 3 -> {                                                            // duplicate a range
                        int length = Math.min(out.length - at, 1 + random.nextInt(40));
                        byte[] next = new byte[out.length + length];
                        System.arraycopy(out, 0, next, 0, at + length);
                        System.arraycopy(out, at, next, at + length, out.length - at);
                        out = next;
                    }
                    default -> out[at] = (byte) "\r\n:; \t/%\"{}[]0".charAt(random.nextInt(14));
                }
            }
            return out;
        }

        private static byte[] randomBytes(Random random, int n) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            return bytes;
        }

        private static <T> T pickOf(Random random, T[] items) {
            return items[random.nextInt(items.length)];
        }

        private static <T> T pickOf(Random random, List<T> items) {
            return items.get(random.nextInt(items.size()));
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
