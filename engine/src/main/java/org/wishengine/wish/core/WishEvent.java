package org.wishengine.wish.core;

import java.util.List;

/**
 * A change of a wish that watchers (the live wall, dashboards) care about, derived from a
 * settled command. {@code remaining} is the wish's units left right after the change.
 */
public record WishEvent(Type type, String wishId, String campaignId, String claimId, int remaining) {

    /**
     * What watchers hear of a claim's change: its own event, and {@code sold_out} after the claim
     * that took a wish's last unit. {@code remaining} is the wish's units left right after it.
     */
    static List<WishEvent> after(Claim claim, int remaining) {
        Type type = switch (claim.status()) {
            case CLAIMED -> Type.CLAIMED;
            case FULFILLED -> Type.FULFILLED;
            case CONFIRMED -> Type.CONFIRMED;
            case CANCELLED, EXPIRED -> Type.RELEASED;
        };
        WishEvent event = new WishEvent(type, claim.wishId(), claim.campaignId(), claim.id(), remaining);
        return type == Type.CLAIMED && remaining == 0
                ? List.of(event, new WishEvent(Type.SOLD_OUT, claim.wishId(), claim.campaignId(), claim.id(), 0))
                : List.of(event);
    }

    /** What happened. */
    public enum Type {
        CLAIMED, RELEASED, SOLD_OUT, FULFILLED, CONFIRMED;

        private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

        public String wireName() {
            return wireName;
        }
    }
}
