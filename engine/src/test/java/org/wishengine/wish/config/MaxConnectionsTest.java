package org.wishengine.wish.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaxConnectionsTest {

    @Test
    void shouldKeepFivePercentOfALargeLimitBack() {
        MaxConnections cap = MaxConnections.forFileLimit(20_480);
        assertEquals(20_480 - 1_024, cap.value());
        assertEquals(1_024, cap.reserved());
        assertFalse(cap.capped());
        assertEquals("max connections 19,456 (file limit 20,480 less 1,024 for Redis, files and the JVM)",
                cap.describe());
    }

    @Test
    void shouldKeepAtLeast256BackUnderASmallLimit() {
        assertEquals(1_024 - 256, MaxConnections.forFileLimit(1_024).value());
        assertEquals(4_096 - 256, MaxConnections.forFileLimit(4_096).value());
        assertEquals(5_120 - 256, MaxConnections.forFileLimit(5_120).value()); // 5 % is exactly 256 here
        assertEquals(65_536 - 3_276, MaxConnections.forFileLimit(65_536).value());
    }

    @Test
    void shouldStayBelowTheLimitEvenWhenItIsTiny() {
        assertEquals(1, MaxConnections.forFileLimit(256).value());
        assertEquals(1, MaxConnections.forFileLimit(100).value());
        assertEquals(44, MaxConnections.forFileLimit(300).value());
    }

    @Test
    void shouldCapAHugeLimit() {
        MaxConnections cap = MaxConnections.forFileLimit(1_048_576);
        assertEquals(MaxConnections.CEILING, cap.value());
        assertTrue(cap.capped());
        assertEquals("max connections 100,000 (file limit 1,048,576 less 52,428 for Redis, files and the JVM "
                + "would allow 996,148; capped)", cap.describe());
        assertEquals(MaxConnections.CEILING, MaxConnections.forFileLimit(Long.MAX_VALUE).value());
    }

    @Test
    void shouldFallBackWhenTheLimitIsUnknown() {
        for (long unknown : new long[] {MaxConnections.UNKNOWN, 0}) {
            MaxConnections cap = MaxConnections.forFileLimit(unknown);
            assertEquals(MaxConnections.FALLBACK, cap.value());
            assertFalse(cap.exceededBy(1_000_000), "nothing to compare with");
            assertEquals("max connections 20,000 (file limit unknown)", cap.describe());
        }
    }

    @Test
    void shouldTellWhenAnExplicitCapIsMoreThanTheLimitAllows() {
        MaxConnections cap = MaxConnections.forFileLimit(20_000);
        assertFalse(cap.exceededBy(19_000));
        assertTrue(cap.exceededBy(19_001));
        assertTrue(cap.exceededBy(20_000));
        assertTrue(cap.describeExcess(20_000).startsWith(
                "--max-connections 20,000 is more than the file limit 20,000 allows (19,000, "), cap.describeExcess(20_000));
    }

    @Test
    void shouldReadThisProcesssLimitOnUnix() {
        MaxConnections cap = MaxConnections.forThisProcess();
        assertTrue(cap.fileLimit() > 0, "this JVM runs on Unix and knows its open-file limit: " + cap);
        assertTrue(cap.value() < cap.fileLimit(), cap::toString);
        assertEquals(cap.value(), HttpLimits.DEFAULTS.maxConnections());
    }
}
