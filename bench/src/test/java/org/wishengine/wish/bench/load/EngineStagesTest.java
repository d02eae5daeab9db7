package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineStagesTest {

    /** Two stages and the total, as Micrometer's Prometheus registry writes them (labels sorted). */
    private static String scrape(long ringFast, long ringSlow, long storeFast, long totalFast, long totalSlow) {
        return String.join("\n",
                "# HELP wish_claim_stage_seconds Where a committed claim's time went",
                "# TYPE wish_claim_stage_seconds histogram",
                "wish_claim_stage_seconds_bucket{le=\"0.001\",stage=\"ring\"} " + ringFast,
                "wish_claim_stage_seconds_bucket{le=\"0.004\",stage=\"ring\"} " + (ringFast + ringSlow),
                "wish_claim_stage_seconds_bucket{le=\"+Inf\",stage=\"ring\"} " + (ringFast + ringSlow),
                "wish_claim_stage_seconds_count{stage=\"ring\"} " + (ringFast + ringSlow),
                "wish_claim_stage_seconds_bucket{le=\"0.001\",stage=\"store\"} " + storeFast,
                "wish_claim_stage_seconds_bucket{le=\"+Inf\",stage=\"store\"} " + storeFast,
                "wish_claim_latency_seconds_bucket{le=\"0.002\"} " + totalFast,
                "wish_claim_latency_seconds_bucket{le=\"0.008\"} " + (totalFast + totalSlow),
                "wish_claim_latency_seconds_bucket{le=\"+Inf\"} " + (totalFast + totalSlow),
                "wish_commit_duration_seconds_bucket{le=\"0.001\"} 5",
                "");
    }

    @Test
    void shouldTakeTheWindowsPercentilesFromTheDifferenceOfTwoScrapes() {
        // Before the window: 1,000 fast ring stages. In it: 990 fast and 10 slow ones, so that the
        // window's p99 is fast and its p99.9 slow, while the run as a whole would say fast for both.
        Map<String, EngineStages.Stage> stages = EngineStages.between(scrape(1_000, 0, 1_000, 1_000, 0),
                scrape(1_990, 10, 2_000, 1_980, 20));
        assertEquals(List.of("ring", "store", "total"), List.copyOf(stages.keySet()), "in order; absent stages left out");
        EngineStages.Stage ring = stages.get("ring");
        assertEquals(1_000, ring.count());
        assertEquals(0.001, ring.quantile(0.99));
        assertEquals(0.004, ring.quantile(0.999));
        EngineStages.Stage total = stages.get("total");
        assertEquals(0.002, total.quantile(0.98));
        assertEquals(0.008, total.quantile(0.99));
    }

    @Test
    void shouldLeaveOutAStageWithNoClaimInTheWindow() {
        Map<String, EngineStages.Stage> stages = EngineStages.between(scrape(5, 0, 5, 5, 0), scrape(5, 0, 9, 9, 0));
        assertFalse(stages.containsKey("ring"));
        assertTrue(stages.containsKey("store"));
    }

    @Test
    void shouldSaySoWhenTheEngineWasNotRead() {
        EngineStages unread = new EngineStages(URI.create("http://127.0.0.1:1/"));
        assertTrue(unread.summary().contains("not read"), unread.summary());
    }
}
