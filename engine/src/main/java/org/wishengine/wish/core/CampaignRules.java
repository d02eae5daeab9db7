package org.wishengine.wish.core;

import java.util.regex.Pattern;

/**
 * The limits and defaults a campaign, its wishes and a confirmation must respect (API.md
 * sections 6.1 and 6.9). The edge reads requests into values and refuses, naming the field, what
 * breaks these; the book relies on them holding.
 */
public final class CampaignRules {

    /** Campaign and wish ids an organiser may choose: 1..64 of {@code A-Z a-z 0-9 _ -}. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Longest title, category, location, beneficiary, description or comment, in UTF-16 chars. */
    public static final int MAX_TEXT = 2_000;
    public static final int MAX_WISHES = 10_000;
    public static final int MIN_QUANTITY = 1;
    public static final int MAX_QUANTITY = 100_000;
    public static final int DEFAULT_QUANTITY = 1;
    public static final int MIN_PER_USER_LIMIT = 1;
    public static final int MAX_PER_USER_LIMIT = 1_000;
    public static final int DEFAULT_PER_USER_LIMIT = 1;
    public static final int MIN_FULFIL_HOURS = 1;
    /** A leap year of hours. */
    public static final int MAX_FULFIL_HOURS = 24 * 366;
    /** A week to deliver, unless the organiser says otherwise. */
    public static final int DEFAULT_FULFIL_HOURS = 168;
    /**
     * The first instant {@code opensAt} may name (2000-01-01T00:00:00Z), inclusive, in epoch
     * millis: epoch 0 means "no instant" to the views, so no campaign may open then.
     */
    public static final long EARLIEST_OPENING_MILLIS = 946_684_800_000L;
    /** The last instant {@code opensAt} may name: the last millisecond of the year 9999, inclusive. */
    public static final long LATEST_OPENING_MILLIS = 253_402_300_799_999L;
    public static final int MIN_RATING = 1;
    public static final int MAX_RATING = 5;
    /** Ratings of this or more count as satisfied. */
    public static final int SATISFIED_RATING = 4;

    private CampaignRules() {
    }

    /** Whether {@code id} matches {@link #ID}; by hand, since a draw checks every entry id it orders. */
    public static boolean validId(String id) {
        int length = id.length();
        if (length < 1 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean validOpening(long epochMillis) {
        return epochMillis >= EARLIEST_OPENING_MILLIS && epochMillis <= LATEST_OPENING_MILLIS;
    }

    public static boolean validRating(int rating) {
        return rating >= MIN_RATING && rating <= MAX_RATING;
    }
}
