package org.wishengine.wish.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which part of a run's tail the server's own pauses explain: the pauses of its safepoint log that
 * fall in the measured window of the load generator's per-interval latency log, set against the
 * intervals whose slowest answer was over a threshold. Pure: the two logs in, the figures out.
 *
 * <p>First-order reasoning: in an open loop at rate r, a pause of d ms holds back about r·d/1000
 * requests by up to d ms. When the requests that arrived during pauses are more than 1% of the
 * run, pauses alone put the p99 near the pauses' length; when they are far fewer, the p99 is
 * made elsewhere (queueing, the commit in flight, the cores' sharing), and the pauses shape the
 * p99.9 and the maximum.
 */
record TailAttribution(int intervals, long requests, double windowSeconds, int pauses, double pauseMillis,
                       double maxPauseMillis, int pausesOverMillis, Map<String, double[]> byKind, int slowIntervals,
                       int slowWithPause, double overMillis, double requestsInPauses) {

    /** Pauses at least this long count as "a pause" for the slow intervals. */
    static final double PAUSE_MILLIS = 1.0;

    /** One measured row of the interval log: from the end of the row before it (any phase) to its own end. */
    record Interval(long startEpochMillis, long endEpochMillis, long requests, double p99Millis, double maxMillis) {
    }

    /**
     * Reads the measured rows of an interval CSV ({@link IntervalLog#HEADER}). A row starts where
     * the row before it ended; the first row of the file, where the run started (its end less its
     * {@code elapsed_s}).
     */
    static List<Interval> measured(List<String> csv) {
        List<Interval> rows = new ArrayList<>();
        Long previousEnd = null;
        for (String line : csv) {
            String[] f = line.split(",");
            if (f.length != 9 || f[0].equals("end_epoch_ms")) {
                continue;
            }
            long end = Long.parseLong(f[0]);
            long start = previousEnd != null ? previousEnd : end - Math.round(Double.parseDouble(f[1]) * 1000);
            if (f[2].equals("measured")) {
                rows.add(new Interval(start, end, Long.parseLong(f[3]), Double.parseDouble(f[6]),
                        Double.parseDouble(f[8])));
            }
            previousEnd = end;
        }
        return rows;
    }

    /**
     * Attributes: the measured window runs from the start of the first measured row to the end of
     * the last; an interval is slow when its slowest answer took more than {@code overMillis}, and
     * "has a pause" when a pause of {@value #PAUSE_MILLIS} ms or more overlapped it or the
     * interval before (an answer held back by a pause may complete in the next interval).
     */
    static TailAttribution of(List<Interval> rows, SafepointLog log, double overMillis) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no measured interval in the latency log");
        }
        long from = rows.get(0).startEpochMillis();
        long to = rows.get(rows.size() - 1).endEpochMillis();
        long requests = 0;
        for (Interval row : rows) {
            requests += row.requests();
        }
        double window = (to - from) / 1000.0;
        List<SafepointLog.Pause> inWindow = new ArrayList<>();
        for (SafepointLog.Pause pause : log.pauses()) {
            if (pause.endEpochMillis() > from && pause.startEpochMillis() < to) {
                inWindow.add(pause);
            }
        }
        double sum = 0;
        double max = 0;
        int over = 0;
        Map<String, double[]> byKind = new TreeMap<>();
        for (SafepointLog.Pause pause : inWindow) {
            double ms = pause.nanos() / 1e6;
            sum += ms;
            max = Math.max(max, ms);
            if (ms >= PAUSE_MILLIS) {
                over++;
            }
            double[] kind = byKind.computeIfAbsent(pause.kind(), k -> new double[3]);
            kind[0]++;
            kind[1] += ms;
            kind[2] = Math.max(kind[2], ms);
        }
        int slow = 0;
        int slowWithPause = 0;
        long previousStart = from;
        for (Interval row : rows) {
            if (row.maxMillis() > overMillis) {
                slow++;
                long start = previousStart; // this interval and the one before it
                for (SafepointLog.Pause pause : inWindow) {
                    if (pause.nanos() / 1e6 >= PAUSE_MILLIS && pause.endEpochMillis() > start
                            && pause.startEpochMillis() < row.endEpochMillis()) {
                        slowWithPause++;
                        break;
                    }
                }
            }
            previousStart = row.startEpochMillis();
        }
        double rate = window > 0 ? requests / window : 0;
        double held = requests == 0 ? 0 : rate * sum / 1000.0 / requests;
        return new TailAttribution(rows.size(), requests, window, inWindow.size(), sum, max, over, byKind, slow,
                slowWithPause, overMillis, held);
    }

    /** The figures as a few lines of text. */
    String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "measured window %.1f s, %d intervals, %d requests (%.0f/s)%n",
                windowSeconds, intervals, requests, windowSeconds > 0 ? requests / windowSeconds : 0));
        text.append(String.format(Locale.ROOT, "pauses: %d in the window, %.1f ms in all (%.2f%% of it), "
                        + "longest %.1f ms, %d of %.0f ms or more%n", pauses, pauseMillis,
                windowSeconds > 0 ? pauseMillis / (windowSeconds * 10) : 0, maxPauseMillis, pausesOverMillis, PAUSE_MILLIS));
        byKind.forEach((kind, v) -> text.append(String.format(Locale.ROOT, "  %-32s %5.0f pauses, %8.1f ms, longest %6.1f ms%n",
                kind, v[0], v[1], v[2])));
        text.append(String.format(Locale.ROOT, "requests that arrived during a pause: ~%.2f%% (rate x pause time)%s%n",
                requestsInPauses * 100, requestsInPauses > 0.01 ? ": enough to set the p99 by themselves"
                        : ": too few to set the p99; they shape the p99.9 and the maximum"));
        text.append(String.format(Locale.ROOT, "intervals whose slowest answer took over %.1f ms: %d, of them %d with a "
                + "pause of %.0f ms or more in it or the interval before%n", overMillis, slowIntervals, slowWithPause,
                PAUSE_MILLIS));
        return text.toString();
    }
}
