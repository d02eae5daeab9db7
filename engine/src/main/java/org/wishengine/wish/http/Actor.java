package org.wishengine.wish.http;

/**
 * Who a request acts as, once authenticated: a user ({@code userId}), an organiser
 * ({@code organiser}, {@code userId == null}) whose {@code org} is its scope ({@code null} for the
 * district administrator's admin token, which sees everything), or nobody in particular on a
 * public route.
 */
record Actor(String userId, boolean organiser, String org) {

    /** The district administrator (the admin token): an organiser over the whole district. */
    static final Actor ORGANISER = new Actor(null, true, null);
    static final Actor PUBLIC = new Actor(null, false, null);

    static Actor user(String userId) {
        return new Actor(userId, false, null);
    }

    /** An organiser holding an organiser token scoped to {@code org} (never null). */
    static Actor organiser(String org) {
        return new Actor(null, true, java.util.Objects.requireNonNull(org, "org"));
    }
}
