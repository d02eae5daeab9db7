package org.wishengine.wish.core;

import java.util.function.IntSupplier;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * The random numbers of a draw, derived from its seed alone: block {@code k} (k = 0, 1, 2, ...) is
 * HMAC-SHA256 with the seed as key over {@code k} as 8 bytes big-endian, and each 32-byte block is
 * read as eight unsigned 32-bit big-endian words, used in order. Indices below a bound are drawn
 * from these words by rejection (see {@link #below(int, IntSupplier)}), so every index is exactly
 * equally likely. See {@link DrawOrder} for the whole algorithm.
 */
final class DrawStream {

    private static final int WORDS_PER_BLOCK = 8;

    private final Mac mac;
    private final byte[] counter = new byte[Long.BYTES];
    private final byte[] block = new byte[32];
    private long nextBlock;
    private int word = WORDS_PER_BLOCK;

    DrawStream(DrawSeed seed) {
        this.mac = DrawHash.hmac(seed.bytes());
    }

    /** The next 32-bit word of the stream (its bits; read it unsigned). */
    int nextWord() {
        if (word == WORDS_PER_BLOCK) {
            refill();
        }
        int at = 4 * word++;
        return (block[at] & 0xff) << 24 | (block[at + 1] & 0xff) << 16 | (block[at + 2] & 0xff) << 8 | block[at + 3] & 0xff;
    }

    /** A uniformly drawn index in {@code 0 .. bound - 1}. */
    int below(int bound) {
        return below(bound, this::nextWord);
    }

    /**
     * A uniformly drawn index in {@code 0 .. bound - 1} from unsigned 32-bit words: take the next
     * word {@code x}; if {@code x >= 2^32 - (2^32 mod bound)} reject it and take another, else
     * answer {@code x mod bound}. Plain {@code x mod bound} would favour the low indices whenever
     * {@code bound} does not divide 2^32; the accepted words cover every index the same number of
     * times. At most one word in two is rejected, and for draw-sized bounds almost none.
     */
    static int below(int bound, IntSupplier words) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long range = 1L << 32;
        long limit = range - range % bound;
        while (true) {
            long x = Integer.toUnsignedLong(words.getAsInt());
            if (x < limit) {
                return (int) (x % bound);
            }
        }
    }

    private void refill() {
        long k = nextBlock++;
        for (int i = 0; i < Long.BYTES; i++) {
            counter[i] = (byte) (k >>> (56 - 8 * i));
        }
        mac.update(counter);
        try {
            mac.doFinal(block, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        word = 0;
    }
}
