package org.wishengine.wish.store;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's embedded default store: a {@code redis-server} child process owned by this JVM.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>When {@code start} returns, the server answering on {@code 127.0.0.1:}{@link #port()} is
 *       this child (checked by pid, not just by a PONG) and is done loading its data.</li>
 *   <li>Data lives in an append-only file under {@link #dataDir()} ({@code appendfsync everysec}
 *       unless overridden by extra args). {@link #stop()} shuts Redis down gracefully, which
 *       fsyncs the AOF: everything acknowledged before {@code stop()} is there after a restart on
 *       the same directory. {@link #kill()} is a crash: with {@code everysec}, up to about one
 *       second of writes may be lost.</li>
 *   <li>Redis runs in a process group of its own ({@code OwnProcessGroup}; a session of its own
 *       where Perl is missing): a terminal's Ctrl-C, which signals the whole foreground process
 *       group, reaches the engine only, and Redis keeps serving while the engine drains.</li>
 *   <li>The child does not outlive this JVM, however the JVM ends, and always stops gracefully
 *       (SIGTERM or {@code SHUTDOWN}, so its AOF is fsynced): a watchdog ({@code RedisWatchdog})
 *       sends it SIGTERM within about half a second after the JVM's process is gone, including
 *       after a SIGKILL. {@code redis.pid} in the data directory names it, for the next start to
 *       stop it should it still be running (no watchdog, see below).</li>
 * </ul>
 *
 * <p>Who stops Redis, and when. The engine's own {@code close()} calls {@link #stop()} last, after
 * it has drained its ring and committed its last batch. On SIGINT/SIGTERM the JVM runs its
 * shutdown hooks concurrently, in no defined order, so this class registers no hook that would
 * stop Redis: while the engine's hook drains, nothing else touches Redis, and the watchdog acts
 * only once the JVM process has exited, that is after every hook has finished. Only without a
 * watchdog (no {@code /bin/sh}, e.g. on Windows) is there a shutdown hook, and it first waits up
 * to ten seconds ({@code HOOK_GRACE_MS}) for someone to call {@link #stop()} (Redis exiting ends
 * the wait) before stopping Redis itself.
 *
 * <p>The binary is, in order: the {@code wish.redis.server} system property, the
 * {@code WISH_REDIS_SERVER} environment variable, {@code redis-server} on the {@code PATH}, or the
 * binary shipped in the embedded-redis jar for this OS/architecture. Redis output goes to
 * {@code redis.log} in the data directory. Instances are thread-safe.
 */
public final class LocalRedis implements AutoCloseable {

    public static final String BINARY_PROPERTY = "wish.redis.server";
    public static final String BINARY_ENV = "WISH_REDIS_SERVER";
    /** What the watchdog's command line carries, to tell it apart in {@code ps}. */
    public static final String WATCHDOG_NAME = "wish-redis-watchdog";

    private static final Logger LOG = LoggerFactory.getLogger(LocalRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final long READY_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    /** How long the fallback shutdown hook leaves Redis to the engine's own orderly stop. */
    static final long HOOK_GRACE_MS = 10_000;
    private static final int IO_TIMEOUT_MS = 1_000;
    private static final int PORT_ATTEMPTS = 5;
    private static final int LOG_TAIL_BYTES = 2_048;
    private static final Pattern PROCESS_ID = Pattern.compile("process_id:(\\d+)");

    private static final String PID_FILE = "redis.pid";
    private static Path extractedBinary;

    private final Path dataDir;
    private final int port;
    private final Process process;
    /** Empty where no watchdog could be started; {@link #shutdownHook} stands in for it then. */
    private final Optional<RedisWatchdog> watchdog;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalRedis(Path binary, Path dataDir, int port, List<String> extraArgs, long ownerPid)
            throws IOException {
        this.dataDir = dataDir;
        this.port = port;
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--bind", HOST, "--port", Integer.toString(port), "--dir", dataDir.toString(),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--protected-mode", "no", "--daemonize", "no"));
        command.addAll(extraArgs); // later occurrences of an option win in Redis
        this.process = new ProcessBuilder(OwnProcessGroup.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        // Started before the readiness wait so that a JVM dying mid-start does not leave the child.
        this.watchdog = RedisWatchdog.start(ownerPid, process.pid(), logFile());
        if (watchdog.isPresent()) {
            this.shutdownHook = null;
        } else {
            this.shutdownHook = new Thread(this::shutDownUnlessStopped,
                    "local-redis-" + port + "-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts Redis on a free loopback port. */
    public static LocalRedis start(Path dataDir) {
        return start(dataDir, 0, List.of());
    }

    /** Starts Redis on {@code port}; {@code 0} picks a free one. */
    public static LocalRedis start(Path dataDir, int port) {
        return start(dataDir, port, List.of());
    }

    /**
     * Starts Redis on {@code port} ({@code 0} picks a free one); {@code extraArgs} are appended to
     * the command line and override the defaults, e.g. {@code List.of("--appendfsync", "always")}.
     */
    public static LocalRedis start(Path dataDir, int port, List<String> extraArgs) {
        return start(findBinary(), dataDir, port, extraArgs);
    }

    static LocalRedis start(Path binary, Path dataDir, int port, List<String> extraArgs) {
        return start(binary, dataDir, port, extraArgs, ProcessHandle.current().pid());
    }

    /** As above, with the watchdog stopping Redis once {@code ownerPid} is gone, not this JVM. */
    static LocalRedis start(Path binary, Path dataDir, int port, List<String> extraArgs, long ownerPid) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            stopOrphan(dir);
            for (int attempt = 1; ; attempt++) {
                int chosen = port == 0 ? freePort() : port;
                LocalRedis redis = new LocalRedis(binary, dir, chosen, List.copyOf(extraArgs), ownerPid);
                boolean ready;
                try {
                    ready = redis.awaitReady();
                } catch (RuntimeException | Error e) {
                    redis.kill();
                    throw e;
                }
                if (ready) {
                    // The start time guards against a recycled pid naming some other process later.
                    Files.writeString(dir.resolve(PID_FILE), redis.process.pid() + " "
                            + redis.process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L));
                    LOG.info("Started redis-server {} (pid {}) on {}:{} with data dir {}",
                            binary, redis.process.pid(), HOST, chosen, dir);
                    return redis;
                }
                redis.kill();
                // A port we picked can be grabbed by someone else before Redis binds it: pick again.
                if (port != 0 || attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException("redis-server " + binary + " did not come up on port "
                            + chosen + " (port in use?); tail of " + redis.logFile() + ":\n" + redis.logTail());
                }
                LOG.debug("redis-server could not take port {}, retrying with another", chosen);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start redis-server " + binary + " in " + dir, e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The pid of {@code redis-server} itself (what {@code redis.pid} records). */
    long pid() {
        return process.pid();
    }

    /** The pid of the watchdog shell, if one runs. */
    Optional<Long> watchdogPid() {
        return watchdog.map(RedisWatchdog::pid);
    }

    /**
     * Graceful shutdown: Redis fsyncs the AOF before exiting; returns once Redis and its watchdog
     * are gone. Idempotent.
     */
    public void stop() {
        if (markClosed()) {
            shutDown();
            watchdog.ifPresent(RedisWatchdog::stop);
        }
    }

    /**
     * Simulates a crash: SIGKILL, then waits for the process to be gone (its port is free again)
     * and ends the watchdog.
     */
    public void kill() {
        markClosed();
        process.destroyForcibly();
        awaitExit();
        watchdog.ifPresent(RedisWatchdog::stop);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "LocalRedis[" + uri() + ", " + dataDir + "]";
    }

    /** Returns true once the child answers PONG; false if it died or someone else owns the port. */
    private boolean awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        long backoffMs = 5;
        while (process.isAlive()) {
            String reply = tryRequest("PING");
            if ("+PONG".equals(reply)) {
                // Another server on the same port answers PONG too, until our child fails to bind.
                if (isOwnServer()) {
                    return true;
                }
                awaitExit(IO_TIMEOUT_MS); // so that redis.log holds its reason
                return false;
            }
            // Anything else (refused, -LOADING while the AOF replays) means: not yet.
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on port " + port + " not ready after "
                        + READY_TIMEOUT_MS + " ms (last reply: " + reply + "); tail of " + logFile()
                        + ":\n" + logTail());
            }
            awaitExit(backoffMs); // doubles as the backoff sleep and an early wake-up if the child exits
            backoffMs = Math.min(backoffMs * 2, 200);
        }
        return false;
    }

    private void awaitExit(long timeoutMs) {
        try {
            process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }

    private boolean isOwnServer() throws IOException {
        Matcher pid = PROCESS_ID.matcher(request("INFO server"));
        return pid.find() && Long.parseLong(pid.group(1)) == process.pid();
    }

    /**
     * The fallback shutdown hook's body: the engine's hook, running at the same time, is still
     * draining into Redis and calls {@link #stop()} when done, so leave it that long first.
     */
    private void shutDownUnlessStopped() {
        awaitExit(HOOK_GRACE_MS);
        shutDown();
    }

    /** Also run by the shutdown hook, hence no hook removal here. */
    private void shutDown() {
        if (!process.isAlive()) {
            return;
        }
        try {
            String reply = request("SHUTDOWN"); // on success Redis just closes the connection
            if (reply.startsWith("-")) {
                LOG.warn("redis-server on port {} refused SHUTDOWN ({}), sending SIGTERM", port, reply);
                process.destroy();
            }
        } catch (IOException e) {
            process.destroy(); // SIGTERM: Redis shuts down gracefully on it too
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("redis-server on port {} did not exit within {} ms, killing it", port, STOP_TIMEOUT_MS);
                process.destroyForcibly();
                awaitExit();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Returns whether this call is the one that closed the instance. */
    private synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        if (shutdownHook == null) {
            return true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // The hook is running or about to; it ends as soon as this stop() has stopped Redis.
        }
        return true;
    }

    private void awaitExit() {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the caller relies on the port being free when we return
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private String tryRequest(String command) {
        try {
            return request(command);
        } catch (IOException notListeningYet) {
            return null;
        }
    }

    /** One inline command on a fresh connection; returns the status/error line or the bulk body. */
    private String request(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), IO_TIMEOUT_MS);
            socket.setSoTimeout(IO_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = readLine(in);
            if (!line.startsWith("$")) {
                return line;
            }
            int length = Integer.parseInt(line.substring(1));
            return length < 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private Path logFile() {
        return dataDir.resolve("redis.log");
    }

    private String logTail() {
        try (SeekableByteChannel log = Files.newByteChannel(logFile())) {
            long start = Math.max(0, log.size() - LOG_TAIL_BYTES);
            ByteBuffer tail = ByteBuffer.allocate((int) (log.size() - start));
            log.position(start);
            while (tail.hasRemaining() && log.read(tail) > 0) {
                // keep reading
            }
            return new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * Stops a Redis that an earlier engine started on this data directory and that is still running:
     * that engine was killed and its watchdog is not there (killed too, no {@code /bin/sh}) or has
     * not acted yet. Two servers appending to one AOF would corrupt it; SIGTERM makes the orphan
     * flush its AOF and exit first.
     */
    private static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        long started;
        try {
            String[] fields = Files.readString(pidFile).trim().split("\\s+");
            pid = Long.parseLong(fields[0]);
            started = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
            return;
        }
        // Debian's redis-server is a link to redis-check-rdb, so the command name only says "redis".
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(c -> c.contains("redis")).orElse(false))
                .filter(handle -> started == 0 || handle.info().startInstant()
                        .map(at -> at.toEpochMilli() == started).orElse(true));
        if (orphan.isPresent()) {
            LOG.warn("Stopping redis-server pid {} left running on {} by an engine that did not shut down", pid, dir);
            ProcessHandle handle = orphan.get();
            handle.destroy();
            try {
                handle.onExit().get(STOP_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping an orphaned redis-server", e);
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /**
     * The {@code redis-server} binary that {@code start} runs, found as the class comment describes;
     * public so that test fixtures starting several servers (a cluster) and its tools beside it
     * ({@code redis-cli}) look in the same places.
     */
    public static Path serverBinary() {
        return findBinary();
    }

    /**
     * The {@code redis-server} binary that {@code start} would run, found in the same order, except
     * that the embedded binary, when it is the one, is extracted into {@code dir} and kept there
     * (not deleted when this JVM exits), so that another process can run it: what the
     * {@code redis-server-path} command prints for {@code engine/scripts/cluster.sh}.
     */
    public static Path serverBinaryKeptIn(Path dir) {
        return findBinary(() -> extractEmbedded(dir));
    }

    static Path findBinary() {
        return findBinary(LocalRedis::embeddedBinary);
    }

    private static Path findBinary(java.util.function.Supplier<Path> embedded) {
        String override = Optional.ofNullable(System.getProperty(BINARY_PROPERTY))
                .orElse(System.getenv(BINARY_ENV));
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            // An explicit choice that does not work is a configuration error, not a cue to fall back.
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalStateException("redis-server override " + path + " (from -D"
                        + BINARY_PROPERTY + " or " + BINARY_ENV + ") is not an executable file");
            }
            return path;
        }
        return onPath(isWindows() ? "redis-server.exe" : "redis-server").orElseGet(embedded);
    }

    /** The executable file {@code name} in the first {@code PATH} directory that has one. */
    static Optional<Path> onPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Extracts the embedded-redis jar's binary for this platform once per JVM, to a file deleted on exit. */
    static synchronized Path embeddedBinary() {
        if (extractedBinary != null) {
            return extractedBinary;
        }
        try {
            Path file = Files.createTempFile("wish-redis-server-", isWindows() ? ".exe" : "");
            file.toFile().deleteOnExit();
            copyEmbedded(file);
            extractedBinary = file;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the embedded redis-server", e);
        }
    }

    /**
     * Extracts the embedded binary into {@code dir} under its resource name and keeps it there. It is
     * written beside and renamed over any earlier copy, so a server still running the old file is
     * not disturbed and nobody ever runs a half-written one.
     */
    static Path extractEmbedded(Path dir) {
        try {
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, "redis-server-", ".part");
            try {
                String resource = copyEmbedded(part);
                return Files.move(part, dir.resolve(resource), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE).toAbsolutePath();
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the embedded redis-server into " + dir, e);
        }
    }

    /** Writes this platform's embedded binary to {@code file}, executable; returns its resource name. */
    private static String copyEmbedded(Path file) throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        String resource = embeddedResource(os.toLowerCase(Locale.ROOT), arch.toLowerCase(Locale.ROOT));
        try (InputStream in = resource == null ? null : LocalRedis.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("No redis-server found: not on the PATH, no -D" + BINARY_PROPERTY
                        + " / " + BINARY_ENV + " override, and the embedded-redis jar has no binary for "
                        + os + "/" + arch + (resource == null ? "" : " (missing resource " + resource + ")"));
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!file.toFile().setExecutable(true, true)) {
            throw new IOException("Cannot make " + file + " executable");
        }
        return resource;
    }

    private static String embeddedResource(String os, String arch) {
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i686");
        if (os.contains("linux")) {
            return x64 ? "redis-server-6.2.6-v5-linux-amd64"
                    : arm64 ? "redis-server-6.2.7-linux-arm64"
                    : x86 ? "redis-server-6.2.7-linux-386" : null;
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return x64 ? "redis-server-6.2.6-v5-darwin-amd64"
                    : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
        }
        if (os.contains("windows")) {
            return x64 ? "redis-server-5.0.14.1-windows-amd64.exe" : null;
        }
        return null;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows");
    }
}
