package org.wishengine.wish.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A process's {@code /proc/<pid>/stat} (Linux): its state, parent, process group and session, and
 * whether it still runs. A zombie does not: a child of a killed engine is reparented to init,
 * which may take its time to reap it, and the JDK's process handles still count it as alive.
 */
public record ProcStat(long pid, char state, long ppid, long pgrp, long session) {

    /** The process's stat, empty if there is no such process (or no {@code /proc}). */
    public static Optional<ProcStat> of(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            if (!Files.exists(Path.of("/proc", Long.toString(pid))) || "No such process".equals(e.getMessage())) {
                return Optional.empty(); // it exited while its stat was being read (ESRCH)
            }
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[1]),
                Long.parseLong(fields[2]), Long.parseLong(fields[3])));
    }

    /** Whether {@code pid} names a process that has not exited (zombies have). */
    public static boolean running(long pid) {
        return of(pid).map(stat -> stat.state() != 'Z' && stat.state() != 'X').orElse(false);
    }

    /** Polls until {@code pid} has exited; returns whether it did within {@code timeout}. */
    public static boolean awaitExit(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20); // poll interval
        }
        return true;
    }

    public static boolean procAvailable() {
        return Files.isDirectory(Path.of("/proc/self"));
    }
}
