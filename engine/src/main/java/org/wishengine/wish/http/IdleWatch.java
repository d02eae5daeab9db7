package org.wishengine.wish.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Tells the connection's handlers when nothing has been read from it or written to it for a
 * while, with the {@link IdleStateEvent} Netty's {@code IdleStateHandler} fires for "all idle":
 * {@link ApiHandler} then closes a keep-alive connection with no request in progress, and
 * {@link EventStreamHandler} sends a quiet stream a comment line.
 *
 * <p>A write counts when it is handed to the connection, not when the kernel has taken it.
 * {@code IdleStateHandler} waits for each write's completion, which needs a promise with a
 * listener on every answer (and makes the HTTP encoder combine the promises of an answer's head
 * and body): ~220 bytes of garbage per claim, 7% of all the engine allocates for one. A client
 * that stops reading gains nothing from this: its answers are counted once, when handed over,
 * so its connection still goes idle, and no sooner than one that reads.
 *
 * <p>One timer per connection, set for the earliest moment the connection could be idle, as
 * {@code IdleStateHandler} does. Event loop only.
 */
final class IdleWatch extends ChannelDuplexHandler {

    private final long idleNanos;
    private Ticker ticker;
    private ScheduledFuture<?> timer;
    /** The last read or write, by the loop's ticker. */
    private long lastActivity;
    private boolean stopped;

    IdleWatch(long idle, TimeUnit unit) {
        this.idleNanos = Math.max(unit.toNanos(idle), TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = now();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = now();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start(ChannelHandlerContext ctx) {
        if (ticker != null || stopped) {
            return;
        }
        ticker = ctx.executor() instanceof AbstractScheduledEventExecutor loop ? loop.ticker() : Ticker.systemTicker();
        lastActivity = ticker.nanoTime();
        arm(ctx, idleNanos);
    }

    private long now() {
        return ticker == null ? 0 : ticker.nanoTime();
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (stopped || !ctx.channel().isOpen()) {
            return;
        }
        long left = idleNanos - (ticker.nanoTime() - lastActivity);
        if (left > 0) {
            arm(ctx, left);
            return;
        }
        arm(ctx, idleNanos); // idle again one period later if nothing happens meanwhile
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    private void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
