package org.wishengine.wish.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * A connection that has become a server-sent event stream ({@code GET /api/events}): it takes
 * the request handler's place in the pipeline, sends the stream's head, subscribes to the
 * {@link EventHub}, and from then on only sends. Whatever the client still sends is dropped, and
 * a quiet stream gets a comment line now and then so that proxies keep it open.
 */
final class EventStreamHandler extends ChannelInboundHandlerAdapter {

    private final EventHub events;
    private final long lastEventId;
    private ChannelHandlerContext ctx;

    EventStreamHandler(EventHub events, long lastEventId) {
        this.events = events;
        this.lastEventId = lastEventId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        RequestDeadline deadline = ctx.pipeline().get(RequestDeadline.class);
        if (deadline != null) {
            deadline.disarm(); // the stream sends; it receives no more requests to time
        }
        // A subscriber that cannot keep up is dropped once this much is queued for it; a small
        // socket buffer keeps the kernel from hiding megabytes of backlog from that check.
        ctx.channel().config().setAutoRead(true);
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(64 * 1024, 256 * 1024));
        ctx.channel().config().setOption(ChannelOption.SO_SNDBUF, 64 * 1024);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.write(head);
        ctx.write(text("retry: 2000\n\n"));
        if (!events.subscribe(ctx.channel(), lastEventId, ctx.alloc())) {
            ctx.write(text("event: reset\ndata: {\"reason\":\"events since Last-Event-ID are no longer kept; reload\"}\n\n"));
        }
        ctx.flush();
    }

    /**
     * The last step of an orderly stop, once the ring's last events went out: the stream ends
     * (the browser reconnects, to another engine or to this one restarted). Event loop only.
     */
    void end() {
        ctx.flush();
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.writeAndFlush(text(": keep-alive\n\n"));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static DefaultHttpContent text(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }
}
