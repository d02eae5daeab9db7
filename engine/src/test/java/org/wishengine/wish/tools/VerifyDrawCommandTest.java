package org.wishengine.wish.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.DrawSeed;
import org.wishengine.wish.http.DrawAuditSamples;
import picocli.CommandLine;

class VerifyDrawCommandTest {

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** What one run of the command gave. */
    private record Run(int exit, String out, String err) {
    }

    @Test
    void shouldVerifyAGenuineRecord() throws IOException {
        DrawAudit audit = DrawAuditSamples.audit();

        Run run = verifyFile(DrawAuditSamples.drawnBody());

        assertEquals(0, run.exit(), run.toString());
        assertEquals("OK: commitment " + audit.commitment() + " matches the seed; drawn order of 12 entries and "
                + audit.winners().size() + " winners recomputed" + System.lineSeparator(), run.out());
        assertEquals("", run.err());
    }

    @Test
    void shouldFindAnEntryRemoved() throws IOException {
        ObjectNode tree = DrawAuditSamples.drawnTree();
        ((ArrayNode) tree.get("entries")).remove(3);

        Run run = verifyFile(DrawAuditSamples.bytes(tree));

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().startsWith("MISMATCH in drawn order at place "), run.out());
        assertEquals("", run.err());
    }

    @Test
    void shouldFindASeedThatIsNotTheCommittedOne() throws IOException {
        DrawSeed other = DrawSeed.parse("ff".repeat(DrawSeed.LENGTH));
        ObjectNode tree = DrawAuditSamples.drawnTree();
        tree.put("seed", other.hex());

        Run run = verifyFile(DrawAuditSamples.bytes(tree));

        assertEquals(1, run.exit(), run.toString());
        assertEquals("MISMATCH in commitment: expected " + other.commitment() + ", found "
                + DrawAuditSamples.SEED.commitment() + System.lineSeparator(), run.out());
    }

    @Test
    void shouldFindTwoWinnersSwapped() throws IOException {
        List<String> winners = DrawAuditSamples.audit().winners();
        ObjectNode tree = DrawAuditSamples.drawnTree();
        ArrayNode published = (ArrayNode) tree.get("winners");
        published.set(0, winners.get(1));
        published.set(1, winners.get(0));

        Run run = verifyFile(DrawAuditSamples.bytes(tree));

        assertEquals(1, run.exit(), run.toString());
        assertEquals("MISMATCH in winner number 0: expected " + winners.get(0) + ", found " + winners.get(1)
                + System.lineSeparator(), run.out());
    }

    @Test
    void shouldRefuseAFileThatIsNotJson() throws IOException {
        Run run = verifyFile("campaign c-7 was drawn fairly, trust us".getBytes(StandardCharsets.UTF_8));

        assertEquals(2, run.exit(), run.toString());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("cannot parse the draw record from " + dir.resolve("draw.json")
                + ": not a JSON draw record"), run.err());
    }

    @Test
    void shouldSayADrawNotMadeYet() throws IOException {
        Run run = verifyFile(DrawAuditSamples.pendingBody(5));

        assertEquals(2, run.exit(), run.toString());
        assertEquals("", run.out());
        assertEquals("campaign c-7 is not drawn yet, drawAt 2026-12-24T20:00:10Z" + System.lineSeparator(), run.err());
    }

    @Test
    void shouldSayAFileIsMissing() {
        Run run = run("--file", dir.resolve("nowhere.json").toString());

        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("nowhere.json: no such file"), run.err());
    }

    @Test
    void shouldWantExactlyOneSource() {
        String either = "give either --url with --campaign, or --file (exactly one of the two)";
        Run none = run();
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains(either), none.err());

        Run both = run("--file", "draw.json", "--url", "http://127.0.0.1:1", "--campaign", "c-1");
        assertEquals(2, both.exit(), both.toString());
        assertTrue(both.err().contains(either), both.err());

        Run half = run("--url", "http://127.0.0.1:1");
        assertEquals(2, half.exit(), half.toString());
        assertTrue(half.err().contains("--url and --campaign go together"), half.err());
    }

    @Test
    void shouldFetchAndVerifyARecordFromAUrl() throws IOException {
        String base = serve();

        Run run = run("--url", base, "--campaign", "c-7");
        Run slash = run("--url", base + "/", "--campaign", "c-7");

        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("OK: commitment " + DrawAuditSamples.SEED.commitment()), run.out());
        assertEquals(run, slash);
    }

    @Test
    void shouldSayACampaignWithoutADraw() throws IOException {
        String base = serve();

        Run run = run("--url", base, "--campaign", "c-9");

        assertEquals(2, run.exit(), run.toString());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("campaign c-9 has no fair-start draw ("), run.err());
        assertTrue(run.err().contains("answered 404: not_found (campaign c-9 is a plain grab)"), run.err());
    }

    @Test
    void shouldReportAnyOtherAnswerWithItsError() throws IOException {
        String base = serve();

        Run run = run("--url", base, "--campaign", "c-8");

        assertEquals(2, run.exit(), run.toString());
        assertEquals(base + "/api/campaigns/c-8/draw answered 503: unavailable (the writer is restarting)"
                + System.lineSeparator(), run.err());
    }

    @Test
    void shouldSayWhyAUrlCannotBeFetched() throws IOException {
        String base = serve();
        server.stop(0);
        server = null;

        Run run = run("--url", base, "--campaign", "c-7");

        assertEquals(2, run.exit(), run.toString());
        assertEquals("", run.out());
        assertEquals("cannot fetch " + base + "/api/campaigns/c-7/draw: cannot connect to "
                + base.substring("http://".length()) + System.lineSeparator(), run.err());
    }

    @Test
    void shouldRefuseACampaignIdThatIsNotOne() throws IOException {
        Run run = run("--url", serve(), "--campaign", "c-7/../../admin");

        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("not a campaign id: c-7/../../admin"), run.err());
    }

    private Run verifyFile(byte[] body) throws IOException {
        Path file = dir.resolve("draw.json");
        Files.write(file, body);
        return run("--file", file.toString());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new VerifyDrawCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * Serves draw records as an engine would: c-7's genuine one, 503 for c-8, 404 for any other.
     * A file server, not a stand-in for the engine's logic: the record itself is the real codec's.
     */
    private String serve() throws IOException {
        byte[] record = DrawAuditSamples.drawnBody();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/campaigns/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "{\"error\":\"method_not_allowed\",\"message\":\"GET only\"}");
            } else if (path.equals("/api/campaigns/c-7/draw")) {
                answer(exchange, 200, record);
            } else if (path.equals("/api/campaigns/c-8/draw")) {
                answer(exchange, 503, "{\"error\":\"unavailable\",\"message\":\"the writer is restarting\"}");
            } else {
                String campaign = path.replaceAll("^/api/campaigns/([^/]*)/draw$", "$1");
                answer(exchange, 404, "{\"error\":\"not_found\",\"message\":\"campaign " + campaign
                        + " is a plain grab\"}");
            }
        });
        server.start();
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        answer(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
