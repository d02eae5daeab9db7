package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both kinds of watchdog, with {@code sleep} processes standing in for the engine and its Redis:
 * it sends SIGTERM to "Redis" once "the engine" is killed, ends by itself once "Redis" is gone,
 * and {@link RedisWatchdog#stop()} leaves nothing of it running. The Perl kind starts no process
 * per nap, which is why it is preferred (docs/performance.md, item 42).
 */
class RedisWatchdogTest {

    @TempDir
    Path tmp;

    private Process engine;
    private Process redis;

    @AfterEach
    void killStandIns() {
        for (Process process : new Process[] {engine, redis}) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RedisWatchdog.Kind.class)
    void shouldSendSigtermToRedisOnceTheEngineIsKilled(RedisWatchdog.Kind kind) throws Exception {
        RedisWatchdog watchdog = start(kind);

        engine.destroyForcibly();

        assertTrue(redis.waitFor(5, TimeUnit.SECONDS), "Redis outlived the engine");
        assertEquals(128 + 15, redis.exitValue(), "not ended by SIGTERM");
        assertTrue(ProcStat.awaitExit(watchdog.pid(), Duration.ofSeconds(5)), "the watchdog outlived Redis");
        assertTrue(Files.readString(tmp.resolve("redis.log")).contains(LocalRedis.WATCHDOG_NAME + ": engine pid "
                + engine.pid() + " is gone, sending SIGTERM to redis-server pid " + redis.pid()));
    }

    @ParameterizedTest
    @EnumSource(RedisWatchdog.Kind.class)
    void shouldEndByItselfOnceRedisIsGone(RedisWatchdog.Kind kind) throws Exception {
        RedisWatchdog watchdog = start(kind);

        redis.destroyForcibly();
        redis.waitFor();

        assertTrue(ProcStat.awaitExit(watchdog.pid(), Duration.ofSeconds(5)), "the watchdog outlived Redis");
        assertTrue(engine.isAlive());
    }

    @ParameterizedTest
    @EnumSource(RedisWatchdog.Kind.class)
    void stopShouldLeaveNothingOfItRunning(RedisWatchdog.Kind kind) throws Exception {
        RedisWatchdog watchdog = start(kind);
        ProcessHandle handle = ProcessHandle.of(watchdog.pid()).orElseThrow();
        List<Long> naps = handle.descendants().map(ProcessHandle::pid).toList();
        if (kind == RedisWatchdog.Kind.PERL) {
            assertEquals(List.of(), naps, "the Perl watchdog naps without a process");
        }

        watchdog.stop();

        assertFalse(ProcStat.running(watchdog.pid()), "watchdog still running");
        for (long nap : naps) {
            assertFalse(ProcStat.running(nap), "the watchdog's sleep " + nap + " still running");
        }
        assertTrue(redis.isAlive(), "stopping the watchdog must not stop Redis");
    }

    private RedisWatchdog start(RedisWatchdog.Kind kind) throws Exception {
        assumeTrue(ProcStat.procAvailable(), "needs /proc");
        if (kind == RedisWatchdog.Kind.PERL) {
            assumeTrue(OwnProcessGroup.perl().isPresent(), "no Perl here");
        }
        engine = new ProcessBuilder("sleep", "60").start();
        redis = new ProcessBuilder("sleep", "60").start();
        RedisWatchdog watchdog = RedisWatchdog.start(kind, engine.pid(), redis.pid(), tmp.resolve("redis.log"))
                .orElseThrow(() -> new AssertionError("no watchdog started"));
        // Started: its command line carries the name that tells it apart in ps.
        String commandLine = ProcessHandle.of(watchdog.pid()).flatMap(p -> p.info().commandLine()).orElse("");
        assertTrue(commandLine.isEmpty() || commandLine.contains(LocalRedis.WATCHDOG_NAME), commandLine);
        return watchdog;
    }
}
