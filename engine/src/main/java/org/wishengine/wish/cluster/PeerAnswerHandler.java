package org.wishengine.wish.cluster;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.wishengine.wish.cluster.PeerUnavailable.Reason;

/**
 * The last handler of a connection to a peer: hands each whole answer to the exchange the
 * connection carries, fails that exchange when the connection breaks, and closes the connection
 * when it has been idle for long or the peer sends something nobody asked for.
 */
final class PeerAnswerHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerExchange exchange = ctx.channel().attr(PeerExchange.CURRENT).getAndSet(null);
        if (!(msg instanceof FullHttpResponse response) || exchange == null) {
            ReferenceCountUtil.release(msg);
            if (exchange != null) {
                exchange.fail(Reason.CLOSED, "sent something that is not an HTTP answer", null);
            }
            ctx.close(); // out of step with our requests: nothing more on it can be trusted
            return;
        }
        if (!response.decoderResult().isSuccess()) {
            // The aggregator marks an answer cut short by the connection closing, or malformed.
            Throwable cause = response.decoderResult().cause();
            response.release();
            exchange.fail(Reason.CLOSED, "sent an incomplete or malformed answer (" + cause + ")", cause);
            return;
        }
        exchange.answered(response, HttpUtil.isKeepAlive(response));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        PeerExchange exchange = ctx.channel().attr(PeerExchange.CURRENT).getAndSet(null);
        if (exchange != null) {
            exchange.fail(Reason.CLOSED, "closed the connection before its answer was complete", null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PeerExchange exchange = ctx.channel().attr(PeerExchange.CURRENT).getAndSet(null);
        if (exchange != null) {
            exchange.fail(Reason.CLOSED, "broke the connection (" + cause + ")", cause);
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && ctx.channel().attr(PeerExchange.CURRENT).get() == null) {
            ctx.close(); // before the peer's own idle timeout closes it under a request we write
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
