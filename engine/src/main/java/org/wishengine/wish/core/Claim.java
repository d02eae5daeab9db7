package org.wishengine.wish.core;

/**
 * One user holding (or having held) one unit of one wish. Immutable: every transition makes a
 * new instance, so a claim handed to a reply or commit thread never changes under it.
 * Timestamps are epoch millis, 0 when the event has not happened; {@code rating} is 0 until
 * confirmed.
 */
public record Claim(String id, String wishId, String campaignId, String userId, ClaimStatus status,
                   long claimedAt, long fulfilledAt, long confirmedAt, long cancelledAt, long expiredAt,
                   int rating, String comment) {

    static Claim claimed(String id, String wishId, String campaignId, String userId, long at) {
        return new Claim(id, wishId, campaignId, userId, ClaimStatus.CLAIMED, at, 0, 0, 0, 0, 0, null);
    }

    Claim fulfilled(long at) {
        return new Claim(id, wishId, campaignId, userId, ClaimStatus.FULFILLED, claimedAt, at, 0, 0, 0, 0, null);
    }

    Claim confirmed(long at, int newRating, String newComment) {
        return new Claim(id, wishId, campaignId, userId, ClaimStatus.CONFIRMED, claimedAt, fulfilledAt, at, 0, 0,
                newRating, newComment);
    }

    Claim cancelled(long at) {
        return new Claim(id, wishId, campaignId, userId, ClaimStatus.CANCELLED, claimedAt, 0, 0, at, 0, 0, null);
    }

    Claim expired(long at) {
        return new Claim(id, wishId, campaignId, userId, ClaimStatus.EXPIRED, claimedAt, 0, 0, 0, at, 0, null);
    }
}
