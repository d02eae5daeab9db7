package org.wishengine.wish.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.ring.CommandGateway;

/** The exposition parser the metrics tests rely on reads names, labels (escapes included) and values. */
class ExpositionTest {

    @Test
    void shouldReadNamesLabelsAndValues() {
        Exposition exposition = Exposition.parse("""
                # HELP wish_claims_total Claim attempts by outcome
                # TYPE wish_claims_total counter
                wish_claims_total{outcome="claimed"} 5.0
                wish_claims_total{outcome="sold_out",} 14.0

                # TYPE wish_claim_latency_seconds histogram
                wish_claim_latency_seconds_bucket{le="+Inf"} 24 1700000000000
                jvm_buffer_count_buffers{id="mapped - 'non-volatile memory'"} 0.0
                odd{path="a\\"b\\\\c\\nd"} NaN
                wish_store_up 1.0
                """);
        assertEquals(6, exposition.samples().size());
        assertEquals(5.0, exposition.value("wish_claims_total", "outcome", "claimed"));
        assertEquals(Map.of("claimed", 5.0, "sold_out", 14.0), exposition.byLabel("wish_claims_total", "outcome"));
        assertEquals(24.0, exposition.value("wish_claim_latency_seconds_bucket", "le", "+Inf"));
        assertEquals("a\"b\\c\nd", exposition.series("odd").get(0).label("path"));
        assertTrue(Double.isNaN(exposition.value("odd")));
        assertEquals(1.0, exposition.value("wish_store_up"));
        assertEquals(0.0, exposition.valueOrZero("wish_claims_total", "outcome", "repeat"));
        assertEquals(Map.of("wish_claims_total", "counter", "wish_claim_latency_seconds", "histogram"),
                exposition.types());
        assertEquals(Set.of("id"), exposition.labelNames("jvm_buffer_count_buffers"));
    }

    @Test
    void shouldRejectALineItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("wish_x{a=\"b} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("wish_x{a=b} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("wish_x 1 2 3\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("wish_x one\n"));
    }

    @Test
    void shouldReadEverySeriesOfARealEngineScrape() {
        EngineMetrics metrics = new EngineMetrics(new CommandGateway());
        try {
            metrics.responded("/api/wishes/{id}/claims", "POST", 409, 2_000);
            metrics.claimDecided("sold_out", 2_000);
            String text = metrics.scrape();
            Exposition exposition = Exposition.parse(text);
            long lines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
            assertEquals(lines, exposition.samples().size());
            assertEquals(1.0, exposition.value("wish_claims_total", "outcome", "sold_out"));
            assertEquals(1.0, exposition.value("wish_http_requests_seconds_count",
                    "route", "/api/wishes/{id}/claims", "method", "POST", "status", "409"));
            assertEquals(List.of(), exposition.matching("wish_claims_total", "outcome", "claimed"));
        } finally {
            metrics.registry().close();
        }
    }
}
