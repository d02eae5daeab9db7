package org.wishengine.wish.http;

import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.auth.AuthResult;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.WishFilter;
import org.wishengine.wish.core.WishPage;
import org.wishengine.wish.ring.CommandGateway.Admission;
import org.wishengine.wish.ring.WriterHealth;

/**
 * One connection's request handling: routes, authenticates and validates each request on the
 * event loop, then either answers it at once (errors, health, metrics) or publishes a command
 * to the ring and answers when the ring's reply stage hands the result back.
 *
 * <p>At most one request per connection is in the ring at a time; pipelined requests wait in a
 * short queue, which keeps responses in request order as HTTP/1.1 requires.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("wish.access");
    /** Pipelined requests a connection may have waiting behind the one being answered. */
    private static final int MAX_QUEUED = 64;
    /** Body bytes those waiting requests may hold in all (bodies are aggregated up to --max-body each). */
    private static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;
    private static final int LINGER_SECONDS = 2;
    private static final StaticFiles STATIC = new StaticFiles();
    /** Routes whose handling has thrown, so that each is logged at WARN once. */
    private static final java.util.Set<Route> FAILED_ROUTES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ApiContext api;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private RequestDeadline deadline;
    private String address;
    private boolean waiting;
    private boolean unflushed;
    /** The request being answered is HTTP/1.0 (closes by default) and asked to keep the connection. */
    private boolean http10KeepAlive;
    /** True once this connection carries an event stream; it takes no further requests. */
    private boolean streaming;
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
     * connection; if none is due, the connection is closed once idle for the grace. An event
     * stream is left for {@link #closeIfStreaming()}, so that the last committed events reach it.
     */
    void drain() {
        if (!streaming) {
            ctx.executor().schedule(this::closeIfIdle, ConnectionDrain.IDLE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes the connection unless a request is in progress, whose answer will close it. */
    private void closeIfIdle() {
        boolean requestInProgress = waiting || !queued.isEmpty() || overflowed || unflushed
                || (deadline != null && deadline.inRequest());
        if (!streaming && !requestInProgress) {
            ctx.close();
        }
    }

    /** The last step of a drain: an event stream ends (its client reconnects to another engine). */
    void closeIfStreaming() {
        if (streaming) {
            flushIfNeeded();
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
        if (streaming) {
            request.release();
            return;
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
        if (!streaming && !overflowed) {
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
        FullHttpRequest request;
        while ((request = queued.poll()) != null) {
            request.release();
        }
        queuedBytes = 0;
        context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent && streaming) {
            // A comment line keeps proxies from timing out a quiet stream.
            context.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(": keep-alive\n\n", StandardCharsets.UTF_8)));
            return;
        }
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

    private void route(Router.Match match, FullHttpRequest request, QueryStringDecoder uri, boolean keepAlive,
                       long started) {
        Route route = match.route();
        String id = match.id();
        long now = api.clock().millis();
        try {
            switch (route) {
                case LIVE -> respond(route, request.method(), started,
                        json(HttpResponseStatus.OK, j -> {
                            j.writeStartObject();
                            j.writeStringField("status", "live");
                            j.writeEndObject();
                        }), keepAlive);
                case READY -> ready(keepAlive, started);
                case METRICS -> respond(route, request.method(), started, metrics(), keepAlive);
                case EVENTS -> stream(request, started);
                case WALL_PAGE, ADMIN_PAGE, ASSET -> {
                    String file = route == Route.WALL_PAGE ? "index.html" : route == Route.ADMIN_PAGE ? "admin.html" : id;
                    FullHttpResponse page = STATIC.serve(file, ctx.alloc());
                    respond(route, request.method(), started, page != null ? page
                            : error(HttpResponseStatus.NOT_FOUND, "not_found", "no such file: " + file), keepAlive);
                }
                case LIST_CAMPAIGNS -> publish(route, null, false, new Command.ListCampaigns(now), started, keepAlive);
                case GET_CAMPAIGN -> publish(route, id, false, new Command.GetCampaign(id, now), started, keepAlive);
                case LIST_WISHES -> publish(route, null, false, listWishes(uri, now), started, keepAlive);
                case GET_WISH -> publish(route, id, false, new Command.GetWish(id, now), started, keepAlive);
                case STATS -> {
                    String campaign = param(uri, "campaign");
                    publish(route, campaign, false, new Command.GetStats(campaign, now), started, keepAlive);
                }
                case CREATE_CAMPAIGN -> {
                    if (admin(request, route, started, keepAlive)) {
                        Campaign draft = ApiContext.PARSER.campaign(body(request), now);
                        publish(route, null, false, new Command.CreateCampaign(draft, now), started, keepAlive);
                    }
                }
                case CAMPAIGN_CLAIMS -> {
                    if (admin(request, route, started, keepAlive)) {
                        boolean csv = "csv".equalsIgnoreCase(param(uri, "format"));
                        publish(route, id, csv, new Command.CampaignClaims(id, now), started, keepAlive);
                    }
                }
                case CONFIRM_CLAIM -> {
                    if (admin(request, route, started, keepAlive)) {
                        RequestParser.Confirmation confirmation = ApiContext.PARSER.confirmation(body(request));
                        publish(route, id, false,
                                new Command.Confirm(id, confirmation.rating(), confirmation.comment(), now),
                                started, keepAlive);
                    }
                }
                case CLAIM_WISH -> {
                    String user = user(request, route, started, keepAlive);
                    if (user != null && throttled(user, started, keepAlive)) {
                        user = null;
                    }
                    if (user != null) {
                        publish(route, id, false, new Command.ClaimWish(id, user, now), started, keepAlive);
                    }
                }
                case MY_CLAIMS -> {
                    String user = user(request, route, started, keepAlive);
                    if (user != null) {
                        publish(route, null, false, new Command.UserClaims(user, now), started, keepAlive);
                    }
                }
                case GET_CLAIM, CANCEL_CLAIM, FULFIL_CLAIM -> {
                    Actor actor = userOrAdmin(request, route, started, keepAlive);
                    if (actor != null) {
                        Command command = switch (route) {
                            case GET_CLAIM -> new Command.GetClaim(id, actor.userId, now);
                            case CANCEL_CLAIM -> new Command.Cancel(id, actor.userId, now);
                            default -> new Command.Fulfil(id, actor.userId, now);
                        };
                        publish(route, id, false, command, started, keepAlive);
                    }
                }
                default -> throw new IllegalStateException("unrouted " + route);
            }
        } catch (BadRequest e) {
            respond(route, request.method(), started, error(HttpResponseStatus.BAD_REQUEST, "invalid_request",
                    e.getMessage(), "field", e.field()), keepAlive);
        }
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
        if (streaming) {
            ctx.close(); // the stream's head is out: a 500 can no longer be told
        } else if (!waiting) {
            respond(route, method, started, error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "the request could not be handled"), false);
        }
    }

    /** Answers 429 and returns true when the user or this connection's address is over its claim rate. */
    private boolean throttled(String user, long started, boolean keepAlive) {
        long wait = api.throttle().admit(user, address(), started);
        if (wait == 0) {
            return false;
        }
        api.httpMetrics().claimDecided("rate_limited", System.nanoTime() - started);
        FullHttpResponse response = error(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
                "too many claims; slow down");
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (wait + 999_999_999) / 1_000_000_000)));
        respond(Route.CLAIM_WISH, HttpMethod.POST, started, response, keepAlive);
        return true;
    }

    private String address() {
        if (address == null) {
            address = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
        }
        return address;
    }

    private void publish(Route route, String id, boolean csv, Command command, long started, boolean keepAlive) {
        PendingRequest pending = new PendingRequest(this, route, id, csv, started);
        Admission admission = api.gateway().publish(command, pending);
        if (admission == Admission.ACCEPTED) {
            waiting = true;
            return;
        }
        String message = switch (admission) {
            case NOT_READY -> "the engine is starting or stopping; try again shortly";
            case WRITER_STOPPED -> "the engine stopped after an internal fault and must be restarted; nothing was changed";
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
        try {
            response = ApiResponses.of(pending, ctx.alloc());
        } catch (RuntimeException e) {
            LOG.error("Cannot render the answer to {}", pending.route, e);
            response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", "the answer could not be rendered");
        }
        long elapsed = System.nanoTime() - pending.startedNanos;
        if (pending.route == Route.CLAIM_WISH && pending.outcome != null && pending.fault == null) {
            api.httpMetrics().claimDecided(HttpMetrics.outcomeName(pending.outcome.result()), elapsed);
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
        HttpUtil.setContentLength(response, response.content().readableBytes());
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
        HttpUtil.setContentLength(response, response.content().readableBytes());
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
            ctx.write(response);
            unflushed = true;
        } else {
            response.release();
        }
    }

    private void ready(boolean keepAlive, long started) {
        if (!api.gateway().isOpen()) {
            respond(Route.READY, HttpMethod.GET, started, readiness(false, "recovering", false), keepAlive);
            return;
        }
        waiting = true;
        api.readiness().get().whenComplete((up, failure) -> ctx.executor().execute(() -> {
            waiting = false;
            boolean storeAnswers = failure == null && Boolean.TRUE.equals(up);
            WriterHealth writer = api.gateway().writer();
            String reason = !api.gateway().isOpen() ? "stopping"
                    : writer.isStopped() ? "writer stopped: " + writer.stoppedReason()
                    : !storeAnswers || !api.gateway().isStoreUp() ? "store unavailable"
                    : writer.state() == WriterHealth.State.STALLED ? "writer stalled: commands wait and none was settled for 2 s"
                    : null;
            boolean ready = reason == null;
            respond(Route.READY, HttpMethod.GET, started,
                    readiness(ready, ready ? "ready" : reason, storeAnswers), keepAlive);
            drainQueued();
            flushIfNeeded();
        }));
    }

    private void stream(FullHttpRequest request, long started) {
        long lastEventId = -1;
        String header = request.headers().get("Last-Event-ID");
        if (header != null) {
            try {
                lastEventId = Long.parseLong(header.trim());
            } catch (NumberFormatException e) {
                lastEventId = -1;
            }
        }
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(response, true);
        api.httpMetrics().responded(Route.EVENTS.template, "GET", 200, System.nanoTime() - started);
        streaming = true;
        if (deadline != null) {
            deadline.disarm();
        }
        // A subscriber that cannot keep up is dropped once this much is queued for it; a small
        // socket buffer keeps the kernel from hiding megabytes of backlog from that check.
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(64 * 1024, 256 * 1024));
        ctx.channel().config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, 64 * 1024);
        ctx.write(response);
        ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("retry: 2000\n\n", StandardCharsets.UTF_8)));
        if (!api.events().subscribe(ctx.channel(), lastEventId, ctx.alloc())) {
            ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(
                    "event: reset\ndata: {\"reason\":\"events since Last-Event-ID are no longer kept; reload\"}\n\n",
                    StandardCharsets.UTF_8)));
        }
        unflushed = true;
    }

    private FullHttpResponse readiness(boolean ready, String reason, boolean storeAnswers) {
        FullHttpResponse response = json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, j -> {
            j.writeStartObject();
            j.writeStringField("status", ready ? "ready" : "not_ready");
            j.writeStringField("reason", reason);
            j.writeBooleanField("recovered", api.gateway().isOpen());
            j.writeBooleanField("storeAnswers", storeAnswers);
            j.writeBooleanField("commitsSucceeding", api.gateway().isStoreUp());
            j.writeStringField("writer", api.gateway().writer().state().name().toLowerCase(java.util.Locale.ROOT));
            j.writeEndObject();
        });
        if (!ready) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return response;
    }

    private FullHttpResponse metrics() {
        byte[] text = api.metrics().get().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                ctx.alloc().buffer(text.length).writeBytes(text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        return response;
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
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, false);
        api.httpMetrics().responded("unmatched", HttpMetrics.methodTag(request.method()), response.status().code(), System.nanoTime() - started);
        unflushed = false;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    // ------------------------------------------------------------------ identity

    /** Who acts: a user, or an organiser ({@code userId == null}). */
    private record Actor(String userId) {
    }

    private static final Actor ORGANISER = new Actor(null);

    private boolean admin(FullHttpRequest request, Route route, long started, boolean keepAlive) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (api.admin().matchesHeader(header)) {
            return true;
        }
        if (api.verifier().verifyHeader(header).isValid()) {
            respond(route, request.method(), started,
                    error(HttpResponseStatus.FORBIDDEN, "forbidden", "this route is for organisers"), keepAlive);
        } else {
            unauthorized(request, route, started, keepAlive, "an organiser token is required");
        }
        return false;
    }

    private String user(FullHttpRequest request, Route route, long started, boolean keepAlive) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        AuthResult result = api.verifier().verifyHeader(header);
        if (result.isValid()) {
            return result.userId();
        }
        if (api.admin().matchesHeader(header)) {
            respond(route, request.method(), started,
                    error(HttpResponseStatus.FORBIDDEN, "forbidden", "this route is for users, not organisers"),
                    keepAlive);
        } else {
            unauthorized(request, route, started, keepAlive, reason(result));
        }
        return null;
    }

    private Actor userOrAdmin(FullHttpRequest request, Route route, long started, boolean keepAlive) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (api.admin().matchesHeader(header)) {
            return ORGANISER;
        }
        AuthResult result = api.verifier().verifyHeader(header);
        if (result.isValid()) {
            return new Actor(result.userId());
        }
        unauthorized(request, route, started, keepAlive, reason(result));
        return null;
    }

    private void unauthorized(FullHttpRequest request, Route route, long started, boolean keepAlive, String message) {
        FullHttpResponse response = error(HttpResponseStatus.UNAUTHORIZED, "unauthorized", message);
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        respond(route, request.method(), started, response, keepAlive);
    }

    private static String reason(AuthResult result) {
        return switch (result.failure()) {
            case MISSING -> "a bearer token is required";
            case EXPIRED -> "the token has expired";
            case NOT_YET_VALID -> "the token is not valid yet";
            case TOO_LARGE -> "the token is too large";
            case UNSUPPORTED_ALGORITHM -> "only HS256 tokens are accepted";
            case BAD_SIGNATURE -> "the token signature is invalid";
            default -> "the token is malformed";
        };
    }

    // ------------------------------------------------------------------ helpers

    private static ByteBufInputStream body(FullHttpRequest request) {
        return new ByteBufInputStream(request.content().retainedDuplicate(), true);
    }

    /** GET /api/wishes: the filters, and the page (limit, cursor) as API.md section 6.5 states them. */
    private static Command.ListWishes listWishes(QueryStringDecoder uri, long now) throws BadRequest {
        String available = param(uri, "available");
        if (available != null && !available.equals("true") && !available.equals("false")) {
            throw new BadRequest("available", "available must be true or false");
        }
        String limitText = param(uri, "limit");
        int limit = limitText == null ? WishPage.DEFAULT_LIMIT : WishPage.decimal(limitText);
        if (limit < 1 || limit > WishPage.MAX_LIMIT) {
            throw new BadRequest("limit", "limit must be an integer from 1 to " + WishPage.MAX_LIMIT);
        }
        String cursorText = param(uri, "cursor");
        int cursor = cursorText == null ? 0 : WishPage.decimal(cursorText);
        if (cursor < 0) {
            throw new BadRequest("cursor", "cursor must be a nextCursor from an earlier page");
        }
        WishFilter filter = new WishFilter(param(uri, "campaign"), param(uri, "category"), param(uri, "location"),
                "true".equals(available));
        return new Command.ListWishes(filter, cursor, limit, now);
    }

    private static String param(QueryStringDecoder uri, String name) {
        Map<String, List<String>> parameters = uri.parameters();
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    private FullHttpResponse json(HttpResponseStatus status, ApiJson.Body body) {
        return ApiResponses.json(ctx.alloc(), status, body);
    }

    private FullHttpResponse error(HttpResponseStatus status, String code, String message, String... extra) {
        return ApiResponses.error(ctx.alloc(), status, code, message, extra);
    }
}
