package org.wishengine.wish.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates request bodies up to a limit and refuses a larger one with the API's 413 JSON error
 * as soon as its size is known (from {@code Content-Length}, before reading the body, or when a
 * chunked body crosses the limit), then closes the connection: the rest of the stream is unread.
 * An {@code Expect} other than {@code 100-continue} is refused with 417 {@code expectation_failed}
 * and the connection closed likewise.
 */
final class BodyLimit extends HttpObjectAggregator {

    private final int limit;

    BodyLimit(int limit) {
        // Close after refusing an expectation: the client may send the body regardless.
        super(limit, true);
        this.limit = limit;
    }

    /**
     * Netty decides (100, 413 or 417, and closes after a refusal); only the refusals' empty bodies
     * are swapped for the API's JSON errors, which every 4xx carries.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (!(answer instanceof HttpResponse response) || response.status().code() < 400) {
            return answer;
        }
        ByteBufAllocator alloc = pipeline.channel().alloc();
        FullHttpResponse refusal = response.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()
                ? tooLarge(alloc) : closing(ApiResponses.error(alloc, HttpResponseStatus.EXPECTATION_FAILED,
                        "expectation_failed", "the only Expect this server supports is 100-continue"));
        ReferenceCountUtil.release(answer);
        return refusal;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(tooLarge(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    private FullHttpResponse tooLarge(ByteBufAllocator alloc) {
        return closing(ApiResponses.error(alloc, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "too_large", "the body is larger than " + limit + " bytes"));
    }

    /** Framed by Content-Length and marked as the connection's last response. */
    private static FullHttpResponse closing(FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, false);
        return response;
    }
}
