package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Every endpoint of the API, with the one method each path template accepts and who may call it
 * (API.md section 3.3). Some templates have two routes (GET and POST on {@code /api/campaigns}).
 */
public enum Route {
    LIST_CAMPAIGNS(HttpMethod.GET, "/api/campaigns", Audience.PUBLIC),
    CREATE_CAMPAIGN(HttpMethod.POST, "/api/campaigns", Audience.ORGANISER),
    GET_CAMPAIGN(HttpMethod.GET, "/api/campaigns/{id}", Audience.PUBLIC),
    CAMPAIGN_CLAIMS(HttpMethod.GET, "/api/campaigns/{id}/claims", Audience.ORGANISER),
    CAMPAIGN_DRAW(HttpMethod.GET, "/api/campaigns/{id}/draw", Audience.PUBLIC),
    LIST_WISHES(HttpMethod.GET, "/api/wishes", Audience.PUBLIC),
    GET_WISH(HttpMethod.GET, "/api/wishes/{id}", Audience.PUBLIC),
    CLAIM_WISH(HttpMethod.POST, "/api/wishes/{id}/claims", Audience.USER),
    GET_CLAIM(HttpMethod.GET, "/api/claims/{id}", Audience.USER_OR_ORGANISER),
    CANCEL_CLAIM(HttpMethod.POST, "/api/claims/{id}/cancel", Audience.USER_OR_ORGANISER),
    FULFIL_CLAIM(HttpMethod.POST, "/api/claims/{id}/fulfil", Audience.USER_OR_ORGANISER),
    CONFIRM_CLAIM(HttpMethod.POST, "/api/claims/{id}/confirm", Audience.ORGANISER),
    MY_CLAIMS(HttpMethod.GET, "/api/me/claims", Audience.USER),
    MY_ENTRIES(HttpMethod.GET, "/api/me/entries", Audience.USER),
    STATS(HttpMethod.GET, "/api/stats", Audience.PUBLIC),
    LIST_ORGS(HttpMethod.GET, "/api/orgs", Audience.PUBLIC),
    CREATE_ORG(HttpMethod.POST, "/api/orgs", Audience.ORGANISER),
    LOAD_ORGS(HttpMethod.PUT, "/api/orgs", Audience.ORGANISER),
    RENAME_ORG(HttpMethod.PATCH, "/api/orgs/{id}", Audience.ORGANISER),
    RETIRE_ORG(HttpMethod.POST, "/api/orgs/{id}/retire", Audience.ORGANISER),
    AUDIT(HttpMethod.GET, "/api/audit", Audience.ORGANISER),
    WHOAMI(HttpMethod.GET, "/api/admin/whoami", Audience.ORGANISER),
    ORG_TOKENS(HttpMethod.POST, "/api/orgs/{id}/tokens", Audience.ORGANISER),
    REVOKE_TOKEN(HttpMethod.DELETE, "/api/tokens/{id}", Audience.ORGANISER),
    EVENTS(HttpMethod.GET, "/api/events", Audience.PUBLIC),
    METRICS(HttpMethod.GET, "/metrics", Audience.PUBLIC),
    WALL_PAGE(HttpMethod.GET, "/", Audience.PUBLIC),
    ADMIN_PAGE(HttpMethod.GET, "/admin", Audience.PUBLIC),
    ASSET(HttpMethod.GET, "/assets/{id}", Audience.PUBLIC),
    LIVE(HttpMethod.GET, "/health/live", Audience.PUBLIC),
    READY(HttpMethod.GET, "/health/ready", Audience.PUBLIC);

    /** Who may call a route. */
    enum Audience {
        /** Anyone; a credential, if sent, is not even looked at. */
        PUBLIC,
        /** The organiser token only; a valid user token is 403. */
        ORGANISER,
        /** A user token only; the organiser token is 403. */
        USER,
        /** Either; the book decides what a user may touch (their own claims). */
        USER_OR_ORGANISER
    }

    final HttpMethod method;
    /** The path template, also the low-cardinality label for metrics. */
    final String template;
    final Audience audience;

    Route(HttpMethod method, String template, Audience audience) {
        this.method = method;
        this.template = template;
        this.audience = audience;
    }
}
