package org.wishengine.wish.core;

import java.util.List;

/**
 * A batch of wishes released together at {@code opensAt} (epoch millis). Immutable, so it is
 * safe to hand from the writer to any thread. {@code id} may be null in a draft.
 */
public record Campaign(String id, String title, long opensAt, int perUserLimit, int fulfilWithinHours,
                       long createdAt, List<WishSpec> wishes) {

    public Campaign {
        wishes = List.copyOf(wishes);
    }

    /** How long a claim may stay {@code claimed} before it expires, in millis. */
    public long fulfilWithinMillis() {
        return fulfilWithinHours * 3_600_000L;
    }

    /** Total units over all wishes. */
    public long units() {
        long units = 0;
        for (WishSpec wish : wishes) {
            units += wish.quantity();
        }
        return units;
    }

    Campaign withIds(String newId, List<WishSpec> newWishes, long newCreatedAt) {
        return new Campaign(newId, title, opensAt, perUserLimit, fulfilWithinHours, newCreatedAt, newWishes);
    }
}
