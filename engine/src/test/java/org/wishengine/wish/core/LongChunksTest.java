package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The book's growing lists and queues keep their values in chunks: what they hold is never copied
 * as they grow (a copy of a long list is what made the longest young pause), and a queue that
 * holds steady allocates nothing.
 */
class LongChunksTest {

    private static final int MILLION = 1_000_000;

    @Test
    void aLongListNeverMovesWhatItHoldsAndAllocatesAboutItsOwnSize() {
        LongList list = new LongList();
        list.add(0);
        for (int i = 1; i < LongList.CHUNK; i++) {
            list.add(i); // the first chunk doubles up to a whole chunk
        }
        long[] first = list.chunkHolding(0);
        long before = allocatedBytes();
        for (int i = LongList.CHUNK; i < MILLION; i++) {
            list.add(i);
        }
        long allocated = allocatedBytes() - before;

        assertSame(first, list.chunkHolding(0), "the first chunk was copied");
        // 8 bytes a value and a few spine slots; a doubling array would have allocated ~16 MB.
        assertTrue(allocated < 8L * MILLION + (1 << 20), "allocated " + allocated + " bytes");
        assertEquals(MILLION, list.size());
        for (int i = 0; i < MILLION; i += 997) {
            assertEquals(i, list.get(i));
        }
        assertEquals(MILLION - 1, list.get(MILLION - 1));
    }

    @Test
    void aLongListRemovesAndSortsAcrossChunks() {
        LongList list = new LongList();
        int count = 3 * LongList.CHUNK + 17;
        for (int i = 0; i < count; i++) {
            list.add(count - i);
        }
        list.sort(Long::compare);
        for (int i = 0; i < count; i++) {
            assertEquals(i + 1, list.get(i));
        }
        list.removeIf(v -> v % 2 == 0);
        assertEquals((count + 1) / 2, list.size());
        for (int i = 0; i < list.size(); i++) {
            assertEquals(2L * i + 1, list.get(i));
        }
        list.removeSwap(0);
        assertEquals(2L * (list.size()) + 1, list.get(0), "the last value took the first one's place");
    }

    @Test
    void aQueueKeepsItsOrderThroughGrowthAcrossChunksAndDraining() {
        LongQueue queue = new LongQueue();
        ArrayDeque<Long> model = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(20);
        long next = 0;
        int largest = 0;
        for (int step = 0; step < 250_000; step++) { // ends growing, with values left
            // Grows for a while, then drains, so that chunks fill, empty and come back.
            boolean add = model.isEmpty() || random.nextInt(100) < ((step / 50_000) % 2 == 0 ? 70 : 30);
            if (add) {
                queue.addLast(next);
                model.addLast(next++);
            } else {
                assertEquals(model.peekFirst(), queue.peekFirst());
                assertEquals(model.pollFirst(), queue.pollFirst());
            }
            assertEquals(model.size(), queue.size());
            assertEquals(model.isEmpty(), queue.isEmpty());
            largest = Math.max(largest, model.size());
        }
        assertTrue(largest > 3 * LongList.CHUNK, "the queue spread over several chunks: " + largest);
        long oldest = model.peekFirst();
        assertTrue(queue.contains(oldest));
        assertTrue(queue.contains(model.peekLast()));
        assertFalse(queue.contains(oldest - 1), "already polled");
        assertFalse(queue.contains(next), "never added");
        while (!model.isEmpty()) {
            assertEquals(model.pollFirst(), queue.pollFirst());
        }
        queue.addLast(42);
        assertEquals(42, queue.peekFirst());
    }

    @Test
    void aQueueThatHoldsSteadyAllocatesNothingAndOneThatGrowsAboutItsOwnSize() {
        LongQueue queue = new LongQueue();
        for (int i = 0; i < 3 * LongList.CHUNK; i++) {
            queue.addLast(i);
        }
        long before = allocatedBytes();
        for (int i = 0; i < MILLION; i++) { // as many in as out: chunks drain and are reused
            queue.addLast(i);
            queue.pollFirst();
        }
        long steady = allocatedBytes() - before;
        // A new chunk per 4,096 values would be ~8 MB; allocatedBytes itself may take a little.
        assertTrue(steady < 64 * 1024, "allocated " + steady + " bytes while holding steady");

        LongQueue growing = new LongQueue();
        before = allocatedBytes();
        for (int i = 0; i < MILLION; i++) {
            growing.addLast(i);
        }
        long grown = allocatedBytes() - before;
        assertTrue(grown < 8L * MILLION + (1 << 20), "allocated " + grown + " bytes growing");
        assertEquals(0, growing.pollFirst());
        assertEquals(MILLION - 1, growing.size());
    }

    @Test
    void aQueueThatHoldsFewValuesStaysInItsOneShortArray() {
        LongQueue queue = new LongQueue();
        for (int i = 0; i < 10; i++) {
            queue.addLast(i);
        }
        allocatedBytes(); // the first call may set up the meter
        long before = allocatedBytes();
        for (int i = 10; i < 100_000; i++) { // ten values at a time, as a campaign's expiry queue may hold
            queue.addLast(i);
            assertEquals(i - 10, queue.pollFirst());
        }
        long allocated = allocatedBytes() - before;
        // Doubling whenever the end is reached would have grown it to whole chunks (~100 KB).
        assertTrue(allocated < 4 * 1024, "allocated " + allocated + " bytes for ten values");
        assertEquals(10, queue.size());
        assertTrue(queue.contains(99_990) && queue.contains(99_999) && !queue.contains(99_989));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
