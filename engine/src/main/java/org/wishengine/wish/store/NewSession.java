package org.wishengine.wish.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts child processes in a session of their own through util-linux's {@code setsid}, so that the
 * signals a terminal sends to its whole foreground process group (Ctrl-C's SIGINT, Ctrl-\'s SIGQUIT,
 * Ctrl-Z's SIGTSTP, SIGHUP when it closes) reach the engine only, and the engine alone decides when
 * its children stop.
 *
 * <p>{@code setsid} forks only when its caller leads a process group; a child of the JVM does not
 * (the JVM does not give its children groups of their own), so {@code setsid} calls setsid(2) and
 * execs the program: the pid the JVM sees is the program's own. {@link LocalRedis} checks this on
 * every start ({@code INFO server} must report that pid).
 *
 * <p>Without {@code setsid} (not Linux, or util-linux missing) the command runs as given, in the
 * engine's process group; which of the two is used is logged once.
 */
final class NewSession {

    private static final Logger LOG = LoggerFactory.getLogger(NewSession.class);
    private static final Path DEBIAN_SETSID = Path.of("/usr/bin/setsid");
    private static Optional<Path> setsid;

    private NewSession() {
    }

    /** {@code command} prefixed with {@code setsid} when there is one. */
    static List<String> command(List<String> command) {
        return setsid().map(tool -> {
            List<String> wrapped = new ArrayList<>(command.size() + 1);
            wrapped.add(tool.toString());
            wrapped.addAll(command);
            return wrapped;
        }).orElse(command);
    }

    /** Whether {@link #command} puts children in a session of their own. */
    static boolean available() {
        return setsid().isPresent();
    }

    private static synchronized Optional<Path> setsid() {
        if (setsid == null) {
            setsid = Files.isExecutable(DEBIAN_SETSID) ? Optional.of(DEBIAN_SETSID) : LocalRedis.onPath("setsid");
            if (setsid.isPresent()) {
                LOG.info("The Redis watchdog runs in a session of its own ({}): terminal signals such as Ctrl-C "
                        + "do not reach it", setsid.get());
            } else {
                LOG.warn("No setsid found (util-linux): the Redis watchdog (and, without Perl, the local Redis) "
                        + "shares the engine's process group, so a Ctrl-C in the terminal reaches it too; stop the "
                        + "engine with SIGTERM (kill <pid>) instead");
            }
        }
        return setsid;
    }
}
