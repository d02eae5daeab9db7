package org.wishengine.wish.core;

/**
 * What an organiser published for one wish. Immutable. {@code id} may be null in a draft; the
 * book assigns one when the campaign is created.
 */
public record WishSpec(String id, String title, int quantity, String category, String location,
                       String beneficiary, String description) {

    WishSpec withId(String newId) {
        return new WishSpec(newId, title, quantity, category, location, beneficiary, description);
    }
}
