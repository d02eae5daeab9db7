package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LocalRedisTest {

    @TempDir
    Path tmp;

    @Test
    void startsOnAFreePortAndAnswersPing() throws IOException {
        Path dir = tmp.resolve("created/on/demand");
        try (LocalRedis redis = LocalRedis.start(dir)) {
            assertTrue(redis.isAlive());
            assertNotEquals(6379, redis.port());
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals(dir.toAbsolutePath(), redis.dataDir());
            assertEquals("+PONG", ping(redis.port()));
            assertTrue(Files.isRegularFile(dir.resolve("redis.log")));
        }
    }

    @Test
    void gracefulStopKeepsDataAcrossRestartOnSamePortAndDir() {
        Path dir = tmp.resolve("data");
        LocalRedis first = LocalRedis.start(dir);
        int port = first.port();
        try {
            withConnection(first, c -> c.sync().set("wish:1", "claimed"));
        } finally {
            first.stop();
        }
        assertFalse(first.isAlive());
        first.stop(); // idempotent

        try (LocalRedis second = LocalRedis.start(dir, port)) {
            assertEquals(port, second.port());
            withConnection(second, c -> assertEquals("claimed", c.sync().get("wish:1")));
        }
    }

    @Test
    void killFreesThePort() throws IOException {
        LocalRedis redis = LocalRedis.start(tmp);
        assertEquals("+PONG", ping(redis.port()));

        redis.kill();

        assertFalse(redis.isAlive());
        assertThrows(ConnectException.class, () -> ping(redis.port()));
        redis.watchdogPid().ifPresent(watchdog -> assertFalse(ProcStat.running(watchdog), "watchdog left running"));
        redis.close(); // no-op after kill
    }

    @Test
    void runsInAProcessGroupOfItsOwnUnderItsOwnPid() {
        assumeTrue(ProcStat.procAvailable() && OwnProcessGroup.sameSession() && NewSession.available(),
                "needs /proc, Perl and util-linux setsid");
        long jvmPid = ProcessHandle.current().pid();
        ProcStat jvm = ProcStat.of(jvmPid).orElseThrow();
        try (LocalRedis redis = LocalRedis.start(tmp)) {
            // Perl exec'd redis-server instead of forking it: the JVM's child is Redis itself ...
            withConnection(redis, c -> assertEquals(redis.pid(), processId(c.sync().info("server"))));
            ProcStat stat = ProcStat.of(redis.pid()).orElseThrow();
            assertEquals(jvmPid, stat.ppid());
            // ... and leads a process group of its own, which a terminal's Ctrl-C does not reach, in
            // the JVM's session, so that the scheduler does not weigh it as much as the whole engine.
            assertEquals(redis.pid(), stat.pgrp());
            assertNotEquals(jvm.pgrp(), stat.pgrp());
            assertEquals(jvm.session(), stat.session());
            long watchdog = redis.watchdogPid().orElseThrow(() -> new AssertionError("no watchdog"));
            ProcStat dog = ProcStat.of(watchdog).orElseThrow();
            assertEquals(jvmPid, dog.ppid());
            assertEquals(watchdog, dog.session());
            assertNotEquals(jvm.pgrp(), dog.pgrp());
        }
    }

    @Test
    void stopLeavesNeitherRedisNorItsWatchdogRunning() throws IOException {
        assumeTrue(ProcStat.procAvailable(), "needs /proc");
        LocalRedis redis = LocalRedis.start(tmp);
        long watchdog = redis.watchdogPid().orElseThrow(() -> new AssertionError("no watchdog"));
        ProcessHandle handle = ProcessHandle.of(watchdog).orElseThrow();
        assertTrue(handle.info().commandLine().orElse("").contains(LocalRedis.WATCHDOG_NAME),
                () -> handle.info().toString());
        // It reads /dev/null and writes redis.log: no pipe of the engine's that anyone could wait on.
        Set<String> stdio = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(watchdog), "fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException closedMeanwhile) {
                    continue;
                }
                assertFalse(target.startsWith("pipe:") || target.startsWith("socket:"), fd + " -> " + target);
                if (Set.of("0", "1", "2").contains(fd.getFileName().toString())) {
                    stdio.add(target);
                }
            }
        }
        assertEquals(Set.of("/dev/null", tmp.toAbsolutePath().resolve("redis.log").toString()), stdio);
        List<Long> naps = handle.descendants().map(ProcessHandle::pid).toList();

        redis.stop();

        // Gone by the time stop() returns, not half a second later when the loop would notice.
        assertFalse(ProcStat.running(redis.pid()), "redis-server still running");
        assertFalse(ProcStat.running(watchdog), "watchdog still running");
        for (long nap : naps) {
            assertFalse(ProcStat.running(nap), "the watchdog's sleep " + nap + " still running");
        }
    }

    @Test
    void watchdogStopsRedisGracefullyOnceItsOwnerIsGone() throws Exception {
        assumeTrue(ProcStat.procAvailable(), "needs /proc");
        Process owner = new ProcessBuilder("sleep", "60").start(); // stands in for the engine's JVM
        Path dir = tmp.resolve("data");
        LocalRedis redis = LocalRedis.start(LocalRedis.findBinary(), dir, 0, List.of(), owner.pid());
        try {
            long watchdog = redis.watchdogPid().orElseThrow(() -> new AssertionError("no watchdog"));
            withConnection(redis, c -> c.sync().set("wish:1", "claimed"));

            owner.destroyForcibly();

            assertTrue(ProcStat.awaitExit(redis.pid(), Duration.ofSeconds(5)), "Redis outlived its owner");
            assertTrue(ProcStat.awaitExit(watchdog, Duration.ofSeconds(5)), "the watchdog outlived Redis");
            String log = Files.readString(dir.resolve("redis.log"));
            assertTrue(log.contains(LocalRedis.WATCHDOG_NAME + ": engine pid " + owner.pid() + " is gone"), log);
            // SIGTERM, not SIGKILL: Redis fsyncs its AOF and says goodbye.
            assertTrue(log.contains("Received SIGTERM"), log);
            assertTrue(log.contains("ready to exit"), log);
        } finally {
            owner.destroyForcibly();
            redis.stop();
        }
        try (LocalRedis again = LocalRedis.start(dir)) {
            withConnection(again, c -> assertEquals("claimed", c.sync().get("wish:1")));
        }
    }

    @Test
    void concurrentStartsGetDifferentPorts() {
        CompletableFuture<LocalRedis> a = CompletableFuture.supplyAsync(() -> LocalRedis.start(tmp.resolve("a")));
        CompletableFuture<LocalRedis> b = CompletableFuture.supplyAsync(() -> LocalRedis.start(tmp.resolve("b")));
        try (LocalRedis ra = a.join(); LocalRedis rb = b.join()) {
            assertNotEquals(ra.port(), rb.port());
            assertTrue(ra.isAlive() && rb.isAlive());
        }
    }

    @Test
    void extraArgsOverrideDefaults() {
        try (LocalRedis redis = LocalRedis.start(tmp, 0, List.of("--appendfsync", "always"))) {
            withConnection(redis, c -> assertEquals(
                    Map.of("appendfsync", "always"), c.sync().configGet("appendfsync")));
        }
    }

    @Test
    void givenPortAlreadyServedByAnotherRedisFails() throws IOException {
        try (LocalRedis owner = LocalRedis.start(tmp.resolve("owner"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalRedis.start(tmp.resolve("intruder"), owner.port()));
            assertTrue(e.getMessage().contains("port " + owner.port()), e.getMessage());
            assertEquals("+PONG", ping(owner.port()));
        }
    }

    @Test
    void embeddedBinaryFromJarRuns() throws IOException {
        try (LocalRedis redis = LocalRedis.start(LocalRedis.embeddedBinary(), tmp, 0, List.of())) {
            assertEquals("+PONG", ping(redis.port()));
        }
    }

    private static void withConnection(LocalRedis redis,
                                       Consumer<StatefulRedisConnection<String, String>> body) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            body.accept(connection);
        } finally {
            client.shutdown();
        }
    }

    private static long processId(String info) {
        Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
        assertTrue(pid.find(), info);
        return Long.parseLong(pid.group(1));
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        }
    }
}
