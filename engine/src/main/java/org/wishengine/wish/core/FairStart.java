package org.wishengine.wish.core;

import java.util.Objects;

/**
 * A campaign's fair-start window: every claim made in the first {@code windowSeconds} after its
 * {@code opensAt} becomes an equal entry, and when the window closes one draw, keyed with
 * {@code seed}, settles them all (see {@link Draw}). The seed is generated when the campaign is
 * published and kept secret until the draw; only its {@link DrawSeed#commitment()} is shown.
 */
public record FairStart(int windowSeconds, DrawSeed seed) {

    /** Shortest window, in seconds. */
    public static final int MIN_WINDOW_SECONDS = 1;
    /** Longest window: an hour, longer than any opening burst lasts. */
    public static final int MAX_WINDOW_SECONDS = 3600;

    public FairStart {
        Objects.requireNonNull(seed, "seed");
        if (windowSeconds < MIN_WINDOW_SECONDS || windowSeconds > MAX_WINDOW_SECONDS) {
            throw new IllegalArgumentException("a fair-start window is " + MIN_WINDOW_SECONDS + ".."
                    + MAX_WINDOW_SECONDS + " seconds, not " + windowSeconds);
        }
    }

    /** When the window of a campaign opening at {@code opensAt} closes and its draw is due (epoch millis). */
    public long drawAt(long opensAt) {
        return opensAt + windowSeconds * 1000L;
    }
}
