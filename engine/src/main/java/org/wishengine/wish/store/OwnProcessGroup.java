package org.wishengine.wish.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the local Redis in a process group of its own but in the engine's session, so that the
 * signals a terminal sends to its foreground process group (Ctrl-C's SIGINT, Ctrl-\'s SIGQUIT)
 * reach the engine only, and the engine alone decides when Redis stops.
 *
 * <p>Why not a session of its own ({@link NewSession}): Linux schedules each session as one group
 * ("autogroup"), so a Redis in a session of its own is given as much CPU as the engine and
 * everything else started from the same terminal together, and preempts them whenever it wakes.
 * Measured on 2 vCPUs at 64 connections, three alternated pairs: ~7% fewer committed claims per
 * second and ~40% more Redis CPU per claim than in a process group of its own within the session.
 *
 * <p>Java cannot call setpgid(2) for a child, so the command is wrapped in Perl (part of every
 * Debian system: perl-base is essential), which calls it and execs Redis, keeping the pid. Without
 * Perl it falls back to {@code setsid} (a session of its own), and without that to a plain start
 * in the engine's group; which of the three is used is logged once.
 */
final class OwnProcessGroup {

    private static final Logger LOG = LoggerFactory.getLogger(OwnProcessGroup.class);
    private static final Path DEBIAN_PERL = Path.of("/usr/bin/perl");
    private static final String SETPGRP_THEN_EXEC =
            "setpgrp(0, 0) or die \"setpgrp: $!\"; exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\"";
    private static Optional<Path> perl;

    private OwnProcessGroup() {
    }

    /** {@code command} made to run in a process group of its own, as well as this machine allows. */
    static List<String> command(List<String> command) {
        Optional<Path> tool = perl();
        if (tool.isEmpty()) {
            return NewSession.command(command);
        }
        List<String> wrapped = new ArrayList<>(command.size() + 4);
        wrapped.add(tool.get().toString());
        wrapped.add("-e");
        wrapped.add(SETPGRP_THEN_EXEC);
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }

    /** Whether {@link #command} keeps the child in the engine's session (Perl is there). */
    static boolean sameSession() {
        return perl().isPresent();
    }

    /** Perl, where this machine has it (the watchdog runs in it too). */
    static synchronized Optional<Path> perl() {
        if (perl == null) {
            perl = Files.isExecutable(DEBIAN_PERL) ? Optional.of(DEBIAN_PERL) : LocalRedis.onPath("perl");
            if (perl.isPresent()) {
                LOG.info("Local Redis runs in a process group of its own ({} setpgrp): terminal signals such as "
                        + "Ctrl-C reach only the engine, which stops Redis after draining", perl.get());
            }
        }
        return perl;
    }
}
