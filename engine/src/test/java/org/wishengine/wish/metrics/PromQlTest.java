package org.wishengine.wish.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PromQL reader that {@link DashboardTest} relies on finds every metric an expression selects. */
class PromQlTest {

    @Test
    void shouldFindTheMetricInsideARateWithGrafanaVariables() {
        PromQl.Analysis analysis = PromQl.analyse(
                "sum by (outcome) (rate(wish_claims_total{outcome!~\"claimed|repeat\",instance=~\"$instance\"}[$__rate_interval]))");
        assertEquals(Set.of("wish_claims_total"), analysis.metricNames());
        assertEquals(Set.of("sum", "rate"), analysis.calls());
        assertEquals(Set.of("outcome"), analysis.groupingLabels());
        assertEquals(List.of(new PromQl.Matcher("outcome", "!~", "claimed|repeat"),
                new PromQl.Matcher("instance", "=~", "$instance")), analysis.selectors().get(0).matchers());
    }

    @Test
    void shouldFindBareSelectorsOnBothSidesOfABinaryOperator() {
        PromQl.Analysis analysis = PromQl.analyse("min(wish_ring_remaining / wish_ring_capacity) > 0.5 and on (instance) up");
        assertEquals(Set.of("wish_ring_remaining", "wish_ring_capacity", "up"), analysis.metricNames());
        assertEquals(Set.of("instance"), analysis.groupingLabels());
    }

    @Test
    void shouldKeepHistogramSuffixesAsWritten() {
        PromQl.Analysis analysis = PromQl.analyse(
                "histogram_quantile(0.99, sum by (le) (rate(wish_claim_latency_seconds_bucket[5m])))"
                        + " / on() group_left sum(rate(wish_claim_latency_seconds_count[1h30m] offset 5m))");
        assertEquals(Set.of("wish_claim_latency_seconds_bucket", "wish_claim_latency_seconds_count"),
                analysis.metricNames());
        assertEquals(Set.of("histogram_quantile", "sum", "rate"), analysis.calls());
    }

    @Test
    void shouldSkipNumbersDurationsStringsAndAggregationClausesAfterTheBody() {
        PromQl.Analysis analysis = PromQl.analyse(
                "60 * 1e9 * sum(rate(process_cpu_time_ns_total{job='wish'}[5m:30s])) without (instance)"
                        + " + label_replace(vector(1), \"dst\", \"$1\", \"src\", \"(.*)\")");
        assertEquals(Set.of("process_cpu_time_ns_total"), analysis.metricNames());
        assertEquals(Set.of("sum", "rate", "label_replace", "vector"), analysis.calls());
        assertEquals(Set.of("instance"), analysis.groupingLabels());
    }

    @Test
    void shouldReadANameMatcherAsTheMetric() {
        assertEquals(Set.of("wish_store_up"), PromQl.analyse("{__name__=\"wish_store_up\", job=\"w\"}").metricNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{job=\"w\"}", "{__name__=~\"wish_.*\"}", "rate(wish_claims_total[5m]", "wish_x{a=\"b\"",
            "wish_x{a ~ \"b\"}"})
    void shouldRejectWhatItCannotAccountFor(String expr) {
        assertThrows(IllegalArgumentException.class, () -> PromQl.analyse(expr));
    }
}
