package org.wishengine.wish.http;

import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.TokenVerifier;
import org.wishengine.wish.ring.CommandGateway;

/**
 * What every connection's handler shares: thread-safe, created once per server.
 *
 * @param readiness completes with true when the store answers (health checks only)
 * @param metrics   renders the Prometheus exposition text
 * @param drain     whether the server is draining its connections for an orderly stop
 */
record ApiContext(CommandGateway gateway, TokenVerifier verifier, AdminTokenCheck admin, Clock clock,
                  Supplier<CompletionStage<Boolean>> readiness, Supplier<String> metrics, HttpMetrics httpMetrics,
                  EventHub events, ClaimThrottle throttle, boolean accessLog,
                  ConnectionDrain drain) {

    static final RequestParser PARSER = new RequestParser();
    static final Router ROUTER = new Router();
}
