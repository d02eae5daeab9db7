package org.wishengine.wish.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The summary of one run: printed to the console, written as {@code report.json} and as
 * {@code report.html} (the latency percentile distribution as an inline SVG chart; no scripts,
 * no external resources, so the file opens anywhere, offline).
 */
final class Report {

    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> settings;
    private final LoadClient.Result result;
    private final boolean invariantsChecked;
    private final List<InvariantChecker.Violation> violations;
    private final Map<String, Object> campaign;

    Report(Map<String, Object> settings, LoadClient.Result result, boolean invariantsChecked,
           List<InvariantChecker.Violation> violations, Map<String, Object> campaign) {
        this.settings = settings;
        this.result = result;
        this.invariantsChecked = invariantsChecked;
        this.violations = violations;
        this.campaign = campaign;
    }

    /** The summary as a JSON-ready map (the content of {@code report.json}). */
    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("settings", settings);
        summary.put("seconds", round(result.seconds()));
        summary.put("requests", result.requests());
        summary.put("requestsPerSecond", round(result.requestsPerSecond()));
        summary.put("claims", result.count(201));
        summary.put("claimsPerSecond", round(result.claimsPerSecond()));
        if (severalUrls()) {
            List<Map<String, Object>> perUrl = new ArrayList<>();
            for (LoadClient.UrlCount url : result.perUrl()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("url", url.url().toString());
                entry.put("connections", url.connections());
                entry.put("requests", url.requests());
                entry.put("claims", url.claims());
                entry.put("claimsPerSecond", round(result.claimsPerSecond(url)));
                perUrl.add(entry);
            }
            summary.put("perUrl", perUrl);
        }
        Map<String, Long> statuses = new LinkedHashMap<>();
        result.statuses().forEach((code, count) -> statuses.put(Integer.toString(code), count));
        summary.put("statuses", statuses);
        summary.put("ioErrors", result.ioErrors());
        summary.put("unanswered", result.unanswered());
        Histogram latency = result.latencyMicros();
        Map<String, Object> millis = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            millis.put("p" + trim(p), ms(latency.getValueAtPercentile(p)));
        }
        millis.put("max", ms(latency.getMaxValue()));
        millis.put("mean", round(latency.getMean() / 1000.0));
        summary.put("latencyMillis", millis);
        if (campaign != null) {
            summary.put("campaign", campaign);
        }
        Map<String, Object> invariants = new LinkedHashMap<>();
        invariants.put("checked", invariantsChecked);
        invariants.put("acknowledgedClaims", result.acked().size());
        invariants.put("bodyMismatches", result.ackedBodyMismatches());
        invariants.put("violationCount", violations.size());
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < Math.min(1000, violations.size()); i++) {
            listed.add(violations.get(i).toString());
        }
        invariants.put("violations", listed);
        summary.put("invariants", invariants);
        return summary;
    }

    /** The console summary printed at the end of a run. */
    String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%n=== %s: %,d requests in %.2f s ===%n", settings.get("mode"),
                result.requests(), result.seconds()));
        text.append(String.format(Locale.ROOT, "requests/s  %,12.0f%n", result.requestsPerSecond()));
        text.append(String.format(Locale.ROOT, "claims/s    %,12.0f   (201 Created per second)%n",
                result.claimsPerSecond()));
        if (severalUrls()) {
            // Indented under a heading, so that scripts grepping "^claims/s" or "^ +NNN " see only the totals.
            text.append("per URL: connections, requests, claims/s\n");
            for (LoadClient.UrlCount url : result.perUrl()) {
                text.append(String.format(Locale.ROOT, "  %s  %,d  %,d  %,.0f%n", url.url(), url.connections(),
                        url.requests(), result.claimsPerSecond(url)));
            }
        }
        text.append("status  count\n");
        result.statuses().forEach((code, count) -> text.append(String.format(Locale.ROOT, "%6d  %,d%n", code, count)));
        if (result.ioErrors() > 0 || result.unanswered() > 0) {
            text.append(String.format(Locale.ROOT, "io errors %,d, unanswered %,d%n", result.ioErrors(),
                    result.unanswered()));
        }
        Histogram latency = result.latencyMicros();
        text.append("latency ");
        for (double p : PERCENTILES) {
            text.append(String.format(Locale.ROOT, " p%s %.2f ms ", trim(p), latency.getValueAtPercentile(p) / 1000.0));
        }
        text.append(String.format(Locale.ROOT, " max %.2f ms%n", latency.getMaxValue() / 1000.0));
        if (invariantsChecked) {
            if (violations.isEmpty()) {
                text.append(String.format(Locale.ROOT, "invariants: OK (%,d acknowledged claims checked against the ledger)%n",
                        result.acked().size()));
            } else {
                text.append(String.format(Locale.ROOT, "invariants: %,d VIOLATIONS%n", violations.size()));
                for (int i = 0; i < Math.min(20, violations.size()); i++) {
                    text.append("  ").append(violations.get(i)).append('\n');
                }
            }
        } else {
            text.append("invariants: not checked (ceiling run)\n");
        }
        return text.toString();
    }

    /** Per-URL figures are shown only for a multi-node run: one URL's output stays as it always was. */
    private boolean severalUrls() {
        return result.perUrl().size() > 1;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        MAPPER.writeValue(dir.resolve("report.json").toFile(), summary());
        Files.writeString(dir.resolve("report.html"), html(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ HTML

    String html() {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wish-load ")
                .append(esc(String.valueOf(settings.get("mode")))).append(" report</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;")
                .append("text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}")
                .append(".bad{color:#b00}.ok{color:#070}</style></head><body>\n");
        html.append("<h1>Flash-grab ").append(esc(String.valueOf(settings.get("mode")))).append(" run</h1>\n");
        html.append(String.format(Locale.ROOT, "<p><b>%,.0f requests/s</b>, <b>%,.0f claims/s</b> (201 per second); "
                        + "%,d requests in %.2f s.</p>%n", result.requestsPerSecond(), result.claimsPerSecond(),
                result.requests(), result.seconds()));
        if (severalUrls()) {
            html.append("<h2>Per URL</h2>\n<table><tr><th class=\"l\">URL</th><th>connections</th><th>requests</th>"
                    + "<th>claims</th><th>claims/s</th></tr>");
            for (LoadClient.UrlCount url : result.perUrl()) {
                html.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%d</td><td>%,d</td><td>%,d</td>"
                        + "<td>%,.0f</td></tr>", esc(url.url().toString()), url.connections(), url.requests(),
                        url.claims(), result.claimsPerSecond(url)));
            }
            html.append("</table>\n");
        }
        html.append("<h2>Settings</h2>\n<table>");
        settings.forEach((k, v) -> html.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">")
                .append(esc(String.valueOf(v))).append("</td></tr>"));
        html.append("</table>\n<h2>Status codes</h2>\n<table><tr><th>status</th><th>count</th><th>share</th></tr>");
        result.statuses().forEach((code, count) -> html.append(String.format(Locale.ROOT,
                "<tr><td>%d</td><td>%,d</td><td>%.2f%%</td></tr>", code, count,
                result.requests() == 0 ? 0.0 : 100.0 * count / result.requests())));
        html.append("</table>\n");
        Histogram latency = result.latencyMicros();
        html.append("<h2>Latency</h2>\n<table><tr>");
        for (double p : PERCENTILES) {
            html.append("<th>p").append(trim(p)).append("</th>");
        }
        html.append("<th>max</th></tr><tr>");
        for (double p : PERCENTILES) {
            html.append(String.format(Locale.ROOT, "<td>%.2f ms</td>", latency.getValueAtPercentile(p) / 1000.0));
        }
        html.append(String.format(Locale.ROOT, "<td>%.2f ms</td></tr></table>%n", latency.getMaxValue() / 1000.0));
        html.append(svg(latency));
        html.append("<h2>Invariants</h2>\n");
        if (!invariantsChecked) {
            html.append("<p>Not checked (ceiling run).</p>\n");
        } else if (violations.isEmpty()) {
            html.append(String.format(Locale.ROOT, "<p class=\"ok\">All hold: %,d acknowledged claims found in the "
                    + "ledger.</p>%n", result.acked().size()));
        } else {
            html.append(String.format(Locale.ROOT, "<p class=\"bad\">%,d violations</p><ul>", violations.size()));
            for (int i = 0; i < Math.min(200, violations.size()); i++) {
                html.append("<li>").append(esc(violations.get(i).toString())).append("</li>");
            }
            html.append("</ul>\n");
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    /** Latency by percentile on a "nines" axis (log of 1/(1-p)), as HdrHistogram plots it. */
    static String svg(Histogram latency) {
        int width = 760;
        int height = 360;
        int left = 70;
        int right = 20;
        int top = 20;
        int bottom = 50;
        double maxNines = 5; // 99.999%
        List<double[]> points = new ArrayList<>();
        if (latency.getTotalCount() > 0) {
            for (HistogramIterationValue v : latency.percentiles(5)) {
                double p = Math.min(v.getPercentileLevelIteratedTo() / 100.0, 1 - Math.pow(10, -maxNines));
                points.add(new double[] {-Math.log10(1 - p), v.getValueIteratedTo() / 1000.0});
            }
        }
        double maxMs = 0;
        for (double[] point : points) {
            maxMs = Math.max(maxMs, point[1]);
        }
        maxMs = niceCeiling(Math.max(maxMs, 0.001));
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"#fafafa\" "
                + "stroke=\"#999\"/>%n", left, top, plotW, plotH));
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int n = 0; n <= maxNines; n++) {
            double x = left + plotW * n / maxNines;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n", x, top, x, top + plotH, x,
                    top + plotH + 16, labels[n]));
        }
        for (int i = 0; i <= 5; i++) {
            double value = maxMs * i / 5;
            double y = top + plotH - plotH * i / 5;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, y, left + plotW, y, left - 6,
                    y + 4, trim(round(value))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                left + plotW / 2, height - 8));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.0f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.0f)\">latency (ms)</text>%n", top + plotH / 2, top + plotH / 2));
        if (!points.isEmpty()) {
            svg.append("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"");
            for (double[] point : points) {
                double x = left + plotW * Math.min(point[0], maxNines) / maxNines;
                double y = top + plotH - plotH * point[1] / maxMs;
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("\"/>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
