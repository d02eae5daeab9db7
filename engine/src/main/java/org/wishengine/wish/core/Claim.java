package org.wishengine.wish.core;

/**
 * One user holding (or having held) one unit of one wish, as it stood when the book was asked.
 * Immutable, and made anew on every read, so a claim handed to a reply or commit thread never
 * changes under it.
 * Timestamps are epoch millis, 0 when the event has not happened; {@code rating} is 0 until
 * confirmed.
 */
public record Claim(String id, String wishId, String campaignId, String userId, ClaimStatus status,
                   long claimedAt, long fulfilledAt, long confirmedAt, long cancelledAt, long expiredAt,
                   int rating, String comment) {

    static Claim claimed(String id, String wishId, String campaignId, String userId, long at) {
        return new Claim(id, wishId, campaignId, userId, ClaimStatus.CLAIMED, at, 0, 0, 0, 0, 0, null);
    }
}
