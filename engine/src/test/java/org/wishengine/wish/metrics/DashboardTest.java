package org.wishengine.wish.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Result;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.http.HttpMetrics;
import org.wishengine.wish.ring.CommandGateway;

/**
 * The Grafana dashboard only queries meters the engine exports: every metric name in every panel
 * target and variable query is checked against a scrape of a real {@link EngineMetrics} registry
 * in which every meter has been made to exist, together with the label names and literal label
 * values the queries use. Also checks the dashboard is importable as it is.
 *
 * <p>{@code wish.http.connections} and {@code wish.events.subscribers} are registered by
 * {@code WishEngine} once its HTTP server exists, not by {@link EngineMetrics}; this test
 * registers them the same way ({@link EngineMetrics#gauge}) under the same names.
 * {@code MetricsIT} repeats the metric-name check against a running engine's {@code /metrics}, so
 * a rename there is caught too.
 */
class DashboardTest {

    private static final Duration GC_WAIT = Duration.ofSeconds(30);

    private static JsonNode dashboard;
    private static EngineMetrics metrics;
    private static Exposition exported;
    /** Held strongly: Micrometer gauges keep only a weak reference to their source. */
    private static final AtomicInteger CONNECTIONS = new AtomicInteger(3);
    private static final AtomicInteger SUBSCRIBERS = new AtomicInteger(1);

    @BeforeAll
    static void scrapeARegistryWithEveryMeter() throws InterruptedException {
        dashboard = DashboardCheck.load();
        metrics = new EngineMetrics(new CommandGateway());
        // Tagged meters exist only once recorded: record one of each kind.
        metrics.responded("/api/wishes/{id}/claims", "POST", 201, 1_000);
        for (Result result : Result.values()) {
            metrics.claimDecided(HttpMetrics.outcomeName(result), 1_000);
        }
        metrics.claimDecided("overloaded", 1_000);
        metrics.claimDecided("rate_limited", 1_000);
        metrics.settled(1, 1_000);
        metrics.committed(1, 1_000);
        metrics.commitFailed(new RuntimeException("test"), 1);
        metrics.lifecycle().campaign(CampaignView.fresh(new Campaign("c-dashboard", "Dashboard test", 0, 1, 168, 0,
                List.of(new WishSpec("w-dashboard", "A radio", 5, "elderly", null, null, null)))));
        // The two gauges WishEngine adds after its HTTP server starts (same names and types).
        metrics.gauge("wish.http.connections", "Open HTTP connections", CONNECTIONS, AtomicInteger::get);
        metrics.gauge("wish.events.subscribers", "Open event streams", SUBSCRIBERS, AtomicInteger::get);
        // jvm_gc_pause_seconds appears with the first GC notification after the binder started.
        long deadline = System.nanoTime() + GC_WAIT.toNanos();
        String text = metrics.scrape();
        while (!text.contains("\njvm_gc_pause_seconds_count{")) {
            if (System.nanoTime() > deadline) {
                fail("no GC was reported within " + GC_WAIT + " after System.gc(); jvm_gc_pause_seconds is missing");
            }
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50); // poll interval for the asynchronous GC notification
            text = metrics.scrape();
        }
        exported = Exposition.parse(text);
    }

    @AfterAll
    static void closeRegistry() {
        if (metrics != null) {
            metrics.registry().close();
        }
    }

    @Test
    void shouldQueryOnlyMetersTheEngineExports() {
        List<String> problems = DashboardCheck.problems(dashboard, exported);
        assertTrue(problems.isEmpty(), () -> "the dashboard queries what the engine does not export:\n  "
                + String.join("\n  ", problems) + "\nexported: " + exported.names());
        assertFalse(DashboardCheck.metricNames(dashboard).isEmpty(), "the dashboard has no queries at all");
    }

    @Test
    void shouldFailWhenAQueryNamesAMeterTheEngineDoesNotExport() {
        // The check must not pass vacuously: a dashboard with a misspelt or suffix-less meter fails it.
        for (String bogus : List.of("sum(rate(wish_claim_total[5m]))", "rate(wish_claim_latency_seconds[5m])",
                "histogram_quantile(0.99, sum by (le) (rate(wish_commit_duration_bucket[5m])))",
                "wish_http_requests_total", "wish_store_up{reason=\"x\"}",
                "sum(rate(wish_claims_total{outcome=\"sold-out\"}[5m]))", "sum by (reason) (rate(wish_claims_total[5m]))",
                "rate(wish_claims_total[5m]) / ignoring(x) rat(wish_claims_total[5m])")) {
            JsonNode copy = dashboard.deepCopy();
            ObjectNode panel = (ObjectNode) DashboardCheck.panels(copy).stream()
                    .filter(p -> p.path("targets").size() > 0).findFirst().orElseThrow();
            ((ObjectNode) panel.withArray("targets").get(0)).put("expr", bogus);
            assertFalse(DashboardCheck.problems(copy, exported).isEmpty(), () -> "not caught: " + bogus);
        }
    }

    @Test
    void shouldShowEveryWishMeterTheEngineExports() {
        assertEquals(Set.of(), DashboardCheck.familiesNotShown(dashboard, exported),
                "wish_* meters without a panel");
    }

    @Test
    void shouldHaveATitleAndAPrometheusDatasourceOnEveryPanel() {
        Set<String> datasourceRefs = datasourceReferences();
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : DashboardCheck.panels(dashboard)) {
            String title = panel.path("title").asText("");
            if (title.isBlank()) {
                problems.add("panel " + panel.path("id") + " has no title");
            }
            if (!panel.path("id").isInt() || !ids.add(panel.path("id").asInt())) {
                problems.add("panel '" + title + "' has a missing or duplicate id");
            }
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt(-1);
            int w = grid.path("w").asInt(0);
            if (x < 0 || w <= 0 || x + w > 24 || grid.path("h").asInt(0) <= 0 || grid.path("y").asInt(-1) < 0) {
                problems.add("panel '" + title + "' has a bad gridPos " + grid);
            }
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (!isPrometheus(panel.path("datasource"), datasourceRefs)) {
                problems.add("panel '" + title + "' has no Prometheus datasource: " + panel.path("datasource"));
            }
            JsonNode targets = panel.path("targets");
            if (targets.isEmpty()) {
                problems.add("panel '" + title + "' has no targets");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : targets) {
                if (target.path("expr").asText("").isBlank()) {
                    problems.add("panel '" + title + "' has a target without expr");
                }
                if (!refIds.add(target.path("refId").asText(""))) {
                    problems.add("panel '" + title + "' repeats refId " + target.path("refId"));
                }
                if (target.has("datasource") && !isPrometheus(target.path("datasource"), datasourceRefs)) {
                    problems.add("panel '" + title + "' target " + target.path("refId") + " has datasource "
                            + target.path("datasource"));
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @Test
    void shouldBeImportableAsItIs() {
        assertEquals("Wish engine", dashboard.path("title").asText());
        assertTrue(dashboard.path("uid").asText().matches("[A-Za-z0-9_-]{1,40}"), "uid: " + dashboard.path("uid"));
        int schema = dashboard.path("schemaVersion").asInt();
        assertTrue(schema >= 36 && schema <= 41, "schemaVersion " + schema);
        assertTrue(dashboard.path("id").isNull() || dashboard.path("id").isMissingNode(),
                "an exported dashboard carries no database id");
        assertFalse(datasourceReferences().isEmpty(),
                "neither a datasource template variable nor a DS_PROMETHEUS input for Prometheus");
        // The instance filter every query uses is defined.
        boolean instance = false;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            instance |= variable.path("name").asText().equals("instance");
        }
        assertTrue(instance, "no $instance variable");
        ArrayNode panels = (ArrayNode) dashboard.path("panels");
        assertTrue(panels.size() >= 20, "panels: " + panels.size());
    }

    /** {@code ${datasource}} for each datasource variable of type prometheus, {@code ${DS_PROMETHEUS}} for an input. */
    private static Set<String> datasourceReferences() {
        Set<String> refs = new HashSet<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("datasource") && variable.path("query").asText().equals("prometheus")) {
                refs.add("${" + variable.path("name").asText() + "}");
                refs.add("$" + variable.path("name").asText());
            }
        }
        for (JsonNode input : dashboard.path("__inputs")) {
            if (input.path("type").asText().equals("datasource") && input.path("pluginId").asText().equals("prometheus")) {
                refs.add("${" + input.path("name").asText() + "}");
            }
        }
        return refs;
    }

    private static boolean isPrometheus(JsonNode datasource, Set<String> refs) {
        return datasource.isObject() && datasource.path("type").asText().equals("prometheus")
                && refs.contains(datasource.path("uid").asText());
    }
}
