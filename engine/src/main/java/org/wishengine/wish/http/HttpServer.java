package org.wishengine.wish.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.TokenVerifier;
import org.wishengine.wish.config.HttpLimits;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.ring.Replier;

/**
 * The Netty HTTP front end: epoll where available, NIO otherwise. Event loops only parse,
 * authenticate, validate and publish; answers from the ring come back through {@link #replier()}.
 */
public final class HttpServer implements AutoCloseable {

    private final ApiContext api;
    private final HttpLimits limits;
    private final ServerTransport transport;
    private final EventLoopGroup loops;
    private final ReplyDispatcher replier = new ReplyDispatcher();
    private final EventHub events = new EventHub(4096);
    private final ConnectionLimit connections;
    private final ConnectionDrain drain = new ConnectionDrain();
    /** Every open connection, for the drain of an orderly stop. */
    private final ChannelGroup open = new DefaultChannelGroup("wish-http", GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public HttpServer(CommandGateway gateway, TokenVerifier verifier, AdminTokenCheck admin, Clock clock,
                      Supplier<CompletionStage<Boolean>> readiness, Supplier<String> metrics,
                      HttpMetrics httpMetrics, ClaimThrottle throttle, HttpLimits limits, int ioThreads,
                      boolean accessLog, OrganiserTokens organiserTokens) {
        java.util.concurrent.atomic.AtomicReference<ClusterRouter> cluster = new java.util.concurrent.atomic.AtomicReference<>();
        this.api = new ApiContext(gateway, new Authenticator(verifier, admin, organiserTokens.revocations()),
                new Endpoints(gateway, readiness, metrics, throttle, httpMetrics, organiserTokens.minter(),
                        organiserTokens.registry(), organiserTokens.audit(), cluster), clock,
                httpMetrics, events, accessLog, drain, cluster);
        this.limits = limits;
        this.connections = new ConnectionLimit(limits.maxConnections());
        this.transport = ServerTransport.create(ioThreads, "wish-io");
        this.loops = transport.loops();
    }

    /**
     * Makes this server a cluster node's edge: from now on each request is settled here, after a
     * takeover, or forwarded to the node that serves its campaign (see {@link ClusterRouter}).
     */
    public void routeThroughCluster(org.wishengine.wish.cluster.NodeRouting node, ClusterRouter.Forwarder forwarder) {
        api.cluster().set(new ClusterRouter(node, forwarder));
    }

    /** Binds and starts accepting; returns the bound port (useful with port 0). */
    public int start(String host, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(transport.channelType())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Past the high mark a connection is unwritable: ApiHandler then stops making answers
                // for it and stops reading it until its client drains below the low mark.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ApiInitializer(api, limits, connections, open));
        serverChannel = bootstrap.bind(host, port).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The event loops and channel types, which the Redis client borrows (see {@code LentEventLoops}). */
    public ServerTransport transport() {
        return transport;
    }

    /** Where the ring's reply stage hands answers back. */
    public Replier replier() {
        return replier;
    }

    /** Where the ring's reply stage sends committed wish events for the SSE stream. */
    public EventHub events() {
        return events;
    }

    /** Open HTTP connections, for the metrics. */
    public int openConnections() {
        return connections.open();
    }

    /** Stops accepting new connections; open ones keep being served until {@link #close()}. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /**
     * Starts draining the open connections for an orderly stop (call after {@link #stopAccepting()}):
     * from now on every answer says {@code Connection: close} and its connection closes once it is
     * written, and a connection with no request in progress closes after a short grace (see
     * {@link ConnectionDrain}).
     */
    public void beginDrain() {
        drain.begin();
        for (Channel channel : open) {
            channel.eventLoop().execute(() -> {
                ApiHandler handler = channel.pipeline().get(ApiHandler.class);
                if (handler != null) {
                    handler.drain();
                }
            });
        }
    }

    /**
     * Returns once every event loop has run a task submitted now (or after {@code millis}; false
     * then). Requests are published to the ring on the event loops, each within one task: a
     * request that found the door open just before it closed has reached the ring by then, so
     * that the ring's drain, which stops once it sees no backlog, cannot miss it and leave it
     * unanswered.
     */
    public boolean awaitEventLoops(long millis) {
        List<Future<?>> passes = new ArrayList<>();
        for (EventExecutor loop : loops) {
            passes.add(loop.submit(() -> { }));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean all = true;
        for (Future<?> pass : passes) {
            all &= pass.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return all;
    }

    /**
     * Ends the event streams, then waits until every connection has closed after its last answer
     * (or closed idle), for the idle grace plus a second at most; {@link #close()} closes whatever
     * is left. Call once the ring has delivered its last answers, which then go out first.
     *
     * @return the connections still open when the wait ended
     */
    public int awaitConnectionsClosed() {
        ChannelGroupFuture closed = open.newCloseFuture();
        for (Channel channel : open) {
            channel.eventLoop().execute(() -> {
                EventStreamHandler stream = channel.pipeline().get(EventStreamHandler.class);
                if (stream != null) {
                    stream.end();
                }
            });
        }
        closed.awaitUninterruptibly(ConnectionDrain.IDLE_GRACE_MILLIS + 1_000);
        return open.size();
    }

    @Override
    public void close() {
        stopAccepting();
        // Bounded: shutdown must finish even if a connection misbehaves.
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
