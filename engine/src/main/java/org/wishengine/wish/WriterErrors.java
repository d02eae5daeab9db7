package org.wishengine.wish;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.ring.WriterHealth;

/**
 * Logs the single writer's faults: each with the command it concerns, the stack trace of the first
 * of each kind, and at most one line a second beyond that (a fault on every claim must not turn
 * into a log flood that slows the engine further). A fault that stopped the writer is logged
 * once, loudly, with what the operator must do.
 */
final class WriterErrors {

    private static final Logger LOG = LoggerFactory.getLogger("wish.writer");
    private static final int MAX_COMMAND_CHARS = 300;
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private boolean stopLogged;
    private final Set<String> traced = new HashSet<>();
    private long lastLogged = System.nanoTime() - QUIET_NANOS;
    private long suppressed;

    synchronized void report(String where, Command command, Throwable cause, WriterHealth writer) {
        if (writer.isStopped() && "settle".equals(where)) {
            if (!stopLogged) {
                stopLogged = true;
                LOG.error("The single writer STOPPED: {} while settling {}. Its in-memory book may be half-changed, "
                        + "so it commits nothing more and every new command gets 503. Nothing acknowledged is lost: "
                        + "Redis holds exactly what was committed. Restart the engine to rebuild the book from Redis.",
                        cause, describe(command), cause);
            }
            return;
        }
        long now = System.nanoTime();
        boolean firstOfKind = traced.add(where + ':' + cause.getClass().getName());
        if (!firstOfKind && now - lastLogged < QUIET_NANOS) {
            suppressed++;
            return;
        }
        lastLogged = now;
        String more = suppressed == 0 ? "" : " (" + suppressed + " similar faults not logged)";
        suppressed = 0;
        if (firstOfKind) {
            LOG.error("Writer fault in {} of {}; that command was answered 500 and the writer goes on{}",
                    where, describe(command), more, cause);
        } else {
            LOG.error("Writer fault in {} of {}: {}; the writer goes on{}", where, describe(command), cause, more);
        }
    }

    private static String describe(Command command) {
        if (command == null) {
            return "a batch";
        }
        String text = command.toString();
        return text.length() <= MAX_COMMAND_CHARS ? text : text.substring(0, MAX_COMMAND_CHARS) + "…";
    }
}
