package org.wishengine.wish.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the threads on a claim's path waited for a core, from the kernel's own record: the
 * text of {@code perf sched timehist} (one line per switch: time, CPU, task, wait time, scheduling
 * delay, run time). A thread woken by a request that then waits behind another runnable thread
 * delays every request queued behind it, so a few long waits set a p99 that no stage of the
 * engine shows. For each watched thread: how many times it was switched in and its scheduling
 * delay's percentiles; and for the long delays, which task held that CPU longest meanwhile
 * (another thread of the claim's path, the load generator, a JIT compiler, the recorder itself,
 * or {@code <idle>}: a core that was free but slow to wake, as on a VM whose vCPU had halted).
 */
final class SchedulerDelays {

    /** One line of {@code perf sched timehist}: a task switched out at {@code endSeconds}. */
    record Switch(double endSeconds, String cpu, String task, double delayMillis, double runMillis) {

        double startSeconds() {
            return endSeconds - runMillis / 1000;
        }
    }

    /** A watched thread's delays, in milliseconds. */
    record ThreadDelays(String thread, int switches, double p50, double p99, double p999, double max) {
    }

    /** A task that held the CPU while watched threads waited: how often, and the waits it caused. */
    record Holder(String task, int delays, double millis) {
    }

    private final List<ThreadDelays> threads;
    private final List<Holder> holders;
    private final int longDelays;
    private final double longDelayMillis;
    private final double seconds;
    private final double thresholdMillis;

    private SchedulerDelays(List<ThreadDelays> threads, List<Holder> holders, int longDelays, double longDelayMillis,
                            double seconds, double thresholdMillis) {
        this.threads = threads;
        this.holders = holders;
        this.longDelays = longDelays;
        this.longDelayMillis = longDelayMillis;
        this.seconds = seconds;
        this.thresholdMillis = thresholdMillis;
    }

    /**
     * Reads {@code perf sched timehist} output; lines that are not switches (its header, notes)
     * are skipped.
     */
    static List<Switch> parse(List<String> lines) {
        List<Switch> switches = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 6 || !fields[1].startsWith("[")) {
                continue;
            }
            try {
                double end = Double.parseDouble(fields[0]);
                double delay = Double.parseDouble(fields[fields.length - 2]);
                double run = Double.parseDouble(fields[fields.length - 1]);
                Double.parseDouble(fields[fields.length - 3]); // the wait time: numeric on a switch line only
                // The task's name may hold spaces ("C2 CompilerThre"); its ids follow in brackets.
                String task = String.join(" ", Arrays.copyOfRange(fields, 2, fields.length - 3));
                int ids = task.lastIndexOf('[');
                switches.add(new Switch(end, fields[1], ids > 0 ? task.substring(0, ids) : task, delay, run));
            } catch (NumberFormatException e) {
                // a header or a summary line
            }
        }
        return switches;
    }

    /**
     * @param watched         name prefixes of the threads on a claim's path (say {@code wish-io},
     *                        {@code redis-server})
     * @param thresholdMillis a delay at least this long is a long one, whose CPU's holder is named
     */
    static SchedulerDelays of(List<Switch> switches, List<String> watched, double thresholdMillis) {
        Map<String, List<Double>> delays = new LinkedHashMap<>();
        Map<String, List<Switch>> byCpu = new HashMap<>();
        for (Switch s : switches) {
            byCpu.computeIfAbsent(s.cpu(), cpu -> new ArrayList<>()).add(s);
            if (isWatched(s.task(), watched)) {
                delays.computeIfAbsent(s.task(), task -> new ArrayList<>()).add(s.delayMillis());
            }
        }
        List<ThreadDelays> threads = new ArrayList<>();
        delays.forEach((thread, values) -> {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            threads.add(new ThreadDelays(thread, sorted.length, at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999),
                    sorted[sorted.length - 1]));
        });
        threads.sort(Comparator.comparing(ThreadDelays::thread));

        Map<String, int[]> heldCount = new HashMap<>();
        Map<String, double[]> heldMillis = new HashMap<>();
        int longDelays = 0;
        double longMillis = 0;
        for (Switch waited : switches) {
            if (waited.delayMillis() < thresholdMillis || !isWatched(waited.task(), watched)) {
                continue;
            }
            longDelays++;
            longMillis += waited.delayMillis();
            String holder = holderOf(waited, byCpu.get(waited.cpu()));
            heldCount.computeIfAbsent(holder, task -> new int[1])[0]++;
            heldMillis.computeIfAbsent(holder, task -> new double[1])[0] += waited.delayMillis();
        }
        List<Holder> holders = new ArrayList<>();
        heldCount.forEach((task, count) -> holders.add(new Holder(task, count[0], heldMillis.get(task)[0])));
        holders.sort(Comparator.comparingDouble(Holder::millis).reversed().thenComparing(Holder::task));
        double seconds = switches.isEmpty() ? 0
                : switches.get(switches.size() - 1).endSeconds() - switches.get(0).startSeconds();
        return new SchedulerDelays(threads, holders, longDelays, longMillis, seconds, thresholdMillis);
    }

    private static boolean isWatched(String task, List<String> watched) {
        return watched.stream().anyMatch(task::startsWith);
    }

    /** The task that ran longest on the waiting thread's CPU between its wake-up and its start. */
    private static String holderOf(Switch waited, List<Switch> sameCpu) {
        double from = waited.startSeconds() - waited.delayMillis() / 1000;
        double to = waited.startSeconds();
        Map<String, Double> held = new HashMap<>();
        for (Switch other : sameCpu) {
            double overlap = Math.min(other.endSeconds(), to) - Math.max(other.startSeconds(), from);
            if (other != waited && overlap > 0) {
                held.merge(other.task(), overlap, Double::sum);
            }
        }
        return held.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("(unknown)");
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
    }

    List<ThreadDelays> threads() {
        return threads;
    }

    List<Holder> holders() {
        return holders;
    }

    int longDelays() {
        return longDelays;
    }

    /** The report: a table of the watched threads, then what held the CPU during their long waits. */
    String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "scheduling delay (woken until running) over %.1f s, in ms:%n", seconds));
        out.append(String.format(Locale.ROOT, "  %-20s %9s %8s %8s %8s %8s%n", "thread", "switches", "p50", "p99", "p99.9",
                "max"));
        for (ThreadDelays t : threads) {
            out.append(String.format(Locale.ROOT, "  %-20s %9d %8.3f %8.3f %8.3f %8.3f%n", t.thread(), t.switches(), t.p50(),
                    t.p99(), t.p999(), t.max()));
        }
        out.append(String.format(Locale.ROOT, "delays of %.1f ms or more: %d, %.0f ms in all%s%n", thresholdMillis, longDelays,
                longDelayMillis, longDelays == 0 ? "" : "; the task that held the CPU longest meanwhile:"));
        for (Holder h : holders) {
            out.append(String.format(Locale.ROOT, "  %-20s %5d delays, %6.1f ms%n", h.task(), h.delays(), h.millis()));
        }
        return out.toString();
    }
}
