package org.wishengine.wish.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.wishengine.wish.auth.OrganiserToken;
import org.wishengine.wish.auth.RevocationSource;
import org.wishengine.wish.auth.TokenRegistry;

/**
 * The organiser tokens an engine issued, and those revoked, kept in Redis so that every engine
 * (every node of a cluster) refuses a revoked token: {@code {wish}:tokens} (token id to its org and
 * expiry) and {@code {wish}:revoked} (token id to expiry), one hash tag, so one slot. Each engine
 * reads the revoked list every half second ({@link org.wishengine.wish.auth.Revocations}), so a
 * revocation takes effect everywhere within about a second without a Redis round trip per request.
 */
public final class RedisTokenRegistry implements RevocationSource, TokenRegistry {

    static final String ISSUED = "{wish}:tokens";
    static final String REVOKED = "{wish}:revoked";
    private static final String REVOKE = RedisLeases.read("/lua/revoke.lua");
    /** Revoked tokens are forgotten this long after they expired: no verifier accepts them by then. */
    private static final long FORGET_AFTER_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Clock clock;
    private final Duration timeout;

    RedisTokenRegistry(RedisClusterAsyncCommands<String, String> redis, Clock clock, Duration timeout) {
        this.redis = redis;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Void> issued(OrganiserToken token) {
        return redis.hset(ISSUED, token.jti(), token.org() + ' ' + token.expiresAt().toEpochMilli())
                .toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(added -> null);
    }

    /** Revoking twice is harmless: the second answers the same expiry. */
    @Override
    public CompletionStage<Long> revoke(String jti) {
        return redis.<Long>eval(REVOKE, ScriptOutputType.INTEGER, new String[] {ISSUED, REVOKED}, jti)
                .toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The org a token was issued for, or null when no such token was issued (or it was forgotten). */
    @Override
    public CompletionStage<String> orgOf(String jti) {
        return redis.hget(ISSUED, jti).toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(issued -> issued == null ? null : issued.substring(0, issued.lastIndexOf(' ')));
    }

    /** Every revoked token not long expired; drops (in Redis too) those expired an hour ago. */
    @Override
    public Map<String, Long> revoked() throws Exception {
        Map<String, String> all = redis.hgetall(REVOKED).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Long> revoked = new HashMap<>(all.size());
        long forgetBefore = clock.millis() - FORGET_AFTER_MILLIS;
        for (Map.Entry<String, String> entry : all.entrySet()) {
            long expires = Long.parseLong(entry.getValue());
            if (expires < forgetBefore) {
                redis.hdel(REVOKED, entry.getKey());
                redis.hdel(ISSUED, entry.getKey());
            } else {
                revoked.put(entry.getKey(), expires);
            }
        }
        return revoked;
    }
}
