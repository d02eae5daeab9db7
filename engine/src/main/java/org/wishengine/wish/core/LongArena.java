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
 * 100,000 users that was about half of each young pause (docs/performance.md item 38). Blocks in
 * this arena are rewritten, never re-pointed; only a new chunk (every 65,536 longs) stores a
 * reference.
 *
 * <p>Freed blocks go on a free list per size, threaded through the blocks themselves (a free
 * block's first long is the next free block's number), and are handed out again before the
 * chunk's untouched rest. Single-threaded, like the book.
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
    private int chunkCount;
    /** Where the last chunk's untouched rest begins; {@link #MAX_BLOCK} when there is none. */
    private int top = MAX_BLOCK;
    /** The first free block of each size class (log2 of its length), or {@link #NONE}. */
    private final int[] free = new int[CHUNK_BITS + 1];

    LongArena() {
        Arrays.fill(free, NONE);
    }

    /** The size class (log2 of the length) of the shortest block that holds {@code length} longs. */
    static int classFor(int length) {
        if (length > MAX_BLOCK) {
            throw new IllegalArgumentException("no block holds " + length + " longs");
        }
        return Math.max(MIN_CLASS, 32 - Integer.numberOfLeadingZeros(Math.max(1, length) - 1));
    }

    /** A block of {@code 1 << sizeClass} longs, its contents undefined; returns its number. */
    int allocate(int sizeClass) {
        int block = free[sizeClass];
        if (block != NONE) {
            free[sizeClass] = (int) get(block, 0);
            return block;
        }
        int length = 1 << sizeClass;
        if (MAX_BLOCK - top < length) {
            retireRest();
            newChunk();
        }
        block = ((chunkCount - 1) << CHUNK_BITS) | top;
        top += length;
        return block;
    }

    /** Takes back a block that {@link #allocate} handed out for this size class. */
    void release(int block, int sizeClass) {
        set(block, 0, free[sizeClass]);
        free[sizeClass] = block;
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

    /** Copies {@code length} longs from the start of a block into an array. */
    void copyOut(int block, long[] into, int length) {
        System.arraycopy(chunks[block >>> CHUNK_BITS], block & CHUNK_MASK, into, 0, length);
    }

    /** Longs held in chunks, free or not (for tests and the heap's accounts). */
    long capacity() {
        return (long) chunkCount << CHUNK_BITS;
    }

    /** The untouched rest of the last chunk goes to the free lists in the largest blocks it holds. */
    private void retireRest() {
        while (MAX_BLOCK - top >= 1 << MIN_CLASS) {
            int sizeClass = 31 - Integer.numberOfLeadingZeros(MAX_BLOCK - top);
            int block = ((chunkCount - 1) << CHUNK_BITS) | top;
            top += 1 << sizeClass;
            release(block, sizeClass);
        }
    }

    private void newChunk() {
        if (chunkCount == 1 << (31 - CHUNK_BITS)) {
            // Block numbers stay positive ints: 16 G longs, far beyond any heap this runs in.
            throw new IllegalStateException("the arena is full");
        }
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunkCount * 2);
        }
        chunks[chunkCount++] = new long[MAX_BLOCK];
        top = 0;
    }
}
