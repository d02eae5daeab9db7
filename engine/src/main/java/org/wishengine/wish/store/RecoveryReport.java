package org.wishengine.wish.store;

import java.util.concurrent.TimeUnit;

/**
 * What a start-up recovery read and where its time went, for one campaign or summed over all
 * ({@link #plus}). {@code lines} counts claim states read (snapshot, journal and any old JSON
 * snapshot), {@code journalEntries} the journal entries folded. The times split the recovery:
 * waiting for pages (Redis, or the parser thread behind it), parsing (mostly on the parser
 * thread, overlapping the rest), loading the book, and folding (encoding and writing the new
 * snapshot). Reads and parsing overlap loading the book, so the parts add up to more than the
 * time taken.
 */
public record RecoveryReport(int campaigns, long lines, long journalEntries, long lastSequence,
                             long readNanos, long parseNanos, long restoreNanos, long foldNanos) {

    /** Nothing recovered yet; the start of a sum. */
    public static final RecoveryReport NONE = new RecoveryReport(0, 0, 0, 0, 0, 0, 0, 0);

    public RecoveryReport plus(RecoveryReport other) {
        return new RecoveryReport(campaigns + other.campaigns, lines + other.lines,
                journalEntries + other.journalEntries, Math.max(lastSequence, other.lastSequence),
                readNanos + other.readNanos, parseNanos + other.parseNanos, restoreNanos + other.restoreNanos,
                foldNanos + other.foldNanos);
    }

    /** "waiting 120 ms, parsing 300 ms, book 250 ms, fold 0 ms" */
    public String split() {
        return "waiting " + ms(readNanos) + " ms, parsing " + ms(parseNanos) + " ms, book " + ms(restoreNanos)
                + " ms, fold " + ms(foldNanos) + " ms";
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
