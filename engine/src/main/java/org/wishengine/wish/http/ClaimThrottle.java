package org.wishengine.wish.http;

import org.wishengine.wish.config.RateLimit;

/**
 * The per-user and per-address claim limits of a deployment, enforced on the event loops before
 * anything reaches the ring, so a bot's flood costs it 429s and costs honest users nothing.
 */
public final class ClaimThrottle {

    private final RateLimiter perUser;
    private final RateLimiter perAddress;

    public ClaimThrottle(RateLimit limit) {
        this.perUser = limit.perUser() > 0 ? new RateLimiter(limit.perUser()) : null;
        this.perAddress = limit.perAddress() > 0 ? new RateLimiter(limit.perAddress()) : null;
    }

    /** 0 when the claim may go ahead, else the nanoseconds to wait. */
    long admit(String userId, String address, long nowNanos) {
        if (perAddress != null) {
            long wait = perAddress.acquire(address, nowNanos);
            if (wait > 0) {
                return wait;
            }
        }
        return perUser == null ? 0 : perUser.acquire(userId, nowNanos);
    }

    /** Drops state of keys that have been quiet long enough to be back at a full bucket. */
    public void forgetIdle() {
        long now = System.nanoTime();
        if (perUser != null) {
            perUser.forgetIdle(now);
        }
        if (perAddress != null) {
            perAddress.forgetIdle(now);
        }
    }
}
