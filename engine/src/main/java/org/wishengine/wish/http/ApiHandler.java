package org.wishengine.wish.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.cluster.OwnershipTable.Verdict;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.ring.CommandGateway.Admission;

/**
 * One connection, as a state machine: reads requests, keeps their answers in request order
 * (pipelining), keep-alive, back-pressure, and the hand-off to and from the ring. What each
 * request means is not decided here: the {@link Router} finds its route, the
 * {@link Authenticator} who acts, and the route's {@link Endpoint} what to do, as an
 * {@link Action} this handler carries out.
 *
 * <p>At most one request per connection is in the ring (or awaiting a health check) at a time;
 * pipelined requests wait in a short queue, which keeps responses in request order as HTTP/1.1
 * requires. An event stream replaces this handler with an {@link EventStreamHandler}.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("wish.access");
    /** Pipelined requests a connection may have waiting behind the one being answered. */
    private static final int MAX_QUEUED = 64;
    /** Body bytes those waiting requests may hold in all (bodies are aggregated up to --max-body each). */
    private static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;
    private static final int LINGER_SECONDS = 2;
    /** Routes whose handling has thrown, so that each is logged at WARN once. */
    private static final Set<Route> FAILED_ROUTES = ConcurrentHashMap.newKeySet();

    private final ApiContext api;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestDeadline deadline;
    private String address;
    private boolean waiting;
    private boolean unflushed;
    /** The request being answered is HTTP/1.0 (closes by default) and asked to keep the connection. */
    private boolean http10KeepAlive;
    /** Body bytes held by {@link #queued}. */
    private int queuedBytes;
    /**
     * True once the client pipelined more than the queue holds: what was queued is answered, then
     * one 503 refuses the rest and the connection closes (its later requests were never read).
     */
    private boolean overflowed;

    ApiHandler(ApiContext api) {
        this.api = api;
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.deadline = context.pipeline().get(RequestDeadline.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        if (api.drain().begun()) {
            drain(); // accepted just before the listener closed, registered after the drain began
        }
        context.fireChannelActive();
    }

    /**
     * The engine is stopping (see {@link ConnectionDrain}): answers from now on close the
     * connection; if none is due, the connection is closed once idle for the grace. A connection
     * that has become an event stream meanwhile is left to {@link EventStreamHandler#end()}, so
     * that the last committed events reach it.
     */
    void drain() {
        ctx.executor().schedule(this::closeIfIdle, ConnectionDrain.IDLE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection unless a request is in progress, whose answer will close it. */
    private void closeIfIdle() {
        boolean requestInProgress = waiting || !queued.isEmpty() || overflowed || unflushed
                || (deadline != null && deadline.inRequest());
        if (!ctx.isRemoved() && !requestInProgress) {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (deadline != null) {
            deadline.requestComplete();
        }
        if (overflowed) {
            request.release();
            return;
        }
        // While the client does not read what it was sent, its next request waits: an answer is
        // only made once the last ones have drained below the write buffer's high-water mark.
        if (waiting || !queued.isEmpty() || !context.channel().isWritable()) {
            int bytes = request.content().readableBytes();
            if (queued.size() >= MAX_QUEUED || queuedBytes + bytes > MAX_QUEUED_BYTES) {
                request.release();
                overflowed = true;
                context.channel().config().setAutoRead(false);
                // Nothing more is decoded: the rest of the stream reaches this handler as raw bytes
                // and is dropped (the codec's own pipelining cap would otherwise close with a reset).
                HttpServerCodec codec = context.pipeline().get(HttpServerCodec.class);
                if (codec != null) {
                    codec.removeInboundHandler();
                }
                // Counted now, when the excess is seen; the one 503 goes out once the queue is answered.
                api.httpMetrics().responded("unmatched", "other", 503, 0);
                drainQueued(); // refuses at once when nothing is waiting to be answered
                return;
            }
            queued.add(request);
            queuedBytes += bytes;
            return;
        }
        handle(request);
    }

    /**
     * Stops reading a connection whose client does not drain its answers, and resumes once it
     * has: what one connection may hold is bounded by the write buffer's high-water mark plus one
     * answer, and the pipelined requests queued behind it.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        boolean writable = context.channel().isWritable();
        if (!overflowed) {
            context.channel().config().setAutoRead(writable);
        }
        if (writable) {
            drainQueued();
            flushIfNeeded();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flushIfNeeded();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        releaseQueued();
        context.fireChannelInactive();
    }

    /** Replaced by an event stream: requests pipelined behind its request are dropped. */
    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        releaseQueued();
    }

    private void releaseQueued() {
        FullHttpRequest request;
        while ((request = queued.poll()) != null) {
            request.release();
        }
        queuedBytes = 0;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent && !waiting) {
            // An idle keep-alive connection costs a socket and a slot under the connection cap.
            context.close();
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("Closing connection after error", cause);
        context.close();
    }

    /** Runs on the event loop: answers a batch of ring replies, then flushes each connection once. */
    static void deliver(List<PendingRequest> batch) {
        for (PendingRequest pending : batch) {
            try {
                pending.handler.complete(pending);
            } catch (RuntimeException e) {
                // One connection's failure (say, in a request queued behind this answer) must not
                // hold back the other answers of the batch: that connection alone is closed.
                LOG.warn("Closing a connection whose answer or next request failed", e);
                pending.handler.ctx.close();
            }
        }
        for (PendingRequest pending : batch) {
            pending.handler.flushIfNeeded();
        }
    }

    // ------------------------------------------------------------------ request side

    private void handle(FullHttpRequest request) {
        long started = System.nanoTime();
        try {
            if (!request.decoderResult().isSuccess()) {
                rejectUndecodable(request, started);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            http10KeepAlive = keepAlive && !request.protocolVersion().isKeepAliveDefault();
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path;
            try {
                // Matched as written: decoding first would let "%2F" forge a segment boundary.
                path = uri.rawPath();
                uri.parameters(); // decoded now, so that a bad escape is refused here and not mid-route
            } catch (IllegalArgumentException e) {
                respond(null, request.method(), started, error(HttpResponseStatus.BAD_REQUEST, "invalid_request",
                        "malformed percent-encoding in the request target"), keepAlive);
                return;
            }
            Router.Match match = ApiContext.ROUTER.match(request.method(), path);
            if (!match.found()) {
                if (match.wrongMethod()) {
                    FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                            request.method() + " is not allowed here; use " + match.allow());
                    response.headers().set(HttpHeaderNames.ALLOW, match.allow());
                    respond(null, request.method(), started, response, keepAlive);
                } else {
                    respond(null, request.method(), started,
                            error(HttpResponseStatus.NOT_FOUND, "not_found", "no such route: " + path), keepAlive);
                }
                return;
            }
            try {
                route(match, request, uri, keepAlive, started);
            } catch (RuntimeException e) {
                failed(match.route(), request.method(), started, e);
            }
        } finally {
            request.release();
        }
    }

    /** Authenticates for the route, asks its endpoint what to do, and does it. */
    private void route(Router.Match match, FullHttpRequest request, QueryStringDecoder uri, boolean keepAlive,
                       long started) {
        Route route = match.route();
        Authenticator.Access access = api.auth().check(route, request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (access instanceof Authenticator.Denied denied) {
            FullHttpResponse response = error(denied.status(), denied.code(), denied.message());
            if (denied.challenge()) {
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            respond(route, request.method(), started, response, keepAlive);
            return;
        }
        Actor actor = ((Authenticator.Granted) access).actor();
        Action action;
        ApiRequest apiRequest = new ApiRequest(request, route, match.id(), uri, actor, api.clock().millis(), started,
                address(), ctx.alloc());
        try {
            action = api.endpoints().of(route).handle(apiRequest);
        } catch (BadRequest e) {
            respond(route, request.method(), started, error(HttpResponseStatus.BAD_REQUEST, "invalid_request",
                    e.getMessage(), "field", e.field()), keepAlive);
            return;
        }
        ClusterRouter cluster = api.cluster().get();
        if (cluster != null && action instanceof Action.Publish publish) {
            action = cluster.place(publish, apiRequest);
        }
        act(route, request.method(), action, started, keepAlive);
    }

    /** Does what the endpoint (or the cluster router, later) asked. */
    private void act(Route route, HttpMethod method, Action action, long started, boolean keepAlive) {
        if (action instanceof Action.Publish publish) {
            publish(route, publish.csv(), publish.command(), publish.campaign(), started, keepAlive);
        } else if (action instanceof Action.Defer later) {
            defer(route, method, later, started, keepAlive);
        } else if (action instanceof Action.Respond answer) {
            respond(route, method, started, answer.response(), keepAlive);
        } else if (action instanceof Action.Await later) {
            await(route, later, started, keepAlive);
        } else if (action instanceof Action.Stream stream) {
            api.httpMetrics().responded(Route.EVENTS.template, "GET", 200, System.nanoTime() - started);
            unflushed = false;
            ctx.pipeline().replace(this, "events", new EventStreamHandler(api.events(), stream.lastEventId()));
        }
    }

    /**
     * Holds the connection's next requests until the cluster has decided where the request goes
     * (a lookup, a takeover), then does that in its turn.
     */
    private void defer(Route route, HttpMethod method, Action.Defer later, long started, boolean keepAlive) {
        waiting = true;
        later.next().whenComplete((next, failure) -> ctx.executor().execute(() -> {
            waiting = false;
            try {
                if (failure != null) {
                    throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
                }
                act(route, method, next, started, keepAlive);
            } catch (RuntimeException e) {
                failed(route, method, started, e);
            }
            if (!waiting) {
                drainQueued();
                flushIfNeeded();
            }
        }));
    }

    /** Holds the connection's next requests until the answer is ready, then sends it in its turn. */
    private void await(Route route, Action.Await later, long started, boolean keepAlive) {
        waiting = true;
        later.response().whenComplete((response, failure) -> ctx.executor().execute(() -> {
            waiting = false;
            FullHttpResponse answer = failure == null ? response
                    : error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "the check could not be made");
            respond(route, route.method, started, answer, keepAlive);
            drainQueued();
            flushIfNeeded();
        }));
    }

    /**
     * A bug escaped a route: answers 500 {@code internal} and closes the connection, whose state
     * is now unknown, instead of letting the exception drop it without a word (a request the ring
     * already holds is answered by the ring; an event stream is just closed). Logs the first
     * failure of each route at WARN; the 500s are counted in the metrics, so that a client
     * repeating the request cannot flood the log.
     */
    private void failed(Route route, HttpMethod method, long started, RuntimeException e) {
        if (FAILED_ROUTES.add(route)) {
            LOG.warn("{} {} failed; answering 500 (further failures of this route are logged at DEBUG)", method,
                    route.template, e);
        } else {
            LOG.debug("{} {} failed; answering 500", method, route.template, e);
        }
        if (!ctx.channel().isActive() || ctx.pipeline().get(EventStreamHandler.class) != null) {
            ctx.close(); // the stream's head is out: a 500 can no longer be told
        } else if (!waiting) {
            respond(route, method, started, error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "the request could not be handled"), false);
        }
    }

    private String address() {
        if (address == null) {
            address = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
        }
        return address;
    }

    private void publish(Route route, boolean csv, Command command, String campaign, long started,
                         boolean keepAlive) {
        PendingRequest pending = new PendingRequest(this, route, csv, started, campaign);
        Admission admission = api.gateway().publish(command, pending);
        if (admission == Admission.ACCEPTED) {
            waiting = true;
            return;
        }
        String message = switch (admission) {
            case NOT_READY -> "the engine is starting or stopping; try again shortly";
            case WRITER_STOPPED -> "the engine stopped after an internal fault and must be restarted; nothing was changed";
            case FENCED -> ApiResponses.FENCED_MESSAGE;
            case STORE_DOWN -> "the store is unavailable; nothing was changed; try again shortly";
            default -> "the engine is at capacity; nothing was changed; try again shortly";
        };
        if (route == Route.CLAIM_WISH) {
            api.httpMetrics().claimDecided("overloaded", System.nanoTime() - started);
        }
        respond(route, route.method, started, ApiResponses.unavailable(ctx.alloc(), message), keepAlive);
    }

    // ------------------------------------------------------------------ reply side

    private void complete(PendingRequest pending) {
        waiting = false;
        FullHttpResponse response;
        ClusterRouter cluster = pending.campaign == null ? null : api.cluster().get();
        try {
            // A read or a refusal comes from this node's book, which is the campaign's only while
            // its lease surely holds; a change was checked against the lease by Redis itself.
            Verdict verdict = cluster == null || pending.fault() != null
                    || pending.reply().changedState() ? null
                    : cluster.verdict(pending.campaign, pending.reply().notFound());
            if (verdict == Verdict.UNSURE) {
                response = ApiResponses.unavailable(ctx.alloc(), "this node can no longer be sure it serves campaign "
                        + pending.campaign + " (it was paused or cut off); nothing was changed; try again");
            } else if (verdict == Verdict.MOVED) {
                response = ApiResponses.unavailable(ctx.alloc(), "campaign " + pending.campaign
                        + " has just moved to another node; nothing was changed; try again");
            } else {
                response = ApiResponses.of(pending, ctx.alloc());
            }
        } catch (RuntimeException e) {
            LOG.error("Cannot render the answer to {}", pending.route, e);
            response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "the answer could not be rendered");
        }
        long answered = System.nanoTime();
        long elapsed = answered - pending.startedNanos;
        if (pending.reply() instanceof Reply.ClaimDecision decision) {
            api.httpMetrics().claimDecided(HttpMetrics.outcomeName(decision.outcome().result()), elapsed);
            api.httpMetrics().claimStages(pending.startedNanos, pending.settlingNanos(), pending.sentNanos(),
                    pending.durableNanos(), answered);
        }
        respondAfter(pending.route, pending.route.method, elapsed, response, true);
        drainQueued();
    }

    private void drainQueued() {
        FullHttpRequest next;
        while (!waiting && ctx.channel().isActive() && ctx.channel().isWritable() && (next = queued.poll()) != null) {
            queuedBytes -= next.content().readableBytes();
            handle(next);
        }
        if (overflowed && !waiting && queued.isEmpty() && ctx.channel().isActive()) {
            refuseExcess();
        }
    }

    /** Everything accepted was answered; one 503 stands for the requests past the queue, then close. */
    private void refuseExcess() {
        FullHttpResponse response = ApiResponses.unavailable(ctx.alloc(), "more than " + MAX_QUEUED
                + " pipelined requests (or " + MAX_QUEUED_BYTES + " bytes of them) were waiting; the earlier ones were "
                + "answered, the rest were not read and nothing of them was changed");
        ApiResponses.contentLength(response);
        HttpUtil.setKeepAlive(response, false);
        unflushed = false;
        ctx.writeAndFlush(response).addListener(written -> lingeringClose());
    }

    /**
     * Closes a connection whose client still has unread requests on the wire. A plain close with
     * unread input sends a reset, and a reset makes the client's kernel drop the answers it has
     * received but not yet read; so the engine half-closes, reads and discards what still comes
     * until the client closes its side, and closes for good after {@value #LINGER_SECONDS} s at most.
     */
    private void lingeringClose() {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput().addListener(shut -> {
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        });
    }

    private void flushIfNeeded() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void respond(Route route, HttpMethod method, long started, FullHttpResponse response,
                         boolean keepAlive) {
        respondAfter(route, method, System.nanoTime() - started, response, keepAlive);
    }

    private void respondAfter(Route route, HttpMethod method, long nanos, FullHttpResponse response,
                              boolean keepAlive) {
        ApiResponses.contentLength(response);
        // While the engine stops, the answer tells the client that this connection is done (the
        // keep-alive handler closes it once written): it will not write another request into a
        // close. A request queued behind this one gets that last answer instead.
        if (!keepAlive || (api.drain().begun() && queued.isEmpty())) {
            HttpUtil.setKeepAlive(response, false);
        } else if (http10KeepAlive) {
            // HTTP/1.1 persists by default, HTTP/1.0 only when told so (ApacheBench -k waits for it)
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        String template = route == null ? "unmatched" : route.template;
        api.httpMetrics().responded(template, HttpMetrics.methodTag(method), response.status().code(), nanos);
        if (api.accessLog()) {
            ACCESS.info("{} {} {} {} {}us", address(), method, template, response.status().code(), nanos / 1000);
        }
        if (ctx.channel().isActive()) {
            // Nobody waits for this write, so it takes no promise of its own: with one, Netty's
            // encoder also combines the promises of the head's and the body's writes, ~190 bytes
            // per answer. A failed write reaches exceptionCaught, which closes the connection.
            ctx.write(response, ctx.voidPromise());
            unflushed = true;
        } else {
            response.release();
        }
    }

    private void rejectUndecodable(FullHttpRequest request, long started) {
        Throwable cause = request.decoderResult().cause();
        FullHttpResponse response;
        if (cause instanceof TooLongHttpLineException) {
            response = error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "too_large", "the request line is too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            response = error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too_large", "the headers are too large");
        } else if (cause instanceof TooLongFrameException) {
            response = error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "the request is too large");
        } else {
            response = error(HttpResponseStatus.BAD_REQUEST, "invalid_request", "malformed HTTP request");
        }
        // The rest of the stream cannot be trusted to frame requests: answer, then close.
        ApiResponses.contentLength(response);
        HttpUtil.setKeepAlive(response, false);
        api.httpMetrics().responded("unmatched", HttpMetrics.methodTag(request.method()), response.status().code(), System.nanoTime() - started);
        unflushed = false;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    // ------------------------------------------------------------------ helpers

    private FullHttpResponse json(HttpResponseStatus status, ApiJson.Body body) {
        return ApiResponses.json(ctx.alloc(), status, body);
    }

    private FullHttpResponse error(HttpResponseStatus status, String code, String message, String... extra) {
        return ApiResponses.error(ctx.alloc(), status, code, message, extra);
    }
}
