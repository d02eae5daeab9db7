package org.wishengine.wish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorAdviceTest {

    private static final List<String> PARALLEL = List.of("PS Scavenge", "PS MarkSweep");

    @Test
    void theParallelCollectorAgingSurvivorsGetsTheAdvice() {
        String line = CollectorAdvice.describe(PARALLEL, 15);
        assertTrue(line.startsWith("Collector: PS Scavenge + PS MarkSweep, MaxTenuringThreshold=15. "), line);
        assertTrue(line.contains("-XX:MaxTenuringThreshold=0"), line);
    }

    @Test
    void theRecommendedSettingIsOnlyNamed() {
        assertEquals("Collector: PS Scavenge + PS MarkSweep, MaxTenuringThreshold=0",
                CollectorAdvice.describe(PARALLEL, 0));
    }

    @Test
    void otherCollectorsGetNoAdvice() {
        assertFalse(CollectorAdvice.advice(List.of("G1 Young Generation", "G1 Old Generation"), 15).isPresent());
        assertFalse(CollectorAdvice.advice(List.of("ZGC Minor Cycles", "ZGC Major Cycles"), 15).isPresent());
        assertEquals("Collector: ZGC Cycles", CollectorAdvice.describe(List.of("ZGC Cycles"), -1));
    }

    @Test
    void thisJvmIsDescribed() {
        String line = CollectorAdvice.forThisJvm();
        assertTrue(line.startsWith("Collector: "), line);
        assertTrue(line.length() > "Collector: ".length(), line);
    }
}
