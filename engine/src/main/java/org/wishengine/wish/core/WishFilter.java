package org.wishengine.wish.core;

/** Which wishes a listing wants; a null field matches everything. */
public record WishFilter(String campaignId, String category, String location, boolean availableOnly) {

    public static final WishFilter ALL = new WishFilter(null, null, null, false);

    boolean matches(WishView wish) {
        return (campaignId == null || campaignId.equals(wish.campaignId()))
                && (category == null || category.equalsIgnoreCase(wish.spec().category()))
                && (location == null || (wish.spec().location() != null
                        && wish.spec().location().toLowerCase(java.util.Locale.ROOT)
                                .contains(location.toLowerCase(java.util.Locale.ROOT))))
                && (!availableOnly || wish.remaining() > 0);
    }
}
