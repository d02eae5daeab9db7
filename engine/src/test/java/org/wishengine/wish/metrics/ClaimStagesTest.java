package org.wishengine.wish.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClaimStagesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClaimStages stages = new ClaimStages(registry, Duration.ofNanos(50_000), Duration.ofSeconds(10));

    private Timer stage(String name) {
        return registry.get("wish.claim.stage").tag("stage", name).timer();
    }

    @Test
    void shouldSplitASampledClaimIntoItsFourStages() {
        long arrived = 1_000_000L << 3; // low three bits zero: sampled
        stages.record(arrived, arrived + 100_000, arrived + 400_000, arrived + 1_400_000, arrived + 1_450_000);
        assertEquals(100_000, stage("ring").totalTime(TimeUnit.NANOSECONDS));
        assertEquals(300_000, stage("batch").totalTime(TimeUnit.NANOSECONDS));
        assertEquals(1_000_000, stage("store").totalTime(TimeUnit.NANOSECONDS));
        assertEquals(50_000, stage("answer").totalTime(TimeUnit.NANOSECONDS));
        for (String name : new String[] {"ring", "batch", "store", "answer"}) {
            assertEquals(1, stage(name).count(), name);
        }
    }

    @Test
    void shouldRecordOneClaimInEight() {
        long base = 1L << 40;
        for (int i = 0; i < 64; i++) {
            long arrived = base + i;
            stages.record(arrived, arrived + 10, arrived + 20, arrived + 30, arrived + 40);
        }
        assertEquals(8, stage("store").count());
    }

    @Test
    void shouldLeaveOutAClaimWhoseBatchWasNotSent() {
        long arrived = 1L << 40;
        stages.record(arrived, arrived + 10, 0, 0, arrived + 40);
        assertEquals(0, stage("ring").count());
        assertEquals(0, stage("store").count());
    }

    @Test
    void shouldNeverRecordANegativeStage() {
        long arrived = 1L << 40;
        // Readings taken on different cores: a guard, so that a meter never takes a negative time.
        stages.record(arrived, arrived - 5_000, arrived + 20_000, arrived + 30_000, arrived + 40_000);
        assertEquals(0, stage("ring").totalTime(TimeUnit.NANOSECONDS));
        assertEquals(25_000, stage("batch").totalTime(TimeUnit.NANOSECONDS));
    }
}
