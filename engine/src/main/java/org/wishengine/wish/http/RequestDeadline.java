package org.wishengine.wish.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request does not arrive in full within a deadline from its first
 * byte. An idle timeout alone does not stop a slow-loris client that sends one byte every few
 * seconds and holds a connection forever; this does.
 */
final class RequestDeadline extends ChannelDuplexHandler {

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;
    private boolean disarmed;

    RequestDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && !disarmed) {
            timer = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request arrived: the next one gets a fresh deadline when its first byte does. */
    void requestComplete() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The connection became an event stream and will send, not receive. */
    void disarm() {
        requestComplete();
        disarmed = true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requestComplete();
        ctx.fireChannelInactive();
    }
}
