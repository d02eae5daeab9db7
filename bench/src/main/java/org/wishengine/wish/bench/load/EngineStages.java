package org.wishengine.wish.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's own split of a claim's time over the measured window: its {@code /metrics} read
 * when the window opens and when it closes, and the difference of the histograms
 * {@code wish_claim_stage_seconds} (ring, batch, store, answer; one claim in eight) and
 * {@code wish_claim_latency_seconds} (all of it) turned into percentiles. Set beside the load
 * generator's latencies it tells where the slow per cent spent its time inside the engine, and
 * how much of it was outside (the sockets, the load generator).
 */
final class EngineStages {

    /** A bucket line of a Prometheus histogram: name, labels, count. */
    private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{([^}]*)\\}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final List<String> ORDER = List.of("ring", "batch", "store", "answer", "total");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private static final Duration WARMING_EVERY = Duration.ofSeconds(2);

    private volatile boolean warmingDone;
    private volatile Thread warming;
    private volatile String opened;
    private volatile String closed;

    EngineStages(URI engine) {
        this.metrics = engine.resolve("/metrics");
    }

    /**
     * Reads the meters every {@link #WARMING_EVERY} until the window opens, and throws the readings
     * away, as a Prometheus server would have: an engine's first scrapes run interpreted (tens to
     * hundreds of milliseconds of CPU), and one made cold at the window's opening took a core from
     * the engine in the middle of the load (p99 17–44 ms in the window's first two seconds).
     */
    void warmUp() {
        Thread thread = new Thread(() -> {
            while (!warmingDone) {
                scrape();
                try {
                    TimeUnit.MILLISECONDS.sleep(WARMING_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "wish-load-metrics-warm-up");
        thread.setDaemon(true);
        warming = thread;
        thread.start();
    }

    /** Reads the meters as the window opens. */
    void windowOpened() {
        stopWarming();
        opened = scrape();
    }

    /** Ends the warm-up reads (the window opened, or the run ended before it did). */
    void stopWarming() {
        warmingDone = true;
        Thread thread = warming;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads the meters as the window closes. */
    void windowClosed() {
        closed = scrape();
    }

    private String scrape() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** One line for the report, or a line saying why there is none. */
    String summary() {
        if (opened == null || closed == null) {
            return "engine's own split: not read (its /metrics did not answer at both ends of the window)";
        }
        Map<String, Stage> stages = between(opened, closed);
        if (stages.isEmpty()) {
            return "engine's own split: no claims recorded in the window (an engine without wish_claim_stage?)";
        }
        StringBuilder line = new StringBuilder("engine's own split, p50 / p99 / p99.9 in ms:");
        for (Stage stage : stages.values()) {
            line.append(String.format(Locale.ROOT, " %s %s / %s / %s |", stage.name, ms(stage.quantile(0.5)),
                    ms(stage.quantile(0.99)), ms(stage.quantile(0.999))));
        }
        line.setLength(line.length() - 2);
        return line.append(" (each a histogram bucket's upper bound)").toString();
    }

    private static String ms(double seconds) {
        return Double.isInfinite(seconds) ? "inf" : String.format(Locale.ROOT, "%.2f", seconds * 1000);
    }

    /**
     * The stages' histograms in {@code after} less those in {@code before}, in the order ring,
     * batch, store, answer, total; stages with no claim in between are left out.
     */
    static Map<String, Stage> between(String before, String after) {
        Map<String, TreeMap<Double, Double>> start = buckets(before);
        Map<String, Stage> stages = new LinkedHashMap<>();
        Map<String, TreeMap<Double, Double>> end = buckets(after);
        for (String name : ORDER) {
            TreeMap<Double, Double> last = end.get(name);
            if (last == null) {
                continue;
            }
            TreeMap<Double, Double> first = start.getOrDefault(name, new TreeMap<>());
            TreeMap<Double, Double> delta = new TreeMap<>();
            last.forEach((le, count) -> delta.put(le, count - first.getOrDefault(le, 0.0)));
            Stage stage = new Stage(name, delta);
            if (stage.count() > 0) {
                stages.put(name, stage);
            }
        }
        return stages;
    }

    /** Cumulative bucket counts by upper bound, per stage ("total" for the claim latency). */
    private static Map<String, TreeMap<Double, Double>> buckets(String text) {
        Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher bucket = BUCKET.matcher(line);
            if (!bucket.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(bucket.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            String stage = switch (bucket.group(1)) {
                case "wish_claim_stage_seconds" -> labels.get("stage");
                case "wish_claim_latency_seconds" -> "total";
                default -> null;
            };
            String le = labels.get("le");
            if (stage == null || le == null) {
                continue;
            }
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            buckets.computeIfAbsent(stage, s -> new TreeMap<>()).put(bound, Double.parseDouble(bucket.group(3)));
        }
        return buckets;
    }

    /** One stage's histogram over the window: cumulative counts by bucket upper bound (seconds). */
    record Stage(String name, TreeMap<Double, Double> cumulative) {

        double count() {
            return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        }

        /** The upper bound of the first bucket that holds the quantile {@code q} of the claims. */
        double quantile(double q) {
            double wanted = q * count();
            for (Map.Entry<Double, Double> entry : cumulative.entrySet()) {
                if (entry.getValue() >= wanted) {
                    return entry.getKey();
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }
}
