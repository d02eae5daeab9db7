package org.wishengine.wish.core;

import java.util.List;

/**
 * A batch of wishes released together at {@code opensAt} (epoch millis). Immutable, so it is
 * safe to hand from the writer to any thread. {@code id} may be null in a draft.
 * {@code fairStart} is null for a plain first-come campaign; it holds the draw's secret seed, so
 * a campaign is never written out whole to anyone but the store.
 * {@code org} is the id of the organiser-tree node that publishes it ({@link OrgTree}), or null
 * for a campaign of the whole district, which only the district administrator reaches.
 */
public record Campaign(String id, String title, long opensAt, int perUserLimit, int fulfilWithinHours,
                       long createdAt, List<WishSpec> wishes, FairStart fairStart, String org) {

    public Campaign {
        wishes = List.copyOf(wishes);
        if (org != null && !CampaignRules.validId(org)) {
            throw new IllegalArgumentException("not an org id: " + org);
        }
    }

    /** A campaign of the whole district (no org). */
    public Campaign(String id, String title, long opensAt, int perUserLimit, int fulfilWithinHours,
                    long createdAt, List<WishSpec> wishes, FairStart fairStart) {
        this(id, title, opensAt, perUserLimit, fulfilWithinHours, createdAt, wishes, fairStart, null);
    }

    /** A plain first-come campaign of the whole district. */
    public Campaign(String id, String title, long opensAt, int perUserLimit, int fulfilWithinHours,
                    long createdAt, List<WishSpec> wishes) {
        this(id, title, opensAt, perUserLimit, fulfilWithinHours, createdAt, wishes, null, null);
    }

    /** This campaign published by the org {@code newOrg} (null: the whole district). */
    public Campaign withOrg(String newOrg) {
        return new Campaign(id, title, opensAt, perUserLimit, fulfilWithinHours, createdAt, wishes, fairStart, newOrg);
    }

    /** When the fair-start draw is due (epoch millis), or 0 for a plain campaign. */
    public long drawAt() {
        return fairStart == null ? 0 : fairStart.drawAt(opensAt);
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

    /**
     * This draft with the ids a cluster registry reserved for it: {@code wishIds} in the order of
     * {@link #wishes()}, one each. A wish keeps its spec, only its id is set.
     */
    public Campaign withReservedIds(String campaignId, List<String> wishIds) {
        if (wishIds.size() != wishes.size()) {
            throw new IllegalArgumentException(wishIds.size() + " wish ids for " + wishes.size() + " wishes");
        }
        List<WishSpec> specs = new java.util.ArrayList<>(wishes.size());
        for (int i = 0; i < wishes.size(); i++) {
            WishSpec wish = wishes.get(i);
            specs.add(wishIds.get(i).equals(wish.id()) ? wish : wish.withId(wishIds.get(i)));
        }
        return withIds(campaignId, specs, createdAt);
    }

    Campaign withIds(String newId, List<WishSpec> newWishes, long newCreatedAt) {
        return new Campaign(newId, title, opensAt, perUserLimit, fulfilWithinHours, newCreatedAt, newWishes, fairStart, org);
    }
}
