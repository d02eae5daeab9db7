package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * For the organiser page: {@code GET /api/admin/whoami} tells whether a token is an organiser's:
 * the admin token (org null, the whole district) or an organiser token (its org). The
 * {@link Authenticator} has already answered 401 or 403 for anything else, so the endpoint itself
 * only confirms; it needs neither the book nor the store.
 */
final class AdminEndpoints {

    private AdminEndpoints() {
    }

    static void register(Map<Route, Endpoint> endpoints) {
        endpoints.put(Route.WHOAMI, r -> new Action.Respond(ApiResponses.json(r.alloc(), HttpResponseStatus.OK, j -> {
            j.writeStartObject();
            j.writeStringField("role", "organiser");
            j.writeStringField("org", r.actor().org()); // null: the district administrator
            j.writeEndObject();
        })));
    }
}
