package org.wishengine.wish.core;

import java.util.Arrays;

/**
 * Room for many small lists of longs in a few large arrays, handed out in blocks of 4, 8, …
 * 65,536 longs and taken back when a list outgrows its block. A list keeps the number of its
 * block, so growing it changes numbers in the list, never a reference.
 *
 * <p>Why: the book keeps lists per user (the claims held, the claims made, the fair-start
 * entries), and with arrays of their own every list that doubled stored a new array into a user
 * object long since promoted to the old generation. Each such store marks a card of the old
 * generation dirty, and every young collection scans every dirty card: at 10,000 claims/s over
 * 100,000 users that was half of the young pauses' time (docs/performance.md item 38). Blocks
 * in this arena are rewritten, never re-pointed; only a new chunk (every 65,536 longs) stores a
 * reference.
 *
 * <p>A buddy allocator: each chunk starts as one free block; a block is split in halves until
 * one is the size asked for, and a freed block is merged with its other half (its buddy) while
 * that is free too, so the small blocks that lists leave behind as they grow become large ones
 * again instead of piling up. Free blocks of each size are on a doubly linked list threaded
 * through the blocks themselves (their first two longs); which offsets start a free block, and
 * of what size, is kept beside each chunk. Single-threaded, like the book.
 */
final class LongArena {

    /** log2 of a chunk's length; a block's number is its chunk in the high bits, its offset in the low ones. */
    static final int CHUNK_BITS = 16;
    /** The longest block, and the length of every chunk. */
    static final int MAX_BLOCK = 1 << CHUNK_BITS;
    /** log2 of the shortest block. */
    static final int MIN_CLASS = 2;
    private static final int CHUNK_MASK = MAX_BLOCK - 1;
    private static final int NONE = -1;

    private long[][] chunks = new long[4][];
    /**
     * Per chunk, per {@code 1 << MIN_CLASS} longs: 0, or 1 + the size class of the free block that
     * starts there.
     */
    private byte[][] freeStarts = new byte[4][];
    private int chunkCount;
    /** The first free block of each size class (log2 of its length), or {@link #NONE}. */
    private final int[] free = new int[CHUNK_BITS + 1];

    LongArena() {
        Arrays.fill(free, NONE);
    }

    /** A block of {@code 1 << sizeClass} longs, its contents undefined; returns its number. */
    int allocate(int sizeClass) {
        int from = sizeClass;
        while (from <= CHUNK_BITS && free[from] == NONE) {
            from++;
        }
        if (from > CHUNK_BITS) {
            newChunk();
            from = CHUNK_BITS;
        }
        int block = free[from];
        unlink(block, from);
        while (from > sizeClass) { // keep the lower half, free the upper one
            from--;
            link(block + (1 << from), from);
        }
        return block;
    }

    /** Takes back a block that {@link #allocate} handed out for this size class. */
    void release(int block, int sizeClass) {
        while (sizeClass < CHUNK_BITS) {
            int buddy = block ^ (1 << sizeClass);
            if (freeClassAt(buddy) != sizeClass) {
                break;
            }
            unlink(buddy, sizeClass);
            block = Math.min(block, buddy);
            sizeClass++;
        }
        link(block, sizeClass);
    }

    long get(int block, int index) {
        return chunks[block >>> CHUNK_BITS][(block & CHUNK_MASK) + index];
    }

    void set(int block, int index, long value) {
        chunks[block >>> CHUNK_BITS][(block & CHUNK_MASK) + index] = value;
    }

    /** Copies {@code length} longs from the start of one block to the start of another. */
    void copy(int from, int to, int length) {
        System.arraycopy(chunks[from >>> CHUNK_BITS], from & CHUNK_MASK, chunks[to >>> CHUNK_BITS], to & CHUNK_MASK,
                length);
    }

    /** Copies {@code length} longs from index {@code from} of a block to the start of an array. */
    void copyOut(int block, int from, long[] into, int length) {
        System.arraycopy(chunks[block >>> CHUNK_BITS], (block & CHUNK_MASK) + from, into, 0, length);
    }

    /** Longs held in chunks, free or not: what the arena takes of the heap. */
    long capacity() {
        return (long) chunkCount << CHUNK_BITS;
    }

    /** The size class of the free block starting at {@code block}, or -1 when none starts there. */
    private int freeClassAt(int block) {
        return freeStarts[block >>> CHUNK_BITS][(block & CHUNK_MASK) >>> MIN_CLASS] - 1;
    }

    private void markFree(int block, int sizeClass) {
        freeStarts[block >>> CHUNK_BITS][(block & CHUNK_MASK) >>> MIN_CLASS] = (byte) (sizeClass + 1);
    }

    /** Pushes a free block on its list: slot 0 the next block, slot 1 the previous one. */
    private void link(int block, int sizeClass) {
        int next = free[sizeClass];
        set(block, 0, next);
        set(block, 1, NONE);
        if (next != NONE) {
            set(next, 1, block);
        }
        free[sizeClass] = block;
        markFree(block, sizeClass);
    }

    private void unlink(int block, int sizeClass) {
        int next = (int) get(block, 0);
        int previous = (int) get(block, 1);
        if (previous == NONE) {
            free[sizeClass] = next;
        } else {
            set(previous, 0, next);
        }
        if (next != NONE) {
            set(next, 1, previous);
        }
        markFree(block, -1);
    }

    private void newChunk() {
        if (chunkCount == 1 << (31 - CHUNK_BITS)) {
            // Block numbers stay positive ints: 16 G longs, far beyond any heap this runs in.
            throw new IllegalStateException("the arena is full");
        }
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunkCount * 2);
            freeStarts = Arrays.copyOf(freeStarts, chunkCount * 2);
        }
        chunks[chunkCount] = new long[MAX_BLOCK];
        freeStarts[chunkCount] = new byte[MAX_BLOCK >>> MIN_CLASS];
        link(chunkCount++ << CHUNK_BITS, CHUNK_BITS);
    }
}
