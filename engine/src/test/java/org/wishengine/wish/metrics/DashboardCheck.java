package org.wishengine.wish.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks the Grafana dashboard ({@code engine/grafana/wish-engine-dashboard.json}) against a
 * scrape of the engine's meters: every series a query selects must be one the engine exports,
 * with labels (and literal label values) the engine really puts on it. Shared by
 * {@link DashboardTest} (a real {@link EngineMetrics} registry) and {@code MetricsIT} (a running
 * engine's {@code /metrics}).
 */
public final class DashboardCheck {

    public static final String FILE_NAME = "wish-engine-dashboard.json";
    /** Labels Prometheus itself attaches to every scraped series (the target's labels). */
    public static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A regex that is only an alternation of literal words: each word is checkable as a value. */
    private static final Pattern LITERAL_ALTERNATION = Pattern.compile("[A-Za-z0-9_./{}-]+(\\|[A-Za-z0-9_./{}-]+)*");

    /** One query of the dashboard, and where it is (for failure messages). */
    public record Query(String where, String expr) {
    }

    private DashboardCheck() {
    }

    /** The dashboard file, from the engine module's directory (Maven) or the repository root (IDE). */
    public static Path path() {
        for (Path candidate : List.of(Path.of("grafana", FILE_NAME), Path.of("engine", "grafana", FILE_NAME))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find grafana/" + FILE_NAME + " from " + Path.of("").toAbsolutePath());
    }

    public static JsonNode load() {
        try {
            return MAPPER.readTree(path().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, the panels nested in (collapsed) rows included, rows themselves included. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                all.add(nested);
            }
        }
        return all;
    }

    /** Every PromQL expression: panel targets, then query variables. */
    public static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' target "
                        + target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            queries.add(new Query("variable $" + variable.path("name").asText(), text));
        }
        return queries;
    }

    /** Every metric name the dashboard's queries select. */
    public static Set<String> metricNames(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (Query query : queries(dashboard)) {
            names.addAll(analyse(query.expr()).metricNames());
        }
        return names;
    }

    /**
     * Everything wrong with the dashboard's queries against {@code exported}: unreadable queries,
     * unknown functions, metric names the engine does not export, label names the metric does not
     * carry, literal label values the metric never has. Empty when all is well.
     */
    public static List<String> problems(JsonNode dashboard, Exposition exported) {
        List<String> problems = new ArrayList<>();
        Set<String> names = exported.names();
        for (Query query : queries(dashboard)) {
            PromQl.Analysis analysis;
            try {
                analysis = analyse(query.expr());
            } catch (IllegalArgumentException e) {
                problems.add(query.where() + ": " + e.getMessage());
                continue;
            }
            if (query.expr().isBlank()) {
                problems.add(query.where() + ": empty query");
                continue;
            }
            for (String call : analysis.calls()) {
                if (!PromQl.FUNCTIONS.contains(call) && !PromQl.AGGREGATIONS.contains(call)
                        && !call.equals("label_values") && !call.equals("query_result")) {
                    problems.add(query.where() + ": unknown function " + call + "() in " + query.expr());
                }
            }
            Set<String> labelsInScope = new TreeSet<>(TARGET_LABELS);
            for (PromQl.Selector selector : analysis.selectors()) {
                String metric = selector.metric();
                if (!names.contains(metric)) {
                    problems.add(query.where() + ": " + metric + " is not exported by the engine" + hint(metric, names)
                            + " (in " + query.expr() + ")");
                    continue;
                }
                Set<String> labels = exported.labelNames(metric);
                labelsInScope.addAll(labels);
                for (PromQl.Matcher matcher : selector.matchers()) {
                    String label = matcher.label();
                    if (TARGET_LABELS.contains(label) || label.equals("__name__")) {
                        continue;
                    }
                    if (!labels.contains(label)) {
                        problems.add(query.where() + ": " + metric + " has no label '" + label + "' (it has "
                                + labels + ")");
                        continue;
                    }
                    problems.addAll(valueProblems(query, metric, matcher, exported.labelValues(metric, label)));
                }
            }
            for (String label : analysis.groupingLabels()) {
                if (!labelsInScope.contains(label)) {
                    problems.add(query.where() + ": groups by '" + label + "', which none of its metrics carries "
                            + labelsInScope);
                }
            }
            if (query.where().startsWith("variable")) {
                String label = labelValuesLabel(query.expr());
                if (label != null && !labelsInScope.contains(label)) {
                    problems.add(query.where() + ": label_values of '" + label + "', which its metric lacks");
                }
            }
        }
        return problems;
    }

    /**
     * The exported wish_* metric families (from the exposition's {@code # TYPE} lines, the
     * {@code _max} companions of timers and summaries aside) that no query of the dashboard shows.
     */
    public static Set<String> familiesNotShown(JsonNode dashboard, Exposition exported) {
        Set<String> used = metricNames(dashboard);
        Set<String> missing = new TreeSet<>();
        for (String family : exported.types().keySet()) {
            if (!family.startsWith("wish_") || family.endsWith("_max")) {
                continue;
            }
            boolean shown = used.stream().anyMatch(name -> name.equals(family) || name.startsWith(family + "_"));
            if (!shown) {
                missing.add(family);
            }
        }
        return missing;
    }

    private static List<String> valueProblems(Query query, String metric, PromQl.Matcher matcher, Set<String> seen) {
        String value = matcher.value();
        if (value.contains("$")) {
            return List.of(); // a Grafana variable: its values come from Prometheus
        }
        List<String> literals = new ArrayList<>();
        if (matcher.op().equals("=") || matcher.op().equals("!=")) {
            literals.add(value);
        } else if (LITERAL_ALTERNATION.matcher(value).matches()) {
            literals.addAll(List.of(value.split("\\|")));
        }
        List<String> problems = new ArrayList<>();
        for (String literal : literals) {
            if (!seen.contains(literal)) {
                problems.add(query.where() + ": " + metric + "{" + matcher.label() + "} never has the value '"
                        + literal + "' (seen: " + seen + ")");
            }
        }
        return problems;
    }

    /**
     * The analysis of a panel expression, or of a variable query: {@code label_values(selector,
     * label)} and {@code query_result(expr)} are Grafana's, and wrap a PromQL selector or expression.
     */
    static PromQl.Analysis analyse(String expr) {
        String trimmed = expr.strip();
        if (trimmed.startsWith("label_values(") && trimmed.endsWith(")")) {
            String inner = trimmed.substring("label_values(".length(), trimmed.length() - 1);
            int comma = inner.lastIndexOf(',');
            if (comma < 0) {
                return PromQl.analyse(""); // label_values(label): no metric
            }
            return PromQl.analyse(inner.substring(0, comma));
        }
        if (trimmed.startsWith("query_result(") && trimmed.endsWith(")")) {
            return PromQl.analyse(trimmed.substring("query_result(".length(), trimmed.length() - 1));
        }
        return PromQl.analyse(expr);
    }

    private static String labelValuesLabel(String expr) {
        String trimmed = expr.strip();
        if (!trimmed.startsWith("label_values(") || !trimmed.endsWith(")")) {
            return null;
        }
        String inner = trimmed.substring("label_values(".length(), trimmed.length() - 1);
        return inner.substring(inner.lastIndexOf(',') + 1).strip();
    }

    private static String hint(String metric, Set<String> names) {
        Set<String> close = new LinkedHashSet<>();
        String stem = metric.replaceAll("_(bucket|count|sum|total|max)$", "");
        for (String name : names) {
            if (name.startsWith(stem) || stem.startsWith(name.replaceAll("_(bucket|count|sum|total|max)$", ""))) {
                close.add(name);
            }
        }
        return close.isEmpty() ? "" : "; did you mean one of " + close + "?";
    }
}
