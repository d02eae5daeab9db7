package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Fixed seeds and entries for the draw tests: the same on every run, so no test can flake. */
final class DrawFixtures {

    /** The seed 00 01 02 ... 1f, the one the published test vector uses. */
    static final DrawSeed COUNTING_SEED;

    static {
        byte[] bytes = new byte[DrawSeed.LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        COUNTING_SEED = DrawSeed.of(bytes);
    }

    private DrawFixtures() {
    }

    /** A seed source that repeats the same sequence of seeds for the same {@code start}. */
    static SeedSource fixedSource(long start) {
        Random random = new Random(start);
        return random::nextBytes;
    }

    /**
     * {@code n} entries {@code en-1 .. en-n} arriving in that order, each by its own user on wish
     * {@code w-1}: ids numbered the way an engine numbers them, so the canonical (string) order
     * is close to, but not the same as, arrival.
     */
    static List<DrawEntry> entries(int n) {
        List<DrawEntry> entries = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            entries.add(new DrawEntry("en-" + i, "w-1", "u-" + i, i));
        }
        return entries;
    }

    static List<String> ids(List<DrawEntry> entries) {
        return entries.stream().map(DrawEntry::entryId).toList();
    }
}
