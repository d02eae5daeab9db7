package org.wishengine.wish.bench.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles per interval of a run (e.g. per minute of a soak), as CSV: one row per
 * interval with its answers, 201s and p50/p99/p99.9/max. A run's final percentiles say nothing
 * about drift; these rows do. Fed the load generator's one-second progress histograms, so rows
 * are cut on those ticks (about one second of granularity), and a row never spans two phases
 * (warm-up, measured, drain): the first measured row starts when the warm-up ends.
 *
 * <p>Written by the monitor thread only; every row is flushed at once, so a soak that is
 * stopped early keeps what it measured.
 */
final class IntervalLog implements AutoCloseable {

    static final String HEADER = "end_epoch_ms,elapsed_s,phase,requests,created,p50_ms,p99_ms,p999_ms,max_ms";

    private final BufferedWriter out;
    private final long everyNanos;
    private final Histogram pending = new Histogram(LoadClient.HIGHEST_MICROS, 3);
    private long pendingRequests;
    private long pendingCreated;
    private long intervalStart;
    private String phase;

    private IntervalLog(BufferedWriter out, Duration every) {
        this.out = out;
        this.everyNanos = every.toNanos();
    }

    /** Opens (truncates) {@code file} and writes the header. */
    static IntervalLog open(Path file, Duration every) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("--interval must be positive");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            BufferedWriter writer = Files.newBufferedWriter(file);
            writer.write(HEADER);
            writer.newLine();
            writer.flush();
            return new IntervalLog(writer, every);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The length of a row, in nanoseconds. */
    long everyNanos() {
        return everyNanos;
    }

    /** Starts the first interval at {@code startNanos}, the start of the run. */
    void start(long startNanos, String firstPhase) {
        intervalStart = startNanos;
        phase = firstPhase;
    }

    /**
     * Adds one progress tick ending at {@code nowNanos} ({@code elapsedSeconds} into the run), in
     * {@code tickPhase}; writes the interval first when the phase changed, and after adding when
     * the interval is full.
     */
    void tick(Histogram second, long requests, long created, long nowNanos, double elapsedSeconds, String tickPhase) {
        if (!tickPhase.equals(phase)) {
            write(elapsedSeconds);
            phase = tickPhase;
        }
        pending.add(second);
        pendingRequests += requests;
        pendingCreated += created;
        if (nowNanos - intervalStart >= everyNanos) {
            write(elapsedSeconds);
            intervalStart = nowNanos;
        }
    }

    /** Writes the last, partial interval. */
    void finish(double elapsedSeconds) {
        write(elapsedSeconds);
    }

    private void write(double elapsedSeconds) {
        if (pendingRequests == 0 && pending.getTotalCount() == 0) {
            return;
        }
        try {
            out.write(String.format(Locale.ROOT, "%d,%.1f,%s,%d,%d,%.3f,%.3f,%.3f,%.3f", System.currentTimeMillis(),
                    elapsedSeconds, phase, pendingRequests, pendingCreated,
                    pending.getValueAtPercentile(50) / 1000.0, pending.getValueAtPercentile(99) / 1000.0,
                    pending.getValueAtPercentile(99.9) / 1000.0, pending.getMaxValue() / 1000.0));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the interval log", e);
        }
        pending.reset();
        pendingRequests = 0;
        pendingCreated = 0;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the interval log", e);
        }
    }
}
