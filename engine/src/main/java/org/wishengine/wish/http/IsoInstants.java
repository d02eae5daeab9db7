package org.wishengine.wish.http;

import java.time.Instant;

/**
 * Formats epoch millis exactly as {@link Instant#toString()} does, reusing the formatted second
 * per thread: a flash grab answers thousands of claims stamped within the same second, and the
 * JDK formatter builds several strings and a print context for each.
 */
final class IsoInstants {

    /** What follows the seconds for each millisecond: "Z" for a whole second, else ".SSSZ". */
    private static final String[] SUFFIXES = new String[1000];

    static {
        SUFFIXES[0] = "Z";
        for (int millis = 1; millis < 1000; millis++) {
            SUFFIXES[millis] = String.format(java.util.Locale.ROOT, ".%03dZ", millis);
        }
    }

    private static final ThreadLocal<IsoInstants> PER_THREAD = ThreadLocal.withInitial(IsoInstants::new);

    private long second = Long.MIN_VALUE;
    /** {@code Instant.toString()} of {@link #second} without its trailing 'Z'. */
    private String prefix;

    private IsoInstants() {
    }

    static String format(long epochMillis) {
        return PER_THREAD.get().formatMillis(epochMillis);
    }

    private String formatMillis(long epochMillis) {
        long sec = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        if (sec != second) {
            String whole = Instant.ofEpochSecond(sec).toString();
            prefix = whole.substring(0, whole.length() - 1);
            second = sec;
        }
        return prefix.concat(SUFFIXES[millis]);
    }
}
