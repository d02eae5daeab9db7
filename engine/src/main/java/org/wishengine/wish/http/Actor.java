package org.wishengine.wish.http;

/**
 * Who a request acts as, once authenticated: a user ({@code userId}), the organiser
 * ({@code userId == null}), or nobody in particular on a public route.
 */
record Actor(String userId, boolean organiser) {

    static final Actor ORGANISER = new Actor(null, true);
    static final Actor PUBLIC = new Actor(null, false);

    static Actor user(String userId) {
        return new Actor(userId, false);
    }
}
