package org.wishengine.wish.core;

import java.util.Locale;

/**
 * Which wishes a listing wants; a null field matches everything. {@code org} keeps the wishes of
 * campaigns of that org of the organiser tree or any org below it (a town and its communities);
 * the book tests it, in O(depth), as it tests the campaign.
 */
public record WishFilter(String campaignId, String category, String location, boolean availableOnly, String org) {

    public static final WishFilter ALL = new WishFilter(null, null, null, false);

    /** A filter without an org. */
    public WishFilter(String campaignId, String category, String location, boolean availableOnly) {
        this(campaignId, category, location, availableOnly, null);
    }

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
