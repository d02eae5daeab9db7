package org.wishengine.wish.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the whole machine was during the measured window, from the kernel's CPU counters
 * ({@code /proc/stat}, Linux). The load generator shares the cores with the server it drives, and
 * a server that needs more CPU per request leaves less idle time to absorb a burst or a pause:
 * the share of the machine in use says whether a tail comes from the server's own code or from a
 * machine near full. Steal (time the hypervisor gave to other guests) in the same window says
 * whether the sitting was disturbed from outside. Where the counters cannot be read the summary
 * says so.
 */
final class MachineCpu {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The machine's CPU counters, summed over its cores, in clock ticks. */
    record Ticks(long busy, long idle, long steal) {

        long total() {
            return busy + idle + steal;
        }
    }

    private final Path source;
    private Ticks opened;
    private Ticks closed;

    MachineCpu() {
        this(PROC_STAT);
    }

    MachineCpu(Path source) {
        this.source = source;
    }

    /** Reads the counters as the window opens. */
    void windowOpened() {
        opened = read();
    }

    /** Reads the counters as the window closes. */
    void windowClosed() {
        closed = read();
    }

    private Ticks read() {
        try (var lines = Files.lines(source)) {
            return lines.filter(line -> line.startsWith("cpu ")).findFirst().map(MachineCpu::parse).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or a format this does not know: the summary says so
        }
    }

    /**
     * Parses the aggregate {@code cpu} line: user, nice, system, idle, iowait, irq, softirq, steal
     * (guest time is already inside user and nice, so it is not added again). Waiting for I/O
     * counts as idle: the core was free to run something.
     */
    static Ticks parse(String line) {
        String[] fields = line.trim().split("\\s+");
        if (!"cpu".equals(fields[0]) || fields.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
        }
        long[] v = new long[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = Long.parseLong(fields[i + 1]);
        }
        long busy = v[0] + v[1] + v[2] + v[5] + v[6];
        return new Ticks(busy, v[3] + v[4], v[7]);
    }

    /** The report's line for the counters read at both ends of the window (either may be null). */
    static String summary(Ticks before, Ticks after) {
        if (before == null || after == null || after.total() <= before.total()) {
            return "machine CPU in the window: not known (no /proc/stat)";
        }
        double total = after.total() - before.total();
        return String.format(Locale.ROOT, "machine CPU in the window: %.0f%% busy, %.1f%% steal (all cores, "
                        + "load generator included)",
                100 * (after.busy() - before.busy()) / total, 100 * (after.steal() - before.steal()) / total);
    }

    /** One line for the report. */
    String summary() {
        return summary(opened, closed);
    }
}
