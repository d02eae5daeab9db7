package org.wishengine.wish.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.wishengine.wish.http.ServerTransport;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: bare Netty with the engine's pipeline shape (epoll or NIO
 * {@link MultiThreadIoEventLoopGroup}, {@link HttpServerCodec}, keep-alive, aggregator, one
 * flush per read batch) that answers every request with the same {@code 201} and a claim-like JSON body
 * of about 130 bytes. No routing, no token check, no ring, no Redis: the most this box can
 * answer through Netty's HTTP stack, against which the engine's claims per second are compared.
 */
public final class CeilingServer implements AutoCloseable {

    /** The fixed answer's body, shaped like a real 201 claim. */
    static final byte[] BODY = ("{\"id\":\"cl-1234567\",\"wishId\":\"grab-w-42\",\"campaignId\":\"grab\","
            + "\"userId\":\"user-98765\",\"status\":\"claimed\",\"claimedAt\":\"2026-12-01T02:00:00.123Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final AsciiString JSON = AsciiString.cached("application/json; charset=utf-8");
    private static final AsciiString LOCATION = AsciiString.cached("/api/claims/cl-1234567");
    private static final AsciiString LENGTH = AsciiString.cached(Integer.toString(BODY.length));

    private final EventLoopGroup loops;
    private final Class<? extends ServerChannel> channelType;
    private final ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BODY.length).writeBytes(BODY));
    private Channel serverChannel;

    /** @param ioThreads event loops, 0 for one per core (the engine's default) */
    public CeilingServer(int ioThreads) {
        ServerTransport transport = ServerTransport.create(ioThreads, "ceiling-io");
        loops = transport.loops();
        channelType = transport.channelType();
    }

    /** Binds and returns the bound port (useful with port 0). */
    public int start(String host, int port) throws InterruptedException {
        ChannelHandler answer = new Answer();
        serverChannel = new ServerBootstrap()
                .group(loops)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(1 << 20),
                                answer);
                    }
                })
                .bind(host, port).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Whether the event loops use epoll (else NIO). */
    public static String transport() {
        return io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";
    }

    /**
     * Stops accepting and shuts the event loops down. Waits a bounded time only: run from a JVM
     * shutdown hook (SIGTERM), Netty's termination future was seen never to complete, and an
     * unbounded {@code syncUninterruptibly()} there hangs the process.
     */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Writes the constant answer per request and flushes once per read batch, as the engine does. */
    @ChannelHandler.Sharable
    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED,
                    body.duplicate());
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, JSON)
                    .set(HttpHeaderNames.CONTENT_LENGTH, LENGTH)
                    .set(HttpHeaderNames.LOCATION, LOCATION);
            ctx.write(response, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
