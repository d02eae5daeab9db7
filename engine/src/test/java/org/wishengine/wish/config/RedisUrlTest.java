package org.wishengine.wish.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUrlTest {

    @Test
    void shouldAcceptWhatLettuceConnectsTo() {
        for (String good : new String[] {"redis://localhost:6379", "redis://h", "rediss://h:6380", "redis+ssl://h",
                "redis://user:pw@h:1/2", "redis://[::1]:6379", "redis-socket:///tmp/redis.sock",
                "redis-sentinel://h1:26379,h2:26379#master"}) {
            assertEquals(Optional.empty(), RedisUrl.problem(good), good);
        }
    }

    @Test
    void shouldRefuseWhatCanNeverConnect() {
        for (String bad : new String[] {"localhost:6379", "http://x", "redis://", "redis://:6379", "redis://h:port",
                "redis://h:99999", "redis:/h", "redis//h", "x", "", " ", "redis-socket://", "redis-sentinel://#m",
                "REDIS://h"}) {
            assertTrue(RedisUrl.problem(bad).isPresent(), bad);
        }
    }

    @Test
    void shouldNameTheFlagTheValueAndTheExpectedFormInOneLine() {
        assertEquals(Optional.of("--redis-url \"localhost:6379\" is not a Redis URL; expected redis://host:port "
                + "(or rediss://, redis-socket://)"), RedisUrl.problem("localhost:6379"));
    }

    @Test
    void shouldKeepAPasswordOutOfTheMessage() {
        String line = RedisUrl.problem("redis://:s3cret@").orElseThrow();
        assertTrue(!line.contains("s3cret") && line.contains("\"redis://***@\""), line);
    }

    @Test
    void shouldBeRefusedByTheEngineConfiguration() {
        assertThrows(IllegalArgumentException.class,
                () -> EngineConfig.defaults("localhost:6379", Path.of("data"), "admin", "secret"));
        assertEquals("redis://h:1", EngineConfig.defaults("redis://h:1", Path.of("data"), "a", "s").redisUrl());
    }
}
