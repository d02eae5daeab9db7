package org.wishengine.wish.core;

import java.util.Objects;

/**
 * A user's fair-start entry as the API shows it and the store keeps it: a request for one unit of
 * one wish, made inside the campaign's window ({@code enteredAt} is in {@code [opensAt, drawAt)}),
 * and what the draw gave it. Immutable, so it may leave the writer's thread.
 *
 * @param id        {@code en-N}, N its arrival number within the campaign (1 for the first)
 * @param settledAt when the draw settled it (epoch millis), 0 while {@link EntryOutcome#PENDING}
 * @param claimId   the claim it won, or null
 * @param reason    why it lost, or null
 */
public record Entry(String id, String campaignId, String wishId, String userId, long enteredAt, long drawAt,
                    EntryOutcome outcome, long settledAt, String claimId, DrawSettlement.LossReason reason) {

    private static final String PREFIX = "en-";

    public Entry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(wishId, "wishId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == EntryOutcome.WON) != (claimId != null) || (outcome == EntryOutcome.LOST) != (reason != null)
                || (outcome == EntryOutcome.PENDING) != (settledAt == 0)) {
            throw new IllegalArgumentException("entry " + id + " " + outcome + " with claim " + claimId
                    + ", reason " + reason + ", settled at " + settledAt);
        }
    }

    /** The id of the campaign's {@code arrival}-th entry. */
    public static String idOf(long arrival) {
        return PREFIX + arrival;
    }

    /** The arrival number an entry id names, or 0 when it is not one the book makes. */
    public static long arrivalOf(String entryId) {
        long number = Book.numberIn(entryId, PREFIX);
        return number != 0 && entryId.charAt(PREFIX.length()) != '0' ? number : 0;
    }

    /** True once the draw has settled it. */
    public boolean settled() {
        return outcome != EntryOutcome.PENDING;
    }
}
