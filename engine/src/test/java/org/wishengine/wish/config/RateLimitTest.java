package org.wishengine.wish.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void shouldParseOff() {
        assertTrue(RateLimit.parse(" OFF ").isOff());
    }

    @Test
    void shouldParseBothLimitsInAnyOrder() {
        assertEquals(new RateLimit(5, 200), RateLimit.parse("user=5/s,address=200/s"));
        assertEquals(new RateLimit(5, 200), RateLimit.parse("address=200/s, user=5/s"));
        assertEquals(new RateLimit(0.5, 0), RateLimit.parse("user=0.5/s"));
    }

    @Test
    void shouldRefuseWhatItCannotRead() {
        for (String bad : new String[] {"", "on", "user=5", "user=5/m", "user=-1/s", "user=x/s", "bots=5/s"}) {
            assertThrows(IllegalArgumentException.class, () -> RateLimit.parse(bad), bad);
        }
    }
}
