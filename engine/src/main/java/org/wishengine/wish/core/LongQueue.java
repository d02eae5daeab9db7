package org.wishengine.wish.core;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A growable first-in-first-out queue of longs without boxing; the book's expiry queues.
 *
 * <p>Kept in chunks, like {@link LongList} and for the same reason: a campaign's expiry queue
 * holds every claim not yet fulfilled, so in one ring array that doubled, each doubling copied
 * the whole queue into a new array, which the next young collection copied again into the old
 * generation. Here a short queue keeps one array, compacted when it holds few values and doubled
 * otherwise, up to {@link LongList#CHUNK} longs; past that, values go into whole chunks that are
 * never copied, and a drained chunk is kept as the next one, so a queue that holds steady
 * allocates nothing.
 */
final class LongQueue {

    private static final int CHUNK = LongList.CHUNK;

    /** The chunks, oldest values first; never empty. All are {@link #CHUNK} long once there are two. */
    private final ArrayDeque<long[]> chunks = new ArrayDeque<>();
    /** A drained chunk kept for the next one, or null. */
    private long[] spare;
    /** Where the first value is in the first chunk. */
    private int head;
    /** Where the next value goes in the last chunk. */
    private int tail;
    private int size;

    LongQueue() {
        chunks.addLast(new long[16]);
    }

    void addLast(long value) {
        long[] last = chunks.peekLast();
        if (tail == last.length) {
            if (chunks.size() > 1) {
                last = nextChunk();
            } else if (size <= last.length / 2) {
                compactOnly(last); // a queue that holds few values stays in its one short array
            } else {
                last = last.length < CHUNK ? grownFirst(last) : nextChunk();
            }
        }
        last[tail++] = value;
        size++;
    }

    long peekFirst() {
        return chunks.peekFirst()[head];
    }

    long pollFirst() {
        long[] first = chunks.peekFirst();
        long value = first[head++];
        size--;
        if (head == first.length && chunks.size() > 1) {
            chunks.pollFirst();
            spare = first;
            head = 0;
        }
        if (size == 0) {
            head = 0; // one chunk is left, empty: start it over
            tail = 0;
        }
        return value;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    boolean contains(long value) {
        int index = 0;
        for (long[] chunk : chunks) {
            int from = index == 0 ? head : 0;
            int to = index == chunks.size() - 1 ? tail : chunk.length;
            for (int i = from; i < to; i++) {
                if (chunk[i] == value) {
                    return true;
                }
            }
            index++;
        }
        return false;
    }

    /** The only chunk, at most half full but with its end reached: its values moved to its start. */
    private void compactOnly(long[] only) {
        System.arraycopy(only, head, only, 0, size);
        tail = size;
        head = 0;
    }

    /** The only chunk, still short and more than half full: its values moved to the start of one twice as long. */
    private long[] grownFirst(long[] only) {
        long[] bigger = Arrays.copyOfRange(only, head, head + only.length * 2);
        chunks.pollFirst();
        chunks.addLast(bigger);
        tail -= head;
        head = 0;
        return bigger;
    }

    private long[] nextChunk() {
        long[] next = spare != null ? spare : new long[CHUNK];
        spare = null;
        chunks.addLast(next);
        tail = 0;
        return next;
    }
}
