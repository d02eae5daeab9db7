package org.wishengine.wish.core;

import java.util.Objects;

/**
 * One entry of a fair-start draw, as the book holds it: a user's request for one unit of one wish,
 * made inside the campaign's fair-start window.
 *
 * <p>{@code entryId} is what the draw orders entries by before shuffling, so it is restricted to
 * the ASCII ids of {@link CampaignRules#ID}: their order by {@link String#compareTo} is the plain
 * byte order of their ASCII, the same in every language a verifier may use. {@code arrival} is
 * the entry's place in the order the writer accepted entries (1 for the first); it is published so
 * anyone can see the draw did not follow it, and plays no part in the draw.
 */
public record DrawEntry(String entryId, String wishId, String userId, long arrival) {

    public DrawEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(wishId, "wishId");
        Objects.requireNonNull(userId, "userId");
        if (!CampaignRules.validId(entryId)) {
            throw new IllegalArgumentException("entry id must be 1..64 of A-Z a-z 0-9 _ -: " + entryId);
        }
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("entry " + entryId + " has no user");
        }
    }
}
