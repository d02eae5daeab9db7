package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    @Test
    void shouldFormatExactlyAsInstantToString() {
        long[] edges = {0, 1, 999, 1000, -1, -999, -1000, -1001, 1_764_280_257_000L, 1_764_280_257_001L,
                1_764_280_257_010L, 1_764_280_257_100L, 1_764_280_257_999L, 253_402_300_799_999L, 253_402_300_800_000L,
                -62_135_596_800_001L};
        for (long millis : edges) {
            assertEquals(Instant.ofEpochMilli(millis).toString(), IsoInstants.format(millis), "at " + millis);
        }
        SplittableRandom random = new SplittableRandom(7);
        long base = 1_764_280_257_000L;
        for (int i = 0; i < 20_000; i++) {
            // Mostly near one another (the cache's case), sometimes anywhere.
            long millis = i % 10 == 0 ? random.nextLong(-100_000_000_000_000L, 100_000_000_000_000L)
                    : base + random.nextInt(5_000);
            assertEquals(Instant.ofEpochMilli(millis).toString(), IsoInstants.format(millis), "at " + millis);
        }
    }
}
