package org.wishengine.wish.core;

/** A growable first-in-first-out ring of longs without boxing; the book's expiry queues. */
final class LongQueue {

    private long[] values = new long[16];
    private int head;
    private int size;

    void addLast(long value) {
        if (size == values.length) {
            long[] bigger = new long[values.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = values[(head + i) & (values.length - 1)];
            }
            values = bigger;
            head = 0;
        }
        values[(head + size) & (values.length - 1)] = value;
        size++;
    }

    long peekFirst() {
        return values[head];
    }

    long pollFirst() {
        long value = values[head];
        head = (head + 1) & (values.length - 1);
        size--;
        return value;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    boolean contains(long value) {
        for (int i = 0; i < size; i++) {
            if (values[(head + i) & (values.length - 1)] == value) {
                return true;
            }
        }
        return false;
    }
}
