package org.wishengine.wish.http;

import java.time.Clock;
import org.wishengine.wish.ring.CommandGateway;

/**
 * What every connection's handler shares: thread-safe, created once per server.
 *
 * @param gateway   the door into the ring
 * @param auth      who a request acts as
 * @param endpoints what each route does
 * @param events    the live event stream's hub
 * @param drain     whether the server is draining its connections for an orderly stop
 * @param cluster   where a cluster node sends each request; holds null for a lone engine on its own Redis
 */
record ApiContext(CommandGateway gateway, Authenticator auth, Endpoints endpoints, Clock clock,
                  HttpMetrics httpMetrics, EventHub events, boolean accessLog, ConnectionDrain drain,
                  java.util.concurrent.atomic.AtomicReference<ClusterRouter> cluster) {

    static final RequestParser PARSER = new RequestParser();
    static final Router ROUTER = new Router();
}
