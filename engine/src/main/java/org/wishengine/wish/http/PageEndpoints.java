package org.wishengine.wish.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** The browser's side: the wish wall, the organiser page, their assets, and the live event stream. */
final class PageEndpoints {

    private static final StaticFiles STATIC = new StaticFiles();

    private PageEndpoints() {
    }

    static void register(Map<Route, Endpoint> endpoints) {
        endpoints.put(Route.WALL_PAGE, r -> page(r, "index.html"));
        endpoints.put(Route.ADMIN_PAGE, r -> page(r, "admin.html"));
        endpoints.put(Route.ASSET, r -> page(r, r.id()));
        endpoints.put(Route.EVENTS, r -> new Action.Stream(lastEventId(r.http().headers().get("Last-Event-ID"))));
    }

    private static Action page(ApiRequest request, String file) {
        FullHttpResponse page = STATIC.serve(file, request.alloc());
        return new Action.Respond(page != null ? page
                : ApiResponses.error(request.alloc(), HttpResponseStatus.NOT_FOUND, "not_found", "no such file: " + file));
    }

    /** The id a reconnecting browser last saw; -1 (from now on) when absent or not a number. */
    private static long lastEventId(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
