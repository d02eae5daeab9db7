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
 * card that the collector must scan. Kept as numbers in a few large arrays, a claim costs no
 * object at all and the collector has nothing to trace: the {@link Claim} records the rest of
 * the engine sees are made on demand and die young.
 *
 * <p>Wishes and users are referred to by the small integers the book gives them. Comments are
 * rare (only a confirmation carries one), so they live in a map beside the columns.
 */
final class ClaimTable {

    /** Status column value of a number no claim has. */
    private static final byte NONE = 0;

    private int[] wish = new int[1024];
    private int[] user = new int[1024];
    /** {@link ClaimStatus#ordinal()} + 1, so that 0 means "no such claim". */
    private byte[] status = new byte[1024];
    private byte[] rating = new byte[1024];
    private long[] claimedAt = new long[1024];
    private long[] fulfilledAt = new long[1024];
    private long[] confirmedAt = new long[1024];
    /** When a cancelled or expired claim ended; the status says which of the two. */
    private long[] endedAt = new long[1024];
    private final Map<Long, String> comments = new HashMap<>();

    private static final ClaimStatus[] STATUSES = ClaimStatus.values();

    boolean exists(long number) {
        return number > 0 && number < status.length && status[(int) number] != NONE;
    }

    /** The claim's status; only for a number that {@link #exists}. */
    ClaimStatus status(long number) {
        return STATUSES[status[(int) number] - 1];
    }

    int wish(long number) {
        return wish[(int) number];
    }

    int user(long number) {
        return user[(int) number];
    }

    long claimedAt(long number) {
        return claimedAt[(int) number];
    }

    /** Records a new claim in state {@code claimed}. */
    void claimed(long number, int wishIndex, int userIndex, long at) {
        ensureRoom(number);
        int n = (int) number;
        wish[n] = wishIndex;
        user[n] = userIndex;
        status[n] = code(ClaimStatus.CLAIMED);
        claimedAt[n] = at;
    }

    /** Moves a claim to a new status, stamping the time of the transition. */
    void transition(long number, ClaimStatus to, long at) {
        int n = (int) number;
        status[n] = code(to);
        switch (to) {
            case FULFILLED -> fulfilledAt[n] = at;
            case CONFIRMED -> confirmedAt[n] = at;
            case CANCELLED, EXPIRED -> endedAt[n] = at;
            default -> throw new IllegalArgumentException("no transition leads to " + to);
        }
    }

    void rate(long number, int stars, String comment) {
        rating[(int) number] = (byte) stars;
        if (comment != null) {
            comments.put(number, comment);
        }
    }

    /** Copies a claim read back from the store into the columns. */
    void restore(long number, int wishIndex, int userIndex, Claim claim) {
        claimed(number, wishIndex, userIndex, claim.claimedAt());
        int n = (int) number;
        status[n] = code(claim.status());
        fulfilledAt[n] = claim.fulfilledAt();
        confirmedAt[n] = claim.confirmedAt();
        endedAt[n] = Math.max(claim.cancelledAt(), claim.expiredAt());
        rate(number, claim.rating(), claim.comment());
    }

    /** The claim as the rest of the engine sees it; a new record on every call. */
    Claim read(long number, String id, String wishId, String campaignId, String userId) {
        int n = (int) number;
        ClaimStatus current = status(number);
        long ended = endedAt[n];
        return new Claim(id, wishId, campaignId, userId, current, claimedAt[n], fulfilledAt[n], confirmedAt[n],
                current == ClaimStatus.CANCELLED ? ended : 0, current == ClaimStatus.EXPIRED ? ended : 0,
                rating[n], current == ClaimStatus.CONFIRMED ? comments.get(number) : null);
    }

    private static byte code(ClaimStatus value) {
        return (byte) (value.ordinal() + 1);
    }

    private void ensureRoom(long number) {
        if (number < status.length) {
            return;
        }
        int length = (int) Math.max(number + 1, status.length * 2L);
        wish = Arrays.copyOf(wish, length);
        user = Arrays.copyOf(user, length);
        status = Arrays.copyOf(status, length);
        rating = Arrays.copyOf(rating, length);
        claimedAt = Arrays.copyOf(claimedAt, length);
        fulfilledAt = Arrays.copyOf(fulfilledAt, length);
        confirmedAt = Arrays.copyOf(confirmedAt, length);
        endedAt = Arrays.copyOf(endedAt, length);
    }
}
