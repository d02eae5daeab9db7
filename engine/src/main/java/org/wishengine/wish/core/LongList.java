package org.wishengine.wish.core;

import java.util.Arrays;

/**
 * A growable list of longs without boxing; the book keeps claim numbers in these. A list on its
 * own keeps an array; a list in a {@link LongArena} (the book's lists per user) keeps a block of
 * the arena and, should it outgrow the arena's largest block, an array from then on.
 */
final class LongList {

    private static final int NO_BLOCK = -1;

    /** The arena of the list's block, or null for a list that keeps its own array. */
    private final LongArena arena;
    /** The list's own array: always without an arena, once spilled over with one; else null. */
    private long[] values;
    private int block = NO_BLOCK;
    private int sizeClass;
    private int size;

    LongList() {
        this.arena = null;
        this.values = new long[4];
    }

    /** A list in this arena; it takes a block at its first value. */
    LongList(LongArena arena) {
        this.arena = arena;
    }

    void add(long value) {
        if (values == null && (block == NO_BLOCK || size == 1 << sizeClass)) {
            growInArena();
        }
        if (values != null) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        } else {
            arena.set(block, size++, value);
        }
    }

    long get(int index) {
        return values != null ? values[index] : arena.get(block, index);
    }

    void set(int index, long value) {
        if (values != null) {
            values[index] = value;
        } else {
            arena.set(block, index, value);
        }
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

    /** A first block, or one twice as long (the values moved over), or past the largest block an array. */
    private void growInArena() {
        if (block == NO_BLOCK) {
            sizeClass = LongArena.MIN_CLASS;
            block = arena.allocate(sizeClass);
            return;
        }
        if (sizeClass == LongArena.CHUNK_BITS) {
            values = new long[size * 2];
            arena.copyOut(block, values, size);
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
