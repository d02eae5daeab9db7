package org.wishengine.wish.core;

import java.util.Locale;

/** Which wishes a listing wants; a null field matches everything. */
public record WishFilter(String campaignId, String category, String location, boolean availableOnly) {

    public static final WishFilter ALL = new WishFilter(null, null, null, false);

    boolean matches(WishView wish) {
        return matches(wish.spec(), wish.campaignId(), wish.remaining());
    }

    /** The same test on the parts of a wish, so that a listing builds views only of what it returns. */
    boolean matches(WishSpec spec, String wishCampaignId, int remaining) {
        return (campaignId == null || campaignId.equals(wishCampaignId))
                && (category == null || category.equalsIgnoreCase(spec.category()))
                && (location == null || (spec.location() != null
                        && spec.location().toLowerCase(Locale.ROOT).contains(location.toLowerCase(Locale.ROOT))))
                && (!availableOnly || remaining > 0);
    }
}
