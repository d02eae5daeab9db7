package org.wishengine.wish.core;

/** A read-only snapshot of one wish, safe to hand to any thread. */
public record WishView(WishSpec spec, String campaignId, int remaining, long opensAt) {

    public String id() {
        return spec.id();
    }
}
