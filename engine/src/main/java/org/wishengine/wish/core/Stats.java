package org.wishengine.wish.core;

/**
 * Totals over the whole book or one campaign. {@code claimed}, {@code fulfilled} and
 * {@code confirmed} count claims currently in that status; {@code satisfaction} is the share of
 * ratings of 4 or 5 among confirmed claims (NaN when none is rated).
 */
public record Stats(long campaigns, long wishes, long units, long remaining, long claimed, long fulfilled,
                    long confirmed, long cancelled, long expired, long rated, long satisfied) {

    public double satisfaction() {
        return rated == 0 ? Double.NaN : (double) satisfied / rated;
    }
}
