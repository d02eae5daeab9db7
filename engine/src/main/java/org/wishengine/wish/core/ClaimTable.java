package org.wishengine.wish.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every claim the book has made, as columns of primitives indexed by claim number.
 *
 * <p>The book keeps every claim for the life of the process, and a flash-grab makes them by the
 * hundred thousand. Kept as objects, each new claim would survive its first garbage collections
 * and be copied between survivor spaces, and storing it into a long-lived array would dirty a
 * card that the collector must scan. Kept as numbers in arrays of primitives, a claim costs no
 * object at all and the collector has nothing to trace: the {@link Claim} records the rest of
 * the engine sees are made on demand and die young.
 *
 * <p>The columns come in chunks of a fixed number of claims, so that growing the table allocates
 * one more chunk instead of copying every column into one twice as long: a copy the collector
 * would then have to move again, in one pause, while the grab is on.
 *
 * <p>A chunk holds {@link ClaimBlocks#SIZE} claims (about 43 KB), the size of a cluster's claim
 * block, so that one block is one chunk: a node that holds a few blocks of each of many campaigns
 * allocates a chunk per block it uses rather than a chunk of 16 times that (about 700 KB) per
 * campaign, and
 * dropping a campaign frees its blocks' chunks. On a single Redis the numbers are dense, so the
 * smaller chunk only means a few more of them.
 *
 * <p>Wishes and users are referred to by the small integers the book gives them. Comments are
 * rare (only a confirmation carries one), so they live in a map beside the columns.
 */
final class ClaimTable {

    /** Status column value of a number no claim has. */
    private static final byte NONE = 0;
    private static final int CHUNK_BITS = ClaimBlocks.BLOCK_BITS;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;
    private static final ClaimStatus[] STATUSES = ClaimStatus.values();

    private Chunk[] chunks = new Chunk[16];
    private final Map<Long, String> comments = new HashMap<>();

    /** The columns of {@link #CHUNK_SIZE} consecutive claim numbers. */
    private static final class Chunk {
        final int[] wish = new int[CHUNK_SIZE];
        final int[] user = new int[CHUNK_SIZE];
        /** {@link ClaimStatus#ordinal()} + 1, so that 0 means "no such claim". */
        final byte[] status = new byte[CHUNK_SIZE];
        final byte[] rating = new byte[CHUNK_SIZE];
        final long[] claimedAt = new long[CHUNK_SIZE];
        final long[] fulfilledAt = new long[CHUNK_SIZE];
        final long[] confirmedAt = new long[CHUNK_SIZE];
        /** When a cancelled or expired claim ended; the status says which of the two. */
        final long[] endedAt = new long[CHUNK_SIZE];
        /** Claims in the chunk, so that {@link #clear} can free a chunk once its last claim is gone. */
        int used;
    }

    boolean exists(long number) {
        if (number <= 0 || (number >>> CHUNK_BITS) >= chunks.length) {
            return false;
        }
        Chunk chunk = chunks[(int) (number >>> CHUNK_BITS)];
        return chunk != null && chunk.status[slot(number)] != NONE;
    }

    /** The claim's status; only for a number that {@link #exists}. */
    ClaimStatus status(long number) {
        return STATUSES[chunk(number).status[slot(number)] - 1];
    }

    int wish(long number) {
        return chunk(number).wish[slot(number)];
    }

    int user(long number) {
        return chunk(number).user[slot(number)];
    }

    long claimedAt(long number) {
        return chunk(number).claimedAt[slot(number)];
    }

    /** Records a new claim in state {@code claimed}. */
    void claimed(long number, int wishIndex, int userIndex, long at) {
        Chunk chunk = chunkFor(number);
        int i = slot(number);
        if (chunk.status[i] == NONE) {
            chunk.used++;
        }
        chunk.wish[i] = wishIndex;
        chunk.user[i] = userIndex;
        chunk.status[i] = code(ClaimStatus.CLAIMED);
        chunk.claimedAt[i] = at;
    }

    /** Moves a claim to a new status, stamping the time of the transition. */
    void transition(long number, ClaimStatus to, long at) {
        Chunk chunk = chunk(number);
        int i = slot(number);
        switch (to) {
            case FULFILLED -> chunk.fulfilledAt[i] = at;
            case CONFIRMED -> chunk.confirmedAt[i] = at;
            case CANCELLED, EXPIRED -> chunk.endedAt[i] = at;
            default -> throw new IllegalArgumentException("no transition leads to " + to);
        }
        chunk.status[i] = code(to);
    }

    void rate(long number, int stars, String comment) {
        chunk(number).rating[slot(number)] = (byte) stars;
        if (comment != null) {
            comments.put(number, comment);
        }
    }

    /** Copies a claim read back from the store into the columns. */
    void restore(long number, int wishIndex, int userIndex, Claim claim) {
        claimed(number, wishIndex, userIndex, claim.claimedAt());
        Chunk chunk = chunk(number);
        int i = slot(number);
        chunk.status[i] = code(claim.status());
        chunk.fulfilledAt[i] = claim.fulfilledAt();
        chunk.confirmedAt[i] = claim.confirmedAt();
        chunk.endedAt[i] = Math.max(claim.cancelledAt(), claim.expiredAt());
        rate(number, claim.rating(), claim.comment());
    }

    /**
     * Forgets a claim, as if it had never been made (a dropped campaign's); frees its chunk once
     * that holds no claim. Nothing for a number no claim has.
     */
    void clear(long number) {
        if (!exists(number)) {
            return;
        }
        int index = (int) (number >>> CHUNK_BITS);
        Chunk chunk = chunks[index];
        int i = slot(number);
        if (--chunk.used == 0) {
            chunks[index] = null;
            comments.remove(number);
            return;
        }
        chunk.wish[i] = 0;
        chunk.user[i] = 0;
        chunk.status[i] = NONE;
        chunk.rating[i] = 0;
        chunk.claimedAt[i] = 0;
        chunk.fulfilledAt[i] = 0;
        chunk.confirmedAt[i] = 0;
        chunk.endedAt[i] = 0;
        comments.remove(number);
    }

    /** The claim as the rest of the engine sees it; a new record on every call. */
    Claim read(long number, String id, String wishId, String campaignId, String userId) {
        Chunk chunk = chunk(number);
        int i = slot(number);
        ClaimStatus current = STATUSES[chunk.status[i] - 1];
        long ended = chunk.endedAt[i];
        return new Claim(id, wishId, campaignId, userId, current, chunk.claimedAt[i], chunk.fulfilledAt[i],
                chunk.confirmedAt[i], current == ClaimStatus.CANCELLED ? ended : 0,
                current == ClaimStatus.EXPIRED ? ended : 0, chunk.rating[i],
                current == ClaimStatus.CONFIRMED ? comments.get(number) : null);
    }

    private static byte code(ClaimStatus value) {
        return (byte) (value.ordinal() + 1);
    }

    private static int slot(long number) {
        return (int) (number & CHUNK_MASK);
    }

    private Chunk chunk(long number) {
        return chunks[(int) (number >>> CHUNK_BITS)];
    }

    private Chunk chunkFor(long number) {
        int index = (int) (number >>> CHUNK_BITS);
        if (index >= chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(index + 1, chunks.length * 2));
        }
        Chunk chunk = chunks[index];
        if (chunk == null) {
            chunk = new Chunk();
            chunks[index] = chunk;
        }
        return chunk;
    }
}
