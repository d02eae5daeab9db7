package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Several {@code --url}s: how they are parsed, how connections are assigned to them, and that
 * the report adds per-URL figures only when there are several (one URL's output is unchanged).
 */
class MultiUrlTest {

    private static final URI A = URI.create("http://h1:8081");
    private static final URI B = URI.create("http://h2:8082");
    private static final URI C = URI.create("http://h3:8083");

    @Test
    void shouldDefaultToTheLocalEngineWithoutUrl() {
        assertEquals(List.of(URI.create("http://127.0.0.1:8080")), parse().urls());
    }

    @Test
    void shouldTakeOneUrlAsGiven() {
        assertEquals(List.of(A), parse("--url", A.toString()).urls());
    }

    @Test
    void shouldCollectRepeatedAndCommaSeparatedUrlsInOrder() {
        assertEquals(List.of(A, B), parse("--url", A.toString(), "--url", B.toString()).urls());
        assertEquals(List.of(A, B), parse("--url", A + "," + B).urls());
        assertEquals(List.of(A, B, C), parse("--url", A + "," + B, "--url", C.toString()).urls());
    }

    @Test
    void shouldRefuseFewerConnectionsThanUrlsAndNonHttpUrls() {
        GrabCommand tooFew = parse("--ceiling", "--url", A + "," + B + "," + C, "--connections", "2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tooFew::grab);
        assertTrue(e.getMessage().contains("--connections"), e.getMessage());

        GrabCommand https = parse("--ceiling", "--url", A + ",https://h2:443");
        e = assertThrows(IllegalArgumentException.class, https::grab);
        assertTrue(e.getMessage().contains("https://h2:443"), e.getMessage());
    }

    @Test
    void shouldAssignConnectionsRoundRobin() {
        LoadClient.Settings settings = settings(List.of(A, B, C), 7);
        List<URI> assigned = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            assigned.add(settings.url(i));
        }
        assertEquals(List.of(A, B, C, A, B, C, A), assigned);
        assertEquals(A, settings(List.of(A), 3).url(2));
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(), 1));
    }

    @Test
    void shouldReportOneUrlWithoutPerUrlFigures() {
        Report report = report(List.of(new LoadClient.UrlCount(A, 4, 1000, 600)));

        assertFalse(report.text().contains("per URL"), report.text());
        assertFalse(report.summary().containsKey("perUrl"));
        assertFalse(report.html().contains("Per URL"));
    }

    @Test
    void shouldReportEachUrlsRequestsAndClaimsPerSecondBesideTheTotal() {
        Report report = report(List.of(new LoadClient.UrlCount(A, 2, 600, 400),
                new LoadClient.UrlCount(B, 2, 400, 200)));

        String text = report.text();
        assertTrue(text.contains("  http://h1:8081  2  600  200\n"), text); // 400 claims in 2 s
        assertTrue(text.contains("  http://h2:8082  2  400  100\n"), text);
        // Scripts grep these prefixes for the totals: the per-URL lines must not match them.
        assertEquals(1, text.lines().filter(line -> line.startsWith("claims/s")).count(), text);
        assertEquals(List.of("   201  600", "   409  400"),
                text.lines().filter(line -> line.matches("^ +[0-9]{3} .*")).toList(), text);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perUrl = (List<Map<String, Object>>) report.summary().get("perUrl");
        assertEquals(List.of("http://h1:8081", "http://h2:8082"), perUrl.stream().map(m -> m.get("url")).toList());
        assertEquals(200.0, perUrl.get(0).get("claimsPerSecond"));
        assertEquals(400L, perUrl.get(1).get("requests"));
        assertTrue(report.html().contains("Per URL"));
    }

    private static Report report(List<LoadClient.UrlCount> perUrl) {
        TreeMap<Integer, Long> statuses = new TreeMap<>(Map.of(201, 600L, 409, 400L));
        Histogram latency = new Histogram(3_600_000_000L, 3);
        latency.recordValue(1500);
        LoadClient.Result result = new LoadClient.Result(1000, 2.0, statuses, 0, 0, latency, List.of(), 0, perUrl, 0);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", "ceiling");
        return new Report(settings, result, false, List.of(), null);
    }

    private static LoadClient.Settings settings(List<URI> urls, int connections) {
        return new LoadClient.Settings(urls, connections, 1, 0, Duration.ofSeconds(1), 0, Duration.ZERO,
                Duration.ofSeconds(1), 1);
    }

    private static GrabCommand parse(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "grab";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult parsed = new CommandLine(new LoadMain()).parseArgs(all);
        return (GrabCommand) parsed.subcommand().commandSpec().userObject();
    }
}
