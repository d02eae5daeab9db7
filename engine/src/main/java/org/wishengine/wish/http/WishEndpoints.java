package org.wishengine.wish.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.ListingKey;
import org.wishengine.wish.core.WishFilter;
import org.wishengine.wish.core.WishPage;

/** Wishes: a page of the listing, one wish, and the grab itself (rate-limited when configured). */
final class WishEndpoints {

    private final ClaimThrottle throttle;
    private final HttpMetrics metrics;

    private WishEndpoints(ClaimThrottle throttle, HttpMetrics metrics) {
        this.throttle = throttle;
        this.metrics = metrics;
    }

    static void register(Map<Route, Endpoint> endpoints, ClaimThrottle throttle, HttpMetrics metrics) {
        WishEndpoints wishes = new WishEndpoints(throttle, metrics);
        endpoints.put(Route.LIST_WISHES, r -> new Action.Publish(listWishes(r)));
        endpoints.put(Route.GET_WISH, r -> new Action.Publish(new Command.GetWish(r.id(), r.now())));
        endpoints.put(Route.CLAIM_WISH, wishes::claim);
    }

    /** 429 when the user or the connection's address is over its claim rate, else the claim. */
    private Action claim(ApiRequest request) {
        String user = request.actor().userId();
        long wait = throttle.admit(user, request.address(), request.startedNanos());
        if (wait == 0) {
            return new Action.Publish(new Command.ClaimWish(request.id(), user, request.now()));
        }
        metrics.claimDecided("rate_limited", System.nanoTime() - request.startedNanos());
        FullHttpResponse response = ApiResponses.error(request.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                "rate_limited", "too many claims; slow down");
        response.headers().set(HttpHeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, (wait + 999_999_999) / 1_000_000_000)));
        return new Action.Respond(response);
    }

    /** GET /api/wishes: the filters, and the page (limit, cursor) as API.md section 6.5 states them. */
    private static Command.ListWishes listWishes(ApiRequest request) throws BadRequest {
        String available = request.param("available");
        if (available != null && !available.equals("true") && !available.equals("false")) {
            throw new BadRequest("available", "available must be true or false");
        }
        String limitText = request.param("limit");
        int limit = limitText == null ? WishPage.DEFAULT_LIMIT : WishPage.decimal(limitText);
        if (limit < 1 || limit > WishPage.MAX_LIMIT) {
            throw new BadRequest("limit", "limit must be an integer from 1 to " + WishPage.MAX_LIMIT);
        }
        String cursorText = request.param("cursor");
        int cursor = cursorText == null ? 0 : WishPage.decimal(cursorText);
        // A cluster hands out keys as cursors (a position means nothing across nodes).
        ListingKey key = cursor < 0 ? ListingKey.parse(cursorText) : null;
        if (cursor < 0 && key == null) {
            throw new BadRequest("cursor", "cursor must be a nextCursor from an earlier page");
        }
        WishFilter filter = new WishFilter(request.param("campaign"), request.param("category"),
                request.param("location"), "true".equals(available), request.param("org"));
        return new Command.ListWishes(filter, Math.max(cursor, 0), key, limit, request.now());
    }
}
