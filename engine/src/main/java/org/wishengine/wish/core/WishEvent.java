package org.wishengine.wish.core;

/**
 * A change of a wish that watchers (the live wall, dashboards) care about, derived from a
 * settled command. {@code remaining} is the wish's units left right after the change.
 */
public record WishEvent(Type type, String wishId, String campaignId, String claimId, int remaining) {

    /** What happened. */
    public enum Type {
        CLAIMED, RELEASED, SOLD_OUT, FULFILLED, CONFIRMED;

        private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

        public String wireName() {
            return wireName;
        }
    }
}
