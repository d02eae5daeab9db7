package org.wishengine.wish.core;

import java.util.List;

/**
 * A change that watchers (the live wall, dashboards) care about, derived from a settled command:
 * a change of a wish, or a new campaign. For a wish, {@code remaining} is its units left right
 * after the change and {@code title} is null. For {@link Type#CAMPAIGN}, {@code wishId} and
 * {@code claimId} are null, {@code remaining} is the campaign's units, and {@code title} and
 * {@code opensAt} (epoch millis) are the campaign's, so that a wall can show it without asking.
 */
public record WishEvent(Type type, String wishId, String campaignId, String claimId, int remaining,
                        String title, long opensAt) {

    /** A change of a wish. */
    public WishEvent(Type type, String wishId, String campaignId, String claimId, int remaining) {
        this(type, wishId, campaignId, claimId, remaining, null, 0);
    }

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

    /** What watchers hear of a new campaign: one {@code campaign} event. */
    static List<WishEvent> created(Campaign campaign) {
        int units = (int) Math.min(Integer.MAX_VALUE, campaign.units());
        return List.of(new WishEvent(Type.CAMPAIGN, null, campaign.id(), null, units, campaign.title(), campaign.opensAt()));
    }

    /**
     * What watchers hear when a campaign's fair-start draw has settled: one {@code draw} event,
     * after the events of the claims it made; {@code remaining} is the campaign's units left.
     */
    static WishEvent drawn(String campaignId, long remaining) {
        return new WishEvent(Type.DRAW, null, campaignId, null, (int) Math.min(Integer.MAX_VALUE, remaining));
    }

    /** What happened. */
    public enum Type {
        CLAIMED, RELEASED, SOLD_OUT, FULFILLED, CONFIRMED,
        /** A campaign was created (published). */
        CAMPAIGN,
        /** A campaign's fair-start draw was settled (its winners' claims were announced just before). */
        DRAW;

        private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

        public String wireName() {
            return wireName;
        }
    }
}
