package org.wishengine.wish.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates request bodies up to a limit and refuses a larger one with the API's 413 JSON error
 * as soon as its size is known (from {@code Content-Length}, before reading the body, or when a
 * chunked body crosses the limit), then closes the connection: the rest of the stream is unread.
 */
final class BodyLimit extends HttpObjectAggregator {

    private final int limit;

    BodyLimit(int limit) {
        // Close after refusing an "Expect: 100-continue" body: the client may send it regardless.
        super(limit, true);
        this.limit = limit;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.is100ContinueExpected(start) && isContentLengthInvalid(start, maxContentLength)) {
            return tooLarge(pipeline.channel().alloc());
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(tooLarge(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    private FullHttpResponse tooLarge(ByteBufAllocator alloc) {
        FullHttpResponse response = ApiResponses.error(alloc, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "too_large", "the body is larger than " + limit + " bytes");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, false);
        return response;
    }
}
