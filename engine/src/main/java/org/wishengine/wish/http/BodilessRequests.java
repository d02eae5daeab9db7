package org.wishengine.wish.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Makes a request that has no body whole before the aggregator ({@link BodyLimit}) sees it. The
 * decoder hands such a request on as its head and then an empty last part; the aggregator would
 * join them in a composite buffer and add a {@code Content-Length: 0} header, about 250 bytes of
 * garbage for every claim, which carries no body. Here the head and the empty part become one
 * request around the shared empty buffer, which the aggregator passes on as it is.
 *
 * <p>Only a plain case is taken: a head decoded without error, with neither
 * {@code Transfer-Encoding} nor {@code Expect} (the aggregator answers those) and no
 * {@code Content-Length} but 0, followed by a last part with no content, no trailers and no
 * decoding error. Anything else goes on unchanged, in order, to the aggregator.
 */
final class BodilessRequests extends ChannelInboundHandlerAdapter {

    /** The head of a request expected to have no body, until its last part arrives. */
    private HttpRequest held;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpRequest head = held;
        if (head != null) {
            held = null;
            if (msg instanceof LastHttpContent last && isEmpty(last)) {
                last.release();
                ctx.fireChannelRead(whole(head));
            } else {
                ctx.fireChannelRead(head);
                ctx.fireChannelRead(msg);
            }
            return;
        }
        if (msg instanceof HttpRequest request && !(msg instanceof HttpContent) && hasNoBody(request)) {
            held = request;
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean hasNoBody(HttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return false;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.EXPECT)) {
            return false;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return length == null || "0".equals(length);
    }

    private static boolean isEmpty(LastHttpContent last) {
        return last.decoderResult().isSuccess() && !last.content().isReadable() && last.trailingHeaders().isEmpty();
    }

    private static FullHttpRequest whole(HttpRequest head) {
        FullHttpRequest request = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
        request.setDecoderResult(head.decoderResult());
        return request;
    }
}
