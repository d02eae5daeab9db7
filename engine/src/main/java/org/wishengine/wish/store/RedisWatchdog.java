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
 * A small process that sends SIGTERM to the engine's Redis once the engine's process is gone,
 * however it went (SIGKILL, a JVM crash, an exit without {@link LocalRedis#stop()}), so that Redis
 * does not outlive the engine and still fsyncs its AOF on the way out (SIGTERM is Redis's graceful
 * shutdown; SIGKILL would not be).
 *
 * <p>It checks both pids every half second (a signal 0; on Linux a dead engine not yet reaped by
 * its parent counts as gone) and exits by itself once Redis is gone. It runs in Perl where the
 * machine has it ({@link Kind#PERL}: one process that sleeps in {@code select}), else as a
 * {@code /bin/sh} loop ({@link Kind#SHELL}), which must start a {@code sleep} process for every
 * nap: on 2 vCPUs each such fork and exec held a core for ~1.5 ms of kernel time, twice a second,
 * and the engine's threads queued behind it (docs/performance.md, item 42). It runs in a session of
 * its own when {@link NewSession} can (a terminal's Ctrl-C does not reach it), reads
 * {@code /dev/null} and writes to {@code redis.log}: it holds no pipe to the engine or to whoever
 * reads the engine's output. {@link #stop()} ends it at once, leaving no process behind.
 */
final class RedisWatchdog {

    /** What the watchdog runs in. */
    enum Kind {
        /** Perl: no process per nap. */
        PERL,
        /** POSIX sh: a {@code sleep} per nap, where there is no Perl. */
        SHELL
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisWatchdog.class);
    private static final Path SHELL = Path.of("/bin/sh");
    private static final long STOP_TIMEOUT_MS = 2_000;
    /** The first argument of either script: the watchdog's command line carries it. */
    private static final String NAME = LocalRedis.WATCHDOG_NAME;

    // The same loop in Perl. A signal 0 to a zombie succeeds, hence the look at its state in
    // /proc (Linux). SIGTERM interrupts the select and ends the process: nothing else runs.
    private static final String PERL_SCRIPT = String.join("\n",
            "my ($name, $engine, $redis) = @ARGV;",
            "$SIG{TERM} = sub { exit 0 };",
            "$| = 1;",
            "sub engine_gone {",
            "  return 1 unless kill 0, $engine;",
            "  open(my $stat, '<', \"/proc/$engine/stat\") or return 0;",
            "  my $line = <$stat>;",
            "  return defined $line && $line =~ /\\) [ZX] /;",
            "}",
            "while (kill 0, $redis) {",
            "  if (engine_gone()) {",
            "    print \"$name: engine pid $engine is gone, sending SIGTERM to redis-server pid $redis\\n\";",
            "    kill 'TERM', $redis;",
            "    exit 0;",
            "  }",
            "  select(undef, undef, undef, 0.5);",
            "}");

    // POSIX sh (Debian's dash). A killed engine whose parent has not reaped it yet still answers
    // kill -0: its state in /proc (Linux) is Z then, read with the `read` builtin to spare a fork.
    // The sleep runs in the background so that `wait` returns as soon as the TERM trap fires, and
    // the trap kills and reaps that sleep: once the shell has exited, nothing of it runs. A `sleep`
    // without fractions (strict POSIX) gets whole seconds instead of spinning.
    private static final String SHELL_SCRIPT = String.join("\n",
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
     * Starts a watchdog for {@code redisPid} on behalf of {@code enginePid}, in Perl where there is
     * Perl; empty (after a warning) where neither it nor {@code /bin/sh} can be started.
     */
    static Optional<RedisWatchdog> start(long enginePid, long redisPid, Path log) {
        return start(OwnProcessGroup.perl().isPresent() ? Kind.PERL : Kind.SHELL, enginePid, redisPid, log);
    }

    /** As above, in the given {@code kind} (the tests run both). */
    static Optional<RedisWatchdog> start(Kind kind, long enginePid, long redisPid, Path log) {
        List<String> command;
        if (kind == Kind.PERL) {
            Optional<Path> perl = OwnProcessGroup.perl();
            if (perl.isEmpty()) {
                return start(Kind.SHELL, enginePid, redisPid, log);
            }
            command = List.of(perl.get().toString(), "-e", PERL_SCRIPT, NAME, Long.toString(enginePid),
                    Long.toString(redisPid));
        } else {
            if (!Files.isExecutable(SHELL)) {
                LOG.warn("No {}: no watchdog stops the local Redis if the engine is killed; the next engine on the "
                        + "same data directory stops it instead", SHELL);
                return Optional.empty();
            }
            command = List.of(SHELL.toString(), "-c", SHELL_SCRIPT, NAME, Long.toString(enginePid),
                    Long.toString(redisPid));
        }
        try {
            Process process = new ProcessBuilder(NewSession.command(command))
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
