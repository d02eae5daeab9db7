package org.wishengine.wish.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests to peer nodes and hands back their answers: the forwarding half of "any node
 * answers any route". Runs on the server's own event loops; per peer ({@code http://host:port})
 * one bounded pool of keep-alive HTTP/1.1 connections, one request at a time on each, and a
 * bounded queue of requests waiting for a connection. No thread waits for an answer.
 *
 * <p>A forwarded request carries {@value #FORWARDED_BY}: the ids of the nodes it passed,
 * comma-separated. It travels {@value #MAX_HOPS} hops at most: the second only when the node it
 * reached first was handing the campaign over; a request that has made them is refused here.
 */
public final class PeerClient implements AutoCloseable {

    /** The header naming the nodes that forwarded a request. */
    public static final String FORWARDED_BY = "X-Wish-Forwarded-By";
    /** The most hops a request makes between nodes. */
    public static final int MAX_HOPS = 2;

    /** What of the client's request a peer needs to answer it as we would. */
    private static final List<AsciiString> FORWARDED_HEADERS = List.of(
            HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.ACCEPT);

    private final String nodeId;
    private final EventLoopGroup loops;
    private final Class<? extends Channel> channelType;
    private final PeerLimits limits;
    private final PeerEvents events;
    private final ConcurrentHashMap<String, FixedChannelPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param nodeId    this node, as {@value #FORWARDED_BY} names it
     * @param loops       the server's event loops, which the connections share (no threads of their own)
     * @param channelType the client channel type for those loops (epoll or NIO)
     */
    public PeerClient(String nodeId, EventLoopGroup loops, Class<? extends Channel> channelType, PeerLimits limits,
                      PeerEvents events) {
        this.nodeId = nodeId;
        this.loops = loops;
        this.channelType = channelType;
        this.limits = limits;
        this.events = events;
    }

    /**
     * Sends {@code request} to {@code peer} and completes with the peer's whole answer, which the
     * caller then owns and must release (see {@link Relay#toClient}). Copies the method, the path
     * and query, the body and the headers of {@link #FORWARDED_HEADERS}, and adds this node to
     * {@value #FORWARDED_BY}; {@code request} itself
     * stays the caller's (its body is retained for the send, not taken over).
     *
     * <p>Fails with {@link PeerUnavailable} when the peer cannot be connected to, closes the
     * connection before its answer is complete, sends no complete answer within {@code timeout},
     * or has all its connections busy and too many requests waiting. The future completes on an
     * event loop: what depends on it must not block.
     */
    public CompletableFuture<FullHttpResponse> send(URI peer, FullHttpRequest request, Duration timeout) {
        String forwardedBy = request.headers().get(FORWARDED_BY);
        if (hops(forwardedBy) >= MAX_HOPS) {
            return CompletableFuture.failedFuture(new IllegalStateException("request was already forwarded by "
                    + forwardedBy + "; a request travels " + MAX_HOPS + " hops at most"));
        }
        String base;
        try {
            base = baseOf(peer);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the peer client is closed"));
        }
        FixedChannelPool pool = pools.computeIfAbsent(base, key -> newPool(key, peer));
        if (closed && pools.remove(base, pool)) {
            pool.closeAsync(); // made while close() ran: nobody else would close it
        }
        PeerExchange exchange = new PeerExchange(base, pool, outgoing(peer, request), events);
        exchange.start(loops.next(), timeout);
        return exchange.answer();
    }

    /** Closes every pooled connection; requests in flight still finish or time out. */
    @Override
    public void close() {
        closed = true;
        List<Future<Void>> closing = new ArrayList<>();
        for (FixedChannelPool pool : pools.values()) {
            closing.add(pool.closeAsync());
        }
        pools.clear();
        for (Future<Void> future : closing) {
            // Bounded: a stop must not hang on a peer.
            future.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    private FixedChannelPool newPool(String base, URI peer) {
        int port = portOf(peer);
        Bootstrap bootstrap = new Bootstrap()
                .group(loops)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, limits.connectTimeout().toMillis()))
                .remoteAddress(InetSocketAddress.createUnresolved(unbracketed(peer.getHost()), port));
        AbstractChannelPoolHandler handler = new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel channel) {
                channel.pipeline()
                        .addLast(new IdleStateHandler(0, 0, limits.idleClose().toMillis(), TimeUnit.MILLISECONDS))
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(limits.maxAnswerBytes()))
                        .addLast(new PeerAnswerHandler());
                events.connected(base);
            }
        };
        // No acquire timeout of the pool's own: each request's timeout covers its wait for a
        // connection. Health checked on release too, so a closed connection never goes back.
        return new FixedChannelPool(bootstrap, handler, ChannelHealthChecker.ACTIVE, null, -1,
                limits.connectionsPerPeer(), limits.pendingPerPeer(), true, true);
    }

    private FullHttpRequest outgoing(URI peer, FullHttpRequest request) {
        ByteBuf body = request.content().retainedDuplicate();
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(),
                target(peer, request.uri()), body);
        HttpHeaders from = request.headers();
        HttpHeaders to = out.headers();
        for (AsciiString name : FORWARDED_HEADERS) {
            String value = from.get(name);
            if (value != null) {
                to.set(name, value);
            }
        }
        to.set(HttpHeaderNames.HOST, peer.getHost() + ":" + portOf(peer));
        to.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        String before = from.get(FORWARDED_BY);
        to.set(FORWARDED_BY, before == null ? nodeId : before + "," + nodeId);
        return out;
    }

    /** How many hops a request with this {@value #FORWARDED_BY} value has made. */
    public static int hops(String forwardedBy) {
        if (forwardedBy == null || forwardedBy.isEmpty()) {
            return 0;
        }
        int hops = 1;
        for (int i = 0; i < forwardedBy.length(); i++) {
            if (forwardedBy.charAt(i) == ',') {
                hops++;
            }
        }
        return hops;
    }

    /** The peer's base path (if its URL has one) followed by the request's path and query. */
    private static String target(URI peer, String uri) {
        String pathAndQuery = uri;
        if (!uri.startsWith("/")) {
            URI absolute = URI.create(uri);
            pathAndQuery = (absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath())
                    + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
        }
        String prefix = peer.getRawPath();
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) {
            return pathAndQuery;
        }
        return (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix) + pathAndQuery;
    }

    private static String baseOf(URI peer) {
        if (peer.getScheme() == null || !peer.getScheme().toLowerCase(Locale.ROOT).equals("http") || peer.getHost() == null) {
            throw new IllegalArgumentException("a peer is reached by an http://host:port URL, not " + peer);
        }
        return "http://" + peer.getHost() + ":" + portOf(peer);
    }

    /** An IPv6 literal without the brackets a URL puts around it. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int portOf(URI peer) {
        return peer.getPort() == -1 ? 80 : peer.getPort();
    }
}
