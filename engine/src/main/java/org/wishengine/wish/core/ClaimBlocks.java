package org.wishengine.wish.core;

/**
 * Claim numbering on a cluster: numbers come in blocks of {@value #SIZE}, block {@code b} covering
 * {@code b * SIZE .. b * SIZE + SIZE - 1}. Each block is granted to one campaign for good, so any
 * node can tell a claim's campaign from its number's block alone. Block 0 is never granted: its
 * numbers (below {@value #SIZE}) are never claim numbers of a cluster.
 */
public final class ClaimBlocks {

    public static final int BLOCK_BITS = 10;
    /** Claim numbers per block. */
    public static final int SIZE = 1 << BLOCK_BITS;
    /**
     * The last block whose numbers all fit the 9 digits a claim id may have (see the API's ids):
     * numbers beyond would name claims no request could reach.
     */
    public static final long MAX_BLOCK = (1_000_000_000L >>> BLOCK_BITS) - 1;

    private ClaimBlocks() {
    }

    /** The block claim number {@code number} belongs to. */
    public static long blockOf(long number) {
        return number >>> BLOCK_BITS;
    }

    /** The first claim number of {@code block}. */
    public static long first(long block) {
        return block << BLOCK_BITS;
    }

    /**
     * The number of a claim id as the engine writes it ({@code cl-} and up to nine digits, no
     * leading zero), or 0 when it is not one: what a cluster node routes a claim by.
     */
    public static long numberOf(String claimId) {
        return Book.claimNumber(claimId);
    }
}
