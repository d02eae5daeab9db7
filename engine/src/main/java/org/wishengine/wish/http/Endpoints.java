package org.wishengine.wish.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.wishengine.wish.ring.CommandGateway;

/** Every route's endpoint, looked up by route; built once per server and shared by its connections. */
final class Endpoints {

    private final Map<Route, Endpoint> byRoute = new EnumMap<>(Route.class);

    /** Endpoints of an edge that issues no organiser token (no registry to record it in). */
    Endpoints(CommandGateway gateway, Supplier<CompletionStage<Boolean>> storeAnswers, Supplier<String> metrics,
              ClaimThrottle throttle, HttpMetrics httpMetrics) {
        this(gateway, storeAnswers, metrics, throttle, httpMetrics,
                new org.wishengine.wish.auth.TokenMinter("no-organiser-tokens-are-issued-here"),
                new java.util.concurrent.atomic.AtomicReference<>(), new java.util.concurrent.atomic.AtomicReference<>(),
                new java.util.concurrent.atomic.AtomicReference<>());
    }

    Endpoints(CommandGateway gateway, Supplier<CompletionStage<Boolean>> storeAnswers, Supplier<String> metrics,
              ClaimThrottle throttle, HttpMetrics httpMetrics, org.wishengine.wish.auth.TokenMinter minter,
              java.util.concurrent.atomic.AtomicReference<org.wishengine.wish.auth.TokenRegistry> tokens,
              java.util.concurrent.atomic.AtomicReference<org.wishengine.wish.store.RedisAuditTrail> audit,
              java.util.concurrent.atomic.AtomicReference<ClusterRouter> cluster) {
        CampaignEndpoints.register(byRoute);
        WishEndpoints.register(byRoute, throttle, httpMetrics);
        ClaimEndpoints.register(byRoute);
        HealthEndpoints.register(byRoute, gateway, storeAnswers, metrics);
        PageEndpoints.register(byRoute);
        AdminEndpoints.register(byRoute);
        TokenEndpoints.register(byRoute, gateway, minter, tokens, audit, cluster);
        AuditEndpoints.register(byRoute, gateway, audit);
        OrgEndpoints.register(byRoute);
        for (Route route : Route.values()) {
            if (!byRoute.containsKey(route)) {
                throw new IllegalStateException("no endpoint for " + route);
            }
        }
    }

    Endpoint of(Route route) {
        return byRoute.get(route);
    }
}
