package org.wishengine.wish.store;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.wishengine.wish.cluster.LeaseAnswer;
import org.wishengine.wish.cluster.LeaseHolder;
import org.wishengine.wish.cluster.LeaseStore;
import org.wishengine.wish.cluster.NodeIdentity;

/**
 * Leases in Redis: each request is one run of {@code lua/lease.lua}, atomic and judged by Redis's
 * clock. Sent with {@code EVAL} rather than {@code EVALSHA}: a lease request goes out about once a
 * second, and the script text travelling along means a Redis that lost its script cache needs no
 * second try.
 */
public final class RedisLeases implements LeaseStore {

    private static final String SCRIPT = read("/lua/lease.lua");

    private final RedisClusterAsyncCommands<String, String> redis;

    public RedisLeases(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public CompletionStage<LeaseAnswer> acquire(String key, NodeIdentity me, Duration lease) {
        return run(key, "acquire", me.nodeId(), Long.toString(lease.toMillis()), me.host(), Long.toString(me.pid()));
    }

    @Override
    public CompletionStage<LeaseAnswer> renew(String key, NodeIdentity me, long epoch, Duration lease) {
        return run(key, "renew", me.nodeId(), Long.toString(epoch), Long.toString(lease.toMillis()), me.host(),
                Long.toString(me.pid()));
    }

    @Override
    public CompletionStage<LeaseAnswer> release(String key, NodeIdentity me, long epoch) {
        return run(key, "release", me.nodeId(), Long.toString(epoch));
    }

    private CompletionStage<LeaseAnswer> run(String key, String... args) {
        CompletionStage<List<Object>> answer = redis.eval(SCRIPT, ScriptOutputType.MULTI, new String[] {key}, args);
        return answer.thenApply(RedisLeases::parse);
    }

    static LeaseAnswer parse(List<Object> reply) {
        if (reply.size() < 7) {
            throw new IllegalStateException("lease.lua answered " + reply);
        }
        return new LeaseAnswer(number(reply.get(0)) == 1, new LeaseHolder(text(reply.get(1)), number(reply.get(2)),
                number(reply.get(6)), number(reply.get(3)), text(reply.get(4)), text(reply.get(5))));
    }

    private static long number(Object value) {
        return value instanceof Long n ? n : Long.parseLong(String.valueOf(value));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    static String read(String resource) {
        try (InputStream in = RedisLeases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
