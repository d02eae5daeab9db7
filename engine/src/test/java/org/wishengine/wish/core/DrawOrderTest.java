package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrawOrderTest {

    @Test
    void shouldDrawThePublishedTestVector() {
        // Recomputed by an independent Python implementation of the algorithm in DrawOrder's
        // Javadoc (hmac, hashlib, struct); published in API.md for outside verifiers.
        assertEquals(List.of("en-2", "en-8", "en-1", "en-6", "en-4", "en-10", "en-7", "en-9", "en-5", "en-3"),
                DrawFixtures.ids(DrawOrder.of(DrawFixtures.COUNTING_SEED, DrawFixtures.entries(10))));
    }

    @Test
    void shouldDrawTheSameOrderFromTheSameSeedAndEntries() {
        SeedSource seeds = DrawFixtures.fixedSource(1);
        for (int round = 0; round < 50; round++) {
            DrawSeed seed = DrawSeed.generate(seeds);
            List<DrawEntry> entries = DrawFixtures.entries(1 + round * 7);
            List<DrawEntry> first = DrawOrder.of(seed, entries);
            assertEquals(first, DrawOrder.of(DrawSeed.parse(seed.hex()), new ArrayList<>(entries)));
            assertEquals(new HashSet<>(entries), new HashSet<>(first), "the draw is a permutation");
            assertEquals(entries.size(), first.size());
        }
    }

    @Test
    void shouldDrawADifferentOrderFromADifferentSeed() {
        List<DrawEntry> entries = DrawFixtures.entries(20);
        SeedSource seeds = DrawFixtures.fixedSource(2);
        Set<List<DrawEntry>> orders = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            orders.add(DrawOrder.of(DrawSeed.generate(seeds), entries));
        }
        // 200 seeds over 20! orders: a repeat would mean the seed is mostly ignored.
        assertEquals(200, orders.size());
        byte[] oneBitOff = DrawFixtures.COUNTING_SEED.bytes();
        oneBitOff[31] ^= 1;
        assertNotEquals(DrawOrder.of(DrawFixtures.COUNTING_SEED, entries), DrawOrder.of(DrawSeed.of(oneBitOff), entries));
    }

    @Test
    void shouldNotDependOnTheOrderEntriesAreHandedIn() {
        List<DrawEntry> entries = DrawFixtures.entries(50);
        List<DrawEntry> expected = DrawOrder.of(DrawFixtures.COUNTING_SEED, entries);
        Random random = new Random(3);
        for (int round = 0; round < 20; round++) {
            List<DrawEntry> shuffled = new ArrayList<>(entries);
            Collections.shuffle(shuffled, random);
            assertEquals(expected, DrawOrder.of(DrawFixtures.COUNTING_SEED, shuffled));
        }
        Collections.reverse(entries);
        assertEquals(expected, DrawOrder.of(DrawFixtures.COUNTING_SEED, new ArrayDeque<>(entries)));
    }

    @Test
    void shouldSortCanonicallyByTheIdsAsciiBytes() {
        List<DrawEntry> entries = List.of(new DrawEntry("en-9", "w", "u", 1), new DrawEntry("en-10", "w", "u", 2),
                new DrawEntry("en-1", "w", "u", 3), new DrawEntry("EN-1", "w", "u", 4), new DrawEntry("en_1", "w", "u", 5),
                new DrawEntry("en-1a", "w", "u", 6));
        // '-' 0x2d < digits 0x30.. < upper case 0x41.. < '_' 0x5f < lower case 0x61..; a prefix sorts first.
        assertEquals(List.of("EN-1", "en-1", "en-10", "en-1a", "en-9", "en_1"),
                DrawFixtures.ids(DrawOrder.canonical(entries)));
    }

    @Test
    void shouldRefuseTwoEntriesWithOneId() {
        List<DrawEntry> entries = List.of(new DrawEntry("en-1", "w-1", "u-1", 1), new DrawEntry("en-1", "w-2", "u-2", 2));
        assertThrows(IllegalArgumentException.class, () -> DrawOrder.of(DrawFixtures.COUNTING_SEED, entries));
        assertThrows(IllegalArgumentException.class, () -> new DrawEntry("en 1", "w-1", "u-1", 1));
        assertThrows(IllegalArgumentException.class, () -> new DrawEntry("en-é", "w-1", "u-1", 1));
    }

    @Test
    void shouldDrawNoEntriesAndOneEntry() {
        assertEquals(List.of(), DrawOrder.of(DrawFixtures.COUNTING_SEED, List.of()));
        assertEquals(DrawFixtures.entries(1), DrawOrder.of(DrawFixtures.COUNTING_SEED, DrawFixtures.entries(1)));
    }

    @Test
    void shouldRejectTheWordsThatWouldFavourLowIndices() {
        // 2^32 mod 3 = 1: the one word 0xffffffff would make index 0 likelier, so it is skipped.
        ArrayDeque<Integer> words = new ArrayDeque<>(List.of(0xffffffff, 0xffffffff, 5));
        assertEquals(2, DrawStream.below(3, words::removeFirst));
        assertTrue(words.isEmpty());
        // 0xfffffffe is the last word kept for bound 3: (2^32 - 2) mod 3 = 2.
        assertEquals(2, DrawStream.below(3, () -> 0xfffffffe));
        // A bound dividing 2^32 rejects nothing.
        assertEquals(0xffffffff & 1023, DrawStream.below(1024, () -> 0xffffffff));
        // 2^32 mod 100000 = 67296: words from 2^32 - 67296 up are skipped.
        ArrayDeque<Integer> more = new ArrayDeque<>(List.of((int) ((1L << 32) - 67_296), (int) ((1L << 32) - 67_297)));
        assertEquals((int) (((1L << 32) - 67_297) % 100_000), DrawStream.below(100_000, more::removeFirst));
        assertEquals(0, DrawStream.below(1, () -> 12345));
        assertThrows(IllegalArgumentException.class, () -> DrawStream.below(0, () -> 0));
    }

    @Test
    void shouldReadTheStreamAsBigEndianWordsOfHmacBlocks() {
        DrawStream stream = new DrawStream(DrawFixtures.COUNTING_SEED);
        for (long block = 0; block < 3; block++) {
            byte[] counter = java.nio.ByteBuffer.allocate(8).putLong(block).array();
            java.nio.ByteBuffer expected = java.nio.ByteBuffer.wrap(
                    DrawHash.hmacSha256(DrawFixtures.COUNTING_SEED.bytes(), counter));
            for (int word = 0; word < 8; word++) {
                assertEquals(expected.getInt(), stream.nextWord(), "block " + block + " word " + word);
            }
        }
    }

    /**
     * Where the first- and the last-arriving of 10 entries land, over 20,000 seeds from a fixed
     * source: each of the 10 places should take 1/10. Pearson's chi-square with 9 degrees of
     * freedom exceeds 27.877 with probability 0.001 for a fair shuffle (the upper 0.1% point of
     * the chi-square distribution, 9 df); the seeds are fixed, so the test gives the same
     * statistic on every run and cannot flake.
     */
    @Test
    void shouldPlaceTheFirstArrivalAnywhereWithEqualChance() {
        int n = 10;
        int draws = 20_000;
        List<DrawEntry> entries = DrawFixtures.entries(n);
        long[] firstAt = new long[n];
        long[] lastAt = new long[n];
        SeedSource seeds = DrawFixtures.fixedSource(4);
        for (int round = 0; round < draws; round++) {
            List<String> drawn = DrawFixtures.ids(DrawOrder.of(DrawSeed.generate(seeds), entries));
            firstAt[drawn.indexOf("en-1")]++;
            lastAt[drawn.indexOf("en-" + n)]++;
        }
        double critical = 27.877;
        assertTrue(chiSquare(firstAt, draws) < critical, "first arrival: chi-square " + chiSquare(firstAt, draws));
        assertTrue(chiSquare(lastAt, draws) < critical, "last arrival: chi-square " + chiSquare(lastAt, draws));
    }

    @Test
    void shouldFindTheBiasOfAShuffleThatIsNotUniform() {
        // The test above must be able to fail: the naive shuffle (j from all n places, not 0..i)
        // is known to be biased, and the same statistic finds it with these seeds.
        int n = 10;
        int draws = 20_000;
        long[] firstAt = new long[n];
        SeedSource seeds = DrawFixtures.fixedSource(4);
        for (int round = 0; round < draws; round++) {
            List<DrawEntry> a = new ArrayList<>(DrawOrder.canonical(DrawFixtures.entries(n)));
            DrawStream stream = new DrawStream(DrawSeed.generate(seeds));
            for (int i = n - 1; i >= 1; i--) {
                int j = stream.below(n);
                a.set(j, a.set(i, a.get(j)));
            }
            firstAt[DrawFixtures.ids(a).indexOf("en-1")]++;
        }
        assertTrue(chiSquare(firstAt, draws) > 27.877, "naive shuffle: chi-square " + chiSquare(firstAt, draws));
    }

    /**
     * Spearman's rank correlation between arrival and drawn place, over 300 draws of 100 entries.
     * For a fair draw each coefficient has mean 0 and standard deviation 1/sqrt(99) = 0.1005, so
     * their mean has standard deviation 0.0058: bounds of 0.03 on the mean and 0.5 on any one draw
     * are five standard deviations, while following arrival would give 1.
     */
    @Test
    void shouldNotCorrelateTheDrawnOrderWithArrival() {
        int n = 100;
        int draws = 300;
        List<DrawEntry> entries = DrawFixtures.entries(n);
        SeedSource seeds = DrawFixtures.fixedSource(6);
        double sum = 0;
        for (int round = 0; round < draws; round++) {
            List<DrawEntry> drawn = DrawOrder.of(DrawSeed.generate(seeds), entries);
            double squares = 0;
            for (int place = 0; place < n; place++) {
                double d = (drawn.get(place).arrival() - 1) - place;
                squares += d * d;
            }
            double rho = 1 - 6 * squares / ((double) n * ((double) n * n - 1));
            assertTrue(Math.abs(rho) < 0.5, "draw " + round + ": rho " + rho);
            sum += rho;
        }
        assertTrue(Math.abs(sum / draws) < 0.03, "mean rho " + sum / draws);
    }

    @Test
    void shouldDrawAHundredThousandEntries() {
        List<DrawEntry> entries = DrawFixtures.entries(100_000);
        List<DrawEntry> drawn = DrawOrder.of(DrawFixtures.COUNTING_SEED, entries);
        assertEquals(100_000, new HashSet<>(drawn).size());
    }

    private static double chiSquare(long[] observed, int total) {
        double expected = (double) total / observed.length;
        double sum = 0;
        for (long count : observed) {
            sum += (count - expected) * (count - expected) / expected;
        }
        return sum;
    }
}
