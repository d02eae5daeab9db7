package org.wishengine.wish.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the engine needs to start, immutable. Built from flags and environment by the
 * command line, or directly by tests.
 *
 * @param redisUrl       an external Redis, or null to start and own a local one under {@code dataDir};
 *                       a malformed one is refused here (see {@link RedisUrl})
 * @param ringSize       ring slots, a power of two
 * @param ioThreads      Netty event loops (0: one per core)
 * @param expiryInterval how often the expiry tick runs
 * @param clock          the time source for commands and token checks
 * @param accessLog      log one line per request to the {@code wish.access} logger
 * @param lease          the node id and lease duration of this engine's writer lease
 * @param redisCluster   a Redis Cluster to use instead of {@code redisUrl}, or null
 * @param claimExpirySpeedup claims expire this many times sooner than {@code fulfilWithinHours} says;
 *                       1 (the contract) except in soak and expiry tests
 * @param localFsync     the {@code appendfsync} of the Redis the engine starts itself (no
 *                       {@code redisUrl} or {@code redisCluster})
 */
public record EngineConfig(String host, int port, String redisUrl, Path dataDir, String adminToken,
                           String tokenSecret, RateLimit rateLimit, HttpLimits httpLimits, int ringSize,
                           int ioThreads, Duration expiryInterval, Duration commitTimeout, Clock clock,
                           boolean accessLog, LeaseSettings lease, RedisClusterSettings redisCluster,
                           int claimExpirySpeedup, AppendFsync localFsync) {

    public EngineConfig {
        java.util.Objects.requireNonNull(localFsync, "localFsync");
        if (Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two, not " + ringSize);
        }
        if (redisUrl != null) {
            RedisUrl.check(redisUrl); // a URL that can never work would otherwise be retried forever
        }
        if (redisUrl != null && redisCluster != null) {
            throw new IllegalArgumentException("give --redis-url or --redis-cluster, not both");
        }
        if (claimExpirySpeedup < 1) {
            throw new IllegalArgumentException("the claim expiry speed-up must be at least 1, not "
                    + claimExpirySpeedup);
        }
    }

    /** Defaults for everything but the secrets and the store. */
    public static EngineConfig defaults(String redisUrl, Path dataDir, String adminToken, String tokenSecret) {
        return new EngineConfig("0.0.0.0", 8080, redisUrl, dataDir, adminToken, tokenSecret, RateLimit.OFF,
                HttpLimits.DEFAULTS, 1 << 16, 0, Duration.ofSeconds(5), Duration.ofSeconds(2), Clock.systemUTC(),
                false, LeaseSettings.DEFAULTS, null, 1, AppendFsync.EVERYSEC);
    }

    public EngineConfig withPort(int newPort) {
        return new EngineConfig(host, newPort, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    public EngineConfig withClock(Clock newClock) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, newClock, accessLog, lease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    public EngineConfig withRingSize(int newRingSize) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                newRingSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    public EngineConfig withRateLimit(RateLimit newLimit) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, newLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    public EngineConfig withExpiryInterval(Duration newInterval) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, newInterval, commitTimeout, clock, accessLog, lease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    public EngineConfig withHttpLimits(HttpLimits newLimits) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, newLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    public EngineConfig withLease(LeaseSettings newLease) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, newLease, redisCluster,
                claimExpirySpeedup, localFsync);
    }

    /** Claims expire {@code speedup} times sooner than their campaign says: soak and expiry tests only. */
    public EngineConfig withClaimExpirySpeedup(int speedup) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, redisCluster, speedup,
                localFsync);
    }

    /** How often the local Redis fsyncs its AOF. */
    public EngineConfig withLocalFsync(AppendFsync fsync) {
        return new EngineConfig(host, port, redisUrl, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, redisCluster,
                claimExpirySpeedup, fsync);
    }

    public EngineConfig withRedisCluster(RedisClusterSettings newCluster) {
        return new EngineConfig(host, port, null, dataDir, adminToken, tokenSecret, rateLimit, httpLimits,
                ringSize, ioThreads, expiryInterval, commitTimeout, clock, accessLog, lease, newCluster,
                claimExpirySpeedup, localFsync);
    }
}
