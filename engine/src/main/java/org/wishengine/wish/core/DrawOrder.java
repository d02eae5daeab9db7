package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a fair-start draw settles its entries: a pure function of the seed and the set
 * of entries, so anyone holding both can recompute it. The algorithm, exactly:
 *
 * <ol>
 * <li>Sort the entries by entry id, comparing the ids' ASCII bytes as unsigned numbers, shorter
 *     first when one is a prefix of the other (ids are distinct, so this is a total order). The
 *     order the entries were handed in, and their arrival numbers, play no part.</li>
 * <li>Stream of words: for k = 0, 1, 2, ... compute block k = HMAC-SHA256(key = the 32 seed
 *     bytes, message = k as an unsigned 64-bit big-endian integer, 8 bytes); split each 32-byte
 *     block into eight 32-bit unsigned big-endian integers; the stream is these words in order
 *     (block 0's eight words, then block 1's, ...).</li>
 * <li>Bounded index {@code below(m)}: take the next word x; if x &ge; 2<sup>32</sup> &minus;
 *     (2<sup>32</sup> mod m) discard it and take the next one; otherwise the index is x mod m.</li>
 * <li>Fisher–Yates: with a = the sorted entries (indices 0 .. n&minus;1), for i = n&minus;1 down to
 *     1: j = below(i + 1); swap a[i] and a[j].</li>
 * <li>The drawn order is a[0], a[1], ..., a[n&minus;1]: a[0] is settled first.</li>
 * </ol>
 *
 * Every one of the n! orders is equally likely for a uniformly random seed, and without the seed
 * the order cannot be told in advance.
 */
public final class DrawOrder {

    /** Entries by entry id; ids are ASCII, so {@link String#compareTo} is their byte order. */
    public static final Comparator<DrawEntry> CANONICAL = Comparator.comparing(DrawEntry::entryId);

    private DrawOrder() {
    }

    /** The entries in canonical order (step 1); refuses two entries with the same id. */
    public static List<DrawEntry> canonical(Collection<DrawEntry> entries) {
        List<DrawEntry> sorted = new ArrayList<>(entries);
        sorted.sort(CANONICAL);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).entryId().equals(sorted.get(i).entryId())) {
                throw new IllegalArgumentException("two entries with id " + sorted.get(i).entryId());
            }
        }
        return sorted;
    }

    /** The drawn order of {@code entries} under {@code seed}: first settled first. */
    public static List<DrawEntry> of(DrawSeed seed, Collection<DrawEntry> entries) {
        List<DrawEntry> a = canonical(entries);
        DrawStream stream = new DrawStream(seed);
        for (int i = a.size() - 1; i >= 1; i--) {
            int j = stream.below(i + 1);
            a.set(j, a.set(i, a.get(j)));
        }
        return List.copyOf(a);
    }
}
