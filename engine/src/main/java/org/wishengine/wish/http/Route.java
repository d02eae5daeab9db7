package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Every endpoint of the API, with the one method each path template accepts. Some templates
 * have two routes (GET and POST on {@code /api/campaigns}).
 */
public enum Route {
    LIST_CAMPAIGNS(HttpMethod.GET, "/api/campaigns"),
    CREATE_CAMPAIGN(HttpMethod.POST, "/api/campaigns"),
    GET_CAMPAIGN(HttpMethod.GET, "/api/campaigns/{id}"),
    CAMPAIGN_CLAIMS(HttpMethod.GET, "/api/campaigns/{id}/claims"),
    LIST_WISHES(HttpMethod.GET, "/api/wishes"),
    GET_WISH(HttpMethod.GET, "/api/wishes/{id}"),
    CLAIM_WISH(HttpMethod.POST, "/api/wishes/{id}/claims"),
    GET_CLAIM(HttpMethod.GET, "/api/claims/{id}"),
    CANCEL_CLAIM(HttpMethod.POST, "/api/claims/{id}/cancel"),
    FULFIL_CLAIM(HttpMethod.POST, "/api/claims/{id}/fulfil"),
    CONFIRM_CLAIM(HttpMethod.POST, "/api/claims/{id}/confirm"),
    MY_CLAIMS(HttpMethod.GET, "/api/me/claims"),
    STATS(HttpMethod.GET, "/api/stats"),
    EVENTS(HttpMethod.GET, "/api/events"),
    METRICS(HttpMethod.GET, "/metrics"),
    WALL_PAGE(HttpMethod.GET, "/"),
    ADMIN_PAGE(HttpMethod.GET, "/admin"),
    ASSET(HttpMethod.GET, "/assets/{id}"),
    LIVE(HttpMethod.GET, "/health/live"),
    READY(HttpMethod.GET, "/health/ready");

    final HttpMethod method;
    /** The path template, also the low-cardinality label for metrics. */
    final String template;

    Route(HttpMethod method, String template) {
        this.method = method;
        this.template = template;
    }
}
