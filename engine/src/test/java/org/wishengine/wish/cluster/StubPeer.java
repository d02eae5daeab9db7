package org.wishengine.wish.cluster;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.wishengine.wish.http.ServerTransport;

/**
 * A small HTTP/1.1 server standing in for a peer node, on a free port, whose answer depends on
 * the path: {@code /echo} says what it received, {@code /delay} echoes a few milliseconds later,
 * {@code /silent} never answers, {@code /cut} sends half an answer and closes, {@code /drop}
 * closes without answering, {@code /close} answers with {@code Connection: close},
 * {@code /created} answers 201 with the headers a relay must keep. Counts connections and the
 * requests it holds at once.
 */
final class StubPeer implements AutoCloseable {

    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final ServerTransport transport = ServerTransport.create(1, "stub-peer");
    private final Channel server;

    StubPeer() throws InterruptedException {
        server = new ServerBootstrap()
                .group(transport.loops())
                .channel(transport.channelType())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        accepted.incrementAndGet();
                        open.incrementAndGet();
                        channel.closeFuture().addListener(f -> open.decrementAndGet());
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answers());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        transport.loops().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Answers extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            String path = request.uri().replaceFirst("\\?.*", "");
            switch (path) {
                case "/silent" -> { } // holds the request (and the connection) forever
                case "/delay" -> {
                    String echo = echo(request);
                    ctx.executor().schedule(() -> answer(ctx, json(ctx, HttpResponseStatus.OK, echo)), 5, TimeUnit.MILLISECONDS);
                }
                case "/cut" -> {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 100);
                    ctx.write(head);
                    ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), "{\"campaig")).addListener(ChannelFutureListener.CLOSE);
                }
                case "/drop" -> ctx.close();
                case "/close" -> {
                    FullHttpResponse response = json(ctx, HttpResponseStatus.OK, echo(request));
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    inFlight.decrementAndGet();
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                }
                case "/created" -> {
                    FullHttpResponse response = json(ctx, HttpResponseStatus.CREATED, "{\"id\":\"cl-1025\"}");
                    response.headers().set(HttpHeaderNames.LOCATION, "/api/claims/cl-1025");
                    response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                    response.headers().set("Keep-Alive", "timeout=60");
                    response.headers().set("X-Internal", "not for clients");
                    answer(ctx, response);
                }
                default -> answer(ctx, json(ctx, HttpResponseStatus.OK, echo(request)));
            }
        }

        private void answer(ChannelHandlerContext ctx, FullHttpResponse response) {
            inFlight.decrementAndGet();
            ctx.writeAndFlush(response);
        }

        private String echo(FullHttpRequest request) {
            return "{\"method\":\"" + request.method() + "\",\"uri\":\"" + request.uri()
                    + "\",\"forwardedBy\":\"" + request.headers().get(PeerClient.FORWARDED_BY)
                    + "\",\"authorization\":\"" + request.headers().get(HttpHeaderNames.AUTHORIZATION)
                    + "\",\"contentType\":\"" + request.headers().get(HttpHeaderNames.CONTENT_TYPE)
                    + "\",\"accept\":\"" + request.headers().get(HttpHeaderNames.ACCEPT)
                    + "\",\"cookie\":\"" + request.headers().get(HttpHeaderNames.COOKIE)
                    + "\",\"host\":\"" + request.headers().get(HttpHeaderNames.HOST)
                    + "\",\"body\":\"" + request.content().toString(CharsetUtil.UTF_8).replace("\"", "'") + "\"}";
        }

        private FullHttpResponse json(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return response;
        }
    }
}
