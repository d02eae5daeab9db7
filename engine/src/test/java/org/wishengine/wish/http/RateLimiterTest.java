package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowABurstThenRefuseUntilATokenRefills() {
        RateLimiter limiter = new RateLimiter(5);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.acquire("alice", 0), "burst claim " + i);
        }
        long wait = limiter.acquire("alice", 0);
        assertEquals(SECOND / 5, wait, 1_000);
        assertTrue(limiter.acquire("alice", SECOND / 10) > 0, "half a token is not a token");
        assertEquals(0, limiter.acquire("alice", SECOND / 5));
    }

    @Test
    void shouldKeepKeysApart() {
        RateLimiter limiter = new RateLimiter(1);
        assertEquals(0, limiter.acquire("alice", 0));
        assertTrue(limiter.acquire("alice", 0) > 0);
        assertEquals(0, limiter.acquire("bob", 0));
    }

    @Test
    void shouldNeverHoldMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(2);
        assertEquals(0, limiter.acquire("alice", 0));
        long later = 100 * SECOND;
        assertEquals(0, limiter.acquire("alice", later));
        assertEquals(0, limiter.acquire("alice", later));
        assertTrue(limiter.acquire("alice", later) > 0);
    }

    @Test
    void shouldForgetOnlyBucketsThatAreFullAgain() {
        RateLimiter limiter = new RateLimiter(1);
        limiter.acquire("alice", 0);
        limiter.acquire("bob", 0);
        limiter.forgetIdle(SECOND / 2);
        assertEquals(2, limiter.size());
        limiter.forgetIdle(2 * SECOND);
        assertEquals(0, limiter.size());
    }

    @Test
    void shouldCheckTheAddressBeforeTheUser() {
        ClaimThrottle throttle = new ClaimThrottle(org.wishengine.wish.config.RateLimit.parse("user=100/s,address=1/s"));
        assertEquals(0, throttle.admit("alice", "10.0.0.1", 0));
        assertTrue(throttle.admit("bob", "10.0.0.1", 0) > 0, "a second user from the same address is held back");
        assertEquals(0, throttle.admit("bob", "10.0.0.2", 0));
    }
}
