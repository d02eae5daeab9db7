package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A start-up that cannot work ends at once with one line on stderr saying why, and writes nothing
 * to the data directory: the engine runs from the built jar as its own process, started as an
 * operator would start it (no secrets given, so a normal start would generate them).
 */
@Timeout(120)
class StartupIT {

    /** Every frame of a printed stack trace starts so. */
    private static final String STACK_FRAME = "\tat ";
    /** Long enough for a JVM to start on a busy machine; an engine that retries would still be running. */
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:6379", "http://x", "redis://"})
    void shouldEndAtOnceWithOneLineWhenTheRedisUrlIsMalformed(String url) throws Exception {
        Path data = tmp.resolve("data");
        Finished run = run("--redis-url", url, "--host", "127.0.0.1", "--port", Integer.toString(EngineJar.freePort()),
                "--data-dir", data.toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("--redis-url \"" + url + "\" is not a Redis URL; expected redis://host:port "
                + "(or rediss://, redis-socket://)"), run.stderrLines(), run::toString);
        assertFalse(run.stdout().contains(STACK_FRAME), run::toString);
        assertFalse(Files.exists(data), () -> "the data directory was written: " + list(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--redis-cluster=redis://127.0.0.1:7000,localhost:7001|--redis-cluster node \"localhost:7001\" is not a Redis node URL; expected redis://host:port,redis://host:port,...",
        "--redis-cluster=redis-socket:///tmp/r.sock|--redis-cluster node \"redis-socket:///tmp/r.sock\" is not a Redis node URL; expected redis://host:port,redis://host:port,...",
        "--redis-cluster=redis://127.0.0.1:7000 --redis-url=redis://127.0.0.1:7001|give --redis-url or --redis-cluster, not both",
        "--min-replica-acks=1|--min-replica-acks needs --redis-cluster",
        "--redis-cluster=redis://127.0.0.1:7000 --min-replica-acks=9|--min-replica-acks must be between 0 and 5, not 9",
        "--lease-millis=10|the lease must last between 300 ms and 10 minutes, not 10 ms",
        "--node-id=a/b|a node id is 1 to 64 letters, digits, '.', '_' or '-', not 'a/b'",
        "--redis-fsync=sometimes|--redis-fsync must be everysec or always, not sometimes"})
    void shouldEndAtOnceWithOneLineWhenAClusterOrLeaseFlagIsWrong(String flagsAndLine) throws Exception {
        String[] parts = flagsAndLine.split("\\|", 2);
        Path data = tmp.resolve("data");
        List<String> args = new ArrayList<>(List.of(parts[0].split(" ")));
        args.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(EngineJar.freePort()),
                "--data-dir", data.toString()));
        Finished run = run(args.toArray(new String[0]));

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of(parts[1]), run.stderrLines(), run::toString);
        assertFalse(Files.exists(data), () -> "the data directory was written: " + list(data));
    }

    @Test
    void shouldNameTheTakenPortAndWriteNothingWhenThePortIsInUse() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            long before = System.nanoTime();
            Finished run = run("--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", data.toString());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before);

            assertEquals(1, run.exitCode(), run::toString);
            assertEquals(List.of("port " + port + " on 127.0.0.1 is already in use; stop the other process or pass --port"),
                    run.stderrLines(), run::toString);
            assertFalse(run.stdout().contains(STACK_FRAME), run::toString);
            assertFalse(Files.exists(data.resolve("secrets.properties")), "secrets were generated");
            assertFalse(Files.exists(data.resolve("redis.pid")), "a Redis was started");
            assertFalse(Files.exists(data), () -> "the data directory was written: " + list(data));
            // Nothing but a JVM start and a bind: no Redis start, no retries.
            assertTrue(seconds < 15, () -> "took " + seconds + " s to give up; " + run);
        }
    }

    @Test
    void shouldRefuseASecondEngineOnADataDirectoryInUseAndLeaveTheFirstAlone() throws Exception {
        EngineProcesses engines = new EngineProcesses(tmp, "startup-admin", "startup-user-token-secret-0123456789");
        try {
            Path data = tmp.resolve("shared");
            EngineProcess first = engines.start(data);
            long redisPid = first.redisPid().orElseThrow(() -> new AssertionError("no redis.pid"));
            Map<String, String> before = contents(data);

            // Started as an operator would, without secrets: a normal start would generate them.
            Finished second = run("--host", "127.0.0.1", "--port", Integer.toString(EngineJar.freePort()),
                    "--data-dir", data.toString());

            assertEquals(1, second.exitCode(), second::toString);
            assertEquals(List.of("data directory " + data.toAbsolutePath().normalize() + " is in use by another engine"
                    + " (pid " + first.process.pid() + "); stop it, or pass another --data-dir"),
                    second.stderrLines(), second::toString);
            assertFalse(second.stdout().contains(STACK_FRAME), second::toString);
            assertEquals(before, contents(data), "the second engine wrote to the first one's data directory");
            assertTrue(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false),
                    "the first engine's Redis was stopped as an orphan");
            assertEquals(200, first.get("/health/ready", null).statusCode(), first::logTail);
        } finally {
            engines.killAll();
        }
    }

    /** Every regular file of the directory with its bytes, to see that nothing changed. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (var paths = Files.list(dir)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                if (!path.getFileName().toString().endsWith(".aof") && !path.getFileName().toString().equals("redis.log")) {
                    files.put(path.getFileName().toString(), Files.readString(path, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return files;
    }

    // ================================================================== the engine process

    /** A finished engine process and what it printed. */
    private record Finished(int exitCode, String stdout, String stderr) {

        List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Finished run(String... args) throws Exception {
        Path out = Files.createTempFile(tmp, "engine", ".out");
        Path err = Files.createTempFile(tmp, "engine", ".err");
        Process process = EngineJar.command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(process);
        if (!process.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the engine was still running after " + EXIT_DEADLINE.toSeconds() + " s; stdout:\n"
                    + Files.readString(out, StandardCharsets.UTF_8) + "\nstderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String list(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(Path::getFileName).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
