package org.wishengine.wish.core;

import java.util.Arrays;
import java.util.Comparator;

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

    /** Sorts by a comparator of the boxed values; for recovery, not for the hot path. */
    void sort(Comparator<Long> order) {
        Long[] boxed = new Long[size];
        for (int i = 0; i < size; i++) {
            boxed[i] = values[i];
        }
        Arrays.sort(boxed, order);
        for (int i = 0; i < size; i++) {
            values[i] = boxed[i];
        }
    }
}
