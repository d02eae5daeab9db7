package org.wishengine.wish.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a user id or a client address): {@code rate} tokens a second, bursts of up
 * to {@code burst}. Thread-safe; each bucket is locked only by the requests of its own key, so
 * event loops never contend unless they serve the same user. Time is passed in (nanoseconds) so
 * that tests need no clock.
 */
final class RateLimiter {

    private final double ratePerNano;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(double perSecond) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = Math.max(1, perSecond);
    }

    /** 0 when the key may go ahead now, else the nanoseconds until it may. */
    long acquire(String key, long nowNanos) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        }
        synchronized (bucket) {
            bucket.refill(nowNanos, ratePerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / ratePerNano);
        }
    }

    /**
     * Forgets buckets that have been refilled to the brim: they behave exactly like new ones, so
     * dropping them bounds memory by the keys active in the last few seconds.
     */
    void forgetIdle(long nowNanos) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                bucket.refill(nowNanos, ratePerNano, burst);
                return bucket.tokens >= burst;
            }
        });
    }

    int size() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }

        void refill(long nowNanos, double ratePerNano, double burst) {
            long elapsed = nowNanos - updatedNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * ratePerNano);
                updatedNanos = nowNanos;
            }
        }
    }
}
