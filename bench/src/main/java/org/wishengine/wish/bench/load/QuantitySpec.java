package org.wishengine.wish.bench.load;

import java.util.SplittableRandom;

/**
 * How many units each wish of a generated campaign has: a fixed number ({@code "1000"}) or a
 * uniform range ({@code "1-3"}), 1..100000 as the API allows.
 */
record QuantitySpec(int min, int max) {

    static final int API_MAX = 100_000;

    QuantitySpec {
        if (min < 1 || max > API_MAX || min > max) {
            throw new IllegalArgumentException("quantity must be N or MIN-MAX within 1.." + API_MAX);
        }
    }

    /** Parses {@code "N"} or {@code "MIN-MAX"}. */
    static QuantitySpec parse(String text) {
        String trimmed = text.trim();
        int dash = trimmed.indexOf('-');
        try {
            if (dash < 0) {
                int n = Integer.parseInt(trimmed);
                return new QuantitySpec(n, n);
            }
            return new QuantitySpec(Integer.parseInt(trimmed.substring(0, dash).trim()),
                    Integer.parseInt(trimmed.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("quantity must be N or MIN-MAX, not '" + text + "'");
        }
    }

    int next(SplittableRandom random) {
        return min == max ? min : min + random.nextInt(max - min + 1);
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
