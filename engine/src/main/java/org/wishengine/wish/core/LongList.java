package org.wishengine.wish.core;

import java.util.Arrays;

/** A growable list of longs without boxing; the book keeps claim numbers in these. */
final class LongList {

    private long[] values = new long[4];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    /** Removes every value {@code drop} accepts, keeping the order of the rest. */
    void removeIf(java.util.function.LongPredicate drop) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!drop.test(values[i])) {
                values[kept++] = values[i];
            }
        }
        size = kept;
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
                long swap = values[i];
                values[i] = values[j];
                values[j] = swap;
            }
            return;
        }
        Long[] boxed = new Long[size];
        for (int i = 0; i < size; i++) {
            boxed[i] = values[i];
        }
        Arrays.sort(boxed, (a, b) -> order.compare(a, b));
        for (int i = 0; i < size; i++) {
            values[i] = boxed[i];
        }
    }

    /** In order ({@code direction} 1) or strictly in reverse ({@code -1}), so reversing keeps the sort stable. */
    private boolean isSorted(Order order, int direction) {
        for (int i = 1; i < size; i++) {
            int compared = order.compare(values[i - 1], values[i]) * direction;
            if (direction > 0 ? compared > 0 : compared <= 0) {
                return false;
            }
        }
        return true;
    }
}
