package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.WishEngine;
import org.wishengine.wish.config.EngineConfig;
import org.wishengine.wish.store.LocalRedis;
import picocli.CommandLine;

/**
 * Starts a real engine in this JVM on a Redis started by the test, runs {@code grab} for about
 * two seconds on a few connections, and checks that it completed, saw claims, and found every
 * invariant intact. Also drives the ceiling server once, and two ceilings at once to see both get
 * traffic. No timing assertions.
 */
class GrabSmokeTest {

    private static final String ADMIN = "smoke-admin-token";
    private static final String SECRET = "smoke-user-token-secret-0123456789";

    @Test
    @Timeout(90)
    void shouldRunAFlashGrabAgainstARealEngineWithoutViolations(@TempDir Path dir) throws Exception {
        try (LocalRedis redis = LocalRedis.start(dir.resolve("redis"));
             WishEngine engine = WishEngine.start(
                     EngineConfig.defaults(redis.uri(), dir.resolve("data"), ADMIN, SECRET).withPort(0))) {
            Path reports = dir.resolve("report");
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            GrabCommand grab = parse("grab", "--url", "http://127.0.0.1:" + engine.port(),
                    "--admin-token", ADMIN, "--token-secret", SECRET,
                    "--wishes", "50", "--quantity", "1-3", "--users", "500", "--per-user-limit", "2",
                    "--connections", "4", "--duration", "2s", "--seed", "7",
                    "--report-dir", reports.toString());
            grab.out = new PrintStream(console, true, StandardCharsets.UTF_8);

            GrabCommand.Outcome outcome = grab.grab();

            String text = console.toString(StandardCharsets.UTF_8);
            assertTrue(outcome.result().requests() > 0, text);
            assertTrue(outcome.result().count(201) > 0, text);
            assertEquals(outcome.result().count(201), outcome.result().acked().size(), text);
            assertEquals(0, outcome.result().ackedBodyMismatches(), text);
            assertEquals(0, outcome.result().ioErrors(), text);
            assertEquals(java.util.List.of(), outcome.violations(), text);
            assertTrue(text.contains("invariants: OK"), text);
            assertTrue(Files.readString(reports.resolve("report.json")).contains("\"claimsPerSecond\""));
            assertTrue(Files.readString(reports.resolve("report.html")).contains("<svg"));
        }
    }

    @Test
    @Timeout(60)
    void shouldWriteIntervalRowsShorterThanTheProgressLinesSecond(@TempDir Path dir) throws Exception {
        try (CeilingServer ceiling = new CeilingServer(1)) {
            int port = ceiling.start("127.0.0.1", 0);
            Path csv = dir.resolve("intervals.csv");
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            GrabCommand grab = parse("grab", "--ceiling", "--url", "http://127.0.0.1:" + port,
                    "--wishes", "50", "--users", "500", "--connections", "4", "--rate", "2000",
                    "--duration", "2s", "--interval", "100ms", "--interval-csv", csv.toString());
            grab.out = new PrintStream(console, true, StandardCharsets.UTF_8);

            grab.grab();

            List<String> rows = Files.readAllLines(csv);
            List<String> measured = rows.stream().filter(row -> row.contains(",measured,")).toList();
            long progressLines = console.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("req/s")).count();
            // 2 s in rows of 100 ms: about 20 (the first and last may be partial), while the
            // progress line still comes once a second.
            assertTrue(measured.size() >= 15 && measured.size() <= 25, rows.toString());
            assertTrue(progressLines >= 1 && progressLines <= 4, console.toString(StandardCharsets.UTF_8));
            long answered = measured.stream().mapToLong(row -> Long.parseLong(row.split(",")[3])).sum();
            assertTrue(answered > 3000 && answered < 5000, rows.toString());
        }
    }

    @Test
    @Timeout(60)
    void shouldSayWhenTheOpenLoopsConnectionsFellBehindTheirSchedule() throws Exception {
        try (CeilingServer ceiling = new CeilingServer(1)) {
            int port = ceiling.start("127.0.0.1", 0);
            // One connection due every 10 us: no answer comes back that fast, so nearly every
            // request goes out late, and the summary says the latency measured the backlog.
            String behind = openLoop(port, "1", "100000");
            assertTrue(behind.contains("the connections fell behind their schedule"), behind);
            double share = Double.parseDouble(behind.replaceAll("(?s).*open loop: ([0-9.]+)% .*", "$1"));
            assertTrue(share > 50, behind);
            assertTrue(behind.contains("turn (0.01 ms)"), behind);

            // Four connections due every 10 ms each: answers come back long before the next turn.
            String onTime = openLoop(port, "4", "400");
            assertTrue(onTime.contains("turn (10.00 ms)"), onTime);
            assertFalse(onTime.contains("fell behind"), onTime);
        }
    }

    private String openLoop(int port, String connections, String rate) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        GrabCommand grab = parse("grab", "--ceiling", "--url", "http://127.0.0.1:" + port,
                "--wishes", "50", "--users", "500", "--connections", connections, "--rate", rate,
                "--warmup", "200ms", "--duration", "1s");
        grab.out = new PrintStream(console, true, StandardCharsets.UTF_8);
        grab.grab();
        return console.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("open loop:"))
                .findFirst().orElse("no open loop line in:\n" + console.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(60)
    void shouldDriveTheCeilingWithTheSameMix() throws Exception {
        try (CeilingServer ceiling = new CeilingServer(1)) {
            int port = ceiling.start("127.0.0.1", 0);
            GrabCommand grab = parse("grab", "--ceiling", "--url", "http://127.0.0.1:" + port,
                    "--wishes", "50", "--users", "500", "--connections", "4", "--requests", "2000");
            grab.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

            GrabCommand.Outcome outcome = grab.grab();

            assertEquals(2000, outcome.result().requests());
            assertEquals(2000, outcome.result().count(201));
            assertEquals(java.util.List.of(), outcome.violations());
        }
    }

    @Test
    @Timeout(60)
    void shouldSpreadTheConnectionsOverTwoCeilingsRoundRobin() throws Exception {
        try (CeilingServer first = new CeilingServer(1); CeilingServer second = new CeilingServer(1)) {
            URI a = URI.create("http://127.0.0.1:" + first.start("127.0.0.1", 0));
            URI b = URI.create("http://127.0.0.1:" + second.start("127.0.0.1", 0));
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            GrabCommand grab = parse("grab", "--ceiling", "--url", a + "," + b,
                    "--wishes", "50", "--users", "500", "--connections", "4", "--requests", "2000");
            grab.out = new PrintStream(console, true, StandardCharsets.UTF_8);

            GrabCommand.Outcome outcome = grab.grab();

            String text = console.toString(StandardCharsets.UTF_8);
            List<LoadClient.UrlCount> perUrl = outcome.result().perUrl();
            assertEquals(List.of(a, b), perUrl.stream().map(LoadClient.UrlCount::url).toList(), text);
            for (LoadClient.UrlCount url : perUrl) {
                assertEquals(2, url.connections(), text);
                assertTrue(url.requests() > 0, "no traffic to " + url.url() + "\n" + text);
                assertEquals(url.requests(), url.claims(), text);
            }
            assertEquals(2000, perUrl.stream().mapToLong(LoadClient.UrlCount::requests).sum(), text);
            assertEquals(2000, outcome.result().count(201), text);
            assertTrue(text.contains("  " + a + "  2  "), text);
            assertTrue(text.contains("  " + b + "  2  "), text);
        }
    }

    private static GrabCommand parse(String... args) {
        CommandLine line = new CommandLine(new LoadMain());
        CommandLine.ParseResult parsed = line.parseArgs(args);
        return (GrabCommand) parsed.subcommand().commandSpec().userObject();
    }
}
