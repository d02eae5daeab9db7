package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's pauses set beside its latency per interval: the safepoint log of JDK 17 and 25, and the figures. */
class TailAttributionTest {

    /** 2026-12-02T12:00:00.000Z */
    private static final long T0 = 1_796_212_800_000L;

    @Test
    void shouldReadThePausesOfEveryCollectorFromASafepointLog() {
        SafepointLog log = SafepointLog.parse(List.of(
                "[2026-12-02T12:29:14.607+0000] Safepoint \"ParallelGCFailedAllocation\", Time since last: 35018217 ns, "
                        + "Reaching safepoint: 4657 ns, Cleanup: 28252 ns, At safepoint: 1967095 ns, Total: 2000004 ns",
                "[2026-12-02T12:29:15.144+0000] Safepoint \"ZMarkStartYoungAndOld\", Time since last: 35083094 ns, "
                        + "Reaching safepoint: 205196 ns, At safepoint: 32499 ns, Leaving safepoint: 18597 ns, "
                        + "Total: 256292 ns, Threads: 1 runnable, 10 total",
                "[2026-12-02T12:29:15.200+0000] some other tag",
                "[2026-12-02T12:29:15.300+0000] Safepoint \"G1Coll"));
        assertEquals(2, log.pauses().size());
        assertEquals(new SafepointLog.Pause("ParallelGCFailedAllocation", 1_796_214_554_607L, 2_000_004),
                log.pauses().get(0));
        assertEquals("ZMarkStartYoungAndOld", log.pauses().get(1).kind());
        assertEquals(256_292, log.pauses().get(1).nanos());
    }

    @Test
    void shouldCountPausesInTheMeasuredWindowAndTheSlowIntervalsTheyExplain() {
        List<String> csv = new ArrayList<>(List.of(IntervalLog.HEADER,
                (T0) + ",1.0,warmup,1000,900,0.5,2.0,3.0,4.0"));
        for (int s = 1; s <= 10; s++) {
            double max = s == 3 ? 60 : s == 7 ? 25 : 4;
            csv.add((T0 + s * 1000L) + "," + (1 + s) + ".0,measured,1000,900,0.5,2.0,3.0," + max);
        }
        csv.add((T0 + 11_000L) + ",12.0,drain,10,0,0.5,2.0,3.0,4.0");
        List<TailAttribution.Interval> rows = TailAttribution.measured(csv);
        assertEquals(10, rows.size(), "the measured rows only");
        SafepointLog log = new SafepointLog(List.of(
                new SafepointLog.Pause("before", T0 - 500, 80_000_000), // in the warm-up: not counted
                new SafepointLog.Pause("young", T0 + 2_600, 50_000_000), // in interval 3 (2 s .. 3 s)
                new SafepointLog.Pause("young", T0 + 5_500, 300_000), // short: no "pause" for slow intervals
                new SafepointLog.Pause("cleanup", T0 + 9_000, 2_000_000)));

        TailAttribution attribution = TailAttribution.of(rows, log, 10);

        assertEquals(10.0, attribution.windowSeconds());
        assertEquals(10_000, attribution.requests());
        assertEquals(3, attribution.pauses());
        assertEquals(52.3, attribution.pauseMillis(), 1e-9);
        assertEquals(50.0, attribution.maxPauseMillis(), 1e-9);
        assertEquals(2, attribution.pausesOverMillis());
        assertEquals(2, attribution.slowIntervals(), "intervals 3 and 7");
        assertEquals(1, attribution.slowWithPause(), "interval 3 had the 50 ms pause; 7 had none near it");
        assertEquals(2, (int) attribution.byKind().get("young")[0]);
        // 1,000 requests a second, 52.3 ms of pauses: ~52 requests of 10,000 arrived during one.
        assertEquals(0.00523, attribution.requestsInPauses(), 1e-9);
        assertTrue(attribution.describe().contains("too few to set the p99"), attribution.describe());
    }

    @Test
    void shouldRefuseALatencyLogWithoutMeasuredRows() {
        assertThrows(IllegalArgumentException.class, () -> TailAttribution.of(
                TailAttribution.measured(List.of(IntervalLog.HEADER)), new SafepointLog(List.of()), 10));
    }
}
