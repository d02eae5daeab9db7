package org.wishengine.wish.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code /bin/sh} loop that sends SIGTERM to the engine's Redis once the engine's process is
 * gone, however it went (SIGKILL, a JVM crash, an exit without {@link LocalRedis#stop()}), so that
 * Redis does not outlive the engine and still fsyncs its AOF on the way out (SIGTERM is Redis's
 * graceful shutdown; SIGKILL would not be).
 *
 * <p>It polls both pids every half second ({@code kill -0}; on Linux a dead engine not yet reaped
 * by its parent counts as gone) and exits by itself once Redis is gone. It runs in a session of its
 * own when {@link NewSession} can (a terminal's Ctrl-C does not reach it), reads {@code /dev/null}
 * and writes to {@code redis.log}: it holds no pipe to the engine or to whoever reads the engine's
 * output. {@link #stop()} ends it at once (its SIGTERM trap kills and reaps the pending
 * {@code sleep}), leaving no process behind.
 */
final class RedisWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(RedisWatchdog.class);
    private static final Path SHELL = Path.of("/bin/sh");
    private static final long STOP_TIMEOUT_MS = 2_000;
    /** {@code $0} of the script: the watchdog's command line carries it. */
    private static final String NAME = LocalRedis.WATCHDOG_NAME;

    // POSIX sh (Debian's dash). A killed engine whose parent has not reaped it yet still answers
    // kill -0: its state in /proc (Linux) is Z then, read with the `read` builtin to spare a fork.
    // The sleep runs in the background so that `wait` returns as soon as the TERM trap fires, and
    // the trap kills and reaps that sleep: once the shell has exited, nothing of it runs. A `sleep`
    // without fractions (strict POSIX) gets whole seconds instead of spinning.
    private static final String SCRIPT = String.join("\n",
            "engine=$1 redis=$2 nap=",
            "trap 'kill $nap 2>/dev/null; wait; exit 0' TERM",
            "if sleep 0.01 2>/dev/null; then period=0.5; else period=1; fi",
            "engine_gone() {",
            "  kill -0 \"$engine\" 2>/dev/null || return 0",
            "  stat=",
            "  read -r stat 2>/dev/null < \"/proc/$engine/stat\"",
            "  case $stat in *') Z '*|*') X '*) return 0 ;; esac",
            "  return 1",
            "}",
            "while kill -0 \"$redis\" 2>/dev/null; do",
            "  if engine_gone; then",
            "    echo \"" + NAME + ": engine pid $engine is gone, sending SIGTERM to redis-server pid $redis\"",
            "    kill -TERM \"$redis\"",
            "    exit 0",
            "  fi",
            "  sleep $period & nap=$!",
            "  wait $nap",
            "done");

    private final Process process;

    private RedisWatchdog(Process process) {
        this.process = process;
    }

    /**
     * Starts a watchdog for {@code redisPid} on behalf of {@code enginePid}; empty (after a warning)
     * where there is no {@code /bin/sh} or it cannot be started.
     */
    static Optional<RedisWatchdog> start(long enginePid, long redisPid, Path log) {
        if (!Files.isExecutable(SHELL)) {
            LOG.warn("No {}: no watchdog stops the local Redis if the engine is killed; the next engine on the "
                    + "same data directory stops it instead", SHELL);
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(NewSession.command(List.of(SHELL.toString(), "-c", SCRIPT, NAME,
                    Long.toString(enginePid), Long.toString(redisPid))))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return Optional.of(new RedisWatchdog(process));
        } catch (IOException e) {
            LOG.warn("Cannot start the local Redis's watchdog; if the engine is killed, the next engine on the "
                    + "same data directory stops that Redis instead", e);
            return Optional.empty();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Ends the watchdog and waits for it; call once Redis is gone. */
    void stop() {
        process.destroy();
        boolean interrupted = false;
        try {
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
