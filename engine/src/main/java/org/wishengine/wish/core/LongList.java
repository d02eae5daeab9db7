package org.wishengine.wish.core;

import java.util.Arrays;

/**
 * A growable list of longs without boxing; the book keeps claim numbers in these. A list on its
 * own keeps chunks of its own; a list in a {@link LongArena} (the book's lists per user) keeps a
 * block of the arena and, should it outgrow the arena's largest block, chunks of its own from then
 * on.
 *
 * <p>Why chunks: a campaign's list of claim numbers grows by one per claim for as long as the
 * grab lasts. In one array that doubled, each doubling allocated a copy of the whole list, alive
 * at the next young collection, which then copied it again into the old generation: past 262,144
 * claims, a 4 MB array at once, and with the campaign's expiry queue ({@link LongQueue}) beside it the
 * longest young pause of a run at 10,000 claims/s (docs/performance.md item 43). In chunks, what a
 * list holds is never copied as it grows: the first chunk doubles up to {@link #CHUNK} longs (so a
 * short list stays short), and every later one is allocated whole, once.
 */
final class LongList {

    private static final int NO_BLOCK = -1;
    /** log2 of a chunk's length. */
    static final int CHUNK_BITS = 12;
    /** The length of every chunk but a first one still growing: 4,096 longs, 32 KB. */
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;

    /** The arena of the list's block, or null for a list that keeps its own array. */
    private final LongArena arena;
    /** The list's own chunks: always without an arena, once spilled over with one; else null. */
    private long[][] chunks;
    private int block = NO_BLOCK;
    private int sizeClass;
    private int size;

    LongList() {
        this.arena = null;
        this.chunks = new long[][] {new long[4]};
    }

    /** A list in this arena; it takes a block at its first value. */
    LongList(LongArena arena) {
        this.arena = arena;
    }

    void add(long value) {
        if (chunks == null && (block == NO_BLOCK || size == 1 << sizeClass)) {
            growInArena();
        }
        if (chunks != null) {
            makeRoom();
            chunks[size >>> CHUNK_BITS][size & CHUNK_MASK] = value;
            size++;
        } else {
            arena.set(block, size++, value);
        }
    }

    long get(int index) {
        return chunks != null ? chunks[index >>> CHUNK_BITS][index & CHUNK_MASK] : arena.get(block, index);
    }

    void set(int index, long value) {
        if (chunks != null) {
            chunks[index >>> CHUNK_BITS][index & CHUNK_MASK] = value;
        } else {
            arena.set(block, index, value);
        }
    }

    /**
     * The chunk that value number {@code index} lives in (the same array for as long as the list
     * holds it); for tests.
     */
    long[] chunkHolding(int index) {
        return chunks == null ? null : chunks[index >>> CHUNK_BITS];
    }

    /** Makes room for value number {@link #size} in the list's own chunks. */
    private void makeRoom() {
        int chunk = size >>> CHUNK_BITS;
        if (chunk == 0) {
            if (size == chunks[0].length) {
                chunks[0] = Arrays.copyOf(chunks[0], size * 2); // at most CHUNK longs
            }
            return;
        }
        if ((size & CHUNK_MASK) != 0) {
            return;
        }
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunk * 2);
        }
        chunks[chunk] = new long[CHUNK];
    }

    int size() {
        return size;
    }

    /** Removes the value at {@code index} and puts the last one in its place (the order changes). */
    void removeSwap(int index) {
        size--;
        set(index, get(size));
    }

    /** Removes every value {@code drop} accepts, keeping the order of the rest. */
    void removeIf(java.util.function.LongPredicate drop) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            long value = get(i);
            if (!drop.test(value)) {
                set(kept++, value);
            }
        }
        size = kept;
    }

    /** Empties the list and gives its block back to the arena. */
    void free() {
        if (block != NO_BLOCK) {
            arena.release(block, sizeClass);
            block = NO_BLOCK;
        }
        size = 0;
    }

    /** A first block, or one twice as long (the values moved over), or past the largest block chunks of its own. */
    private void growInArena() {
        if (block == NO_BLOCK) {
            sizeClass = LongArena.MIN_CLASS;
            block = arena.allocate(sizeClass);
            return;
        }
        if (sizeClass == LongArena.CHUNK_BITS) {
            chunks = new long[size / CHUNK * 2][];
            for (int from = 0; from < size; from += CHUNK) {
                chunks[from >>> CHUNK_BITS] = new long[CHUNK];
                arena.copyOut(block, from, chunks[from >>> CHUNK_BITS], CHUNK);
            }
            arena.release(block, sizeClass);
            block = NO_BLOCK;
            return;
        }
        int bigger = arena.allocate(sizeClass + 1);
        arena.copy(block, bigger, size);
        arena.release(block, sizeClass);
        block = bigger;
        sizeClass++;
    }

    /** An order on longs, compared without boxing. */
    @FunctionalInterface
    interface Order {
        int compare(long a, long b);
    }

    /**
     * Sorts by {@code order}; for recovery, not for the hot path. Recovery loads claims newest or
     * oldest first, so a list is usually in order or in reverse already: both are found in one
     * pass, and only a list in neither order is sorted (boxed).
     */
    void sort(Order order) {
        if (isSorted(order, 1)) {
            return;
        }
        if (isSorted(order, -1)) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                long swap = get(i);
                set(i, get(j));
                set(j, swap);
            }
            return;
        }
        Long[] boxed = new Long[size];
        for (int i = 0; i < size; i++) {
            boxed[i] = get(i);
        }
        Arrays.sort(boxed, (a, b) -> order.compare(a, b));
        for (int i = 0; i < size; i++) {
            set(i, boxed[i]);
        }
    }

    /** In order ({@code direction} 1) or strictly in reverse ({@code -1}), so reversing keeps the sort stable. */
    private boolean isSorted(Order order, int direction) {
        for (int i = 1; i < size; i++) {
            int compared = order.compare(get(i - 1), get(i)) * direction;
            if (direction > 0 ? compared > 0 : compared <= 0) {
                return false;
            }
        }
        return true;
    }
}
