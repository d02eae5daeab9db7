package org.wishengine.wish.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request does not arrive in full within a deadline from its first
 * byte. An idle timeout alone does not stop a slow-loris client that sends one byte every few
 * seconds and holds a connection forever; this does.
 *
 * <p>One timer per connection, not one per request: a request only notes when its first byte
 * came, and the timer, when it fires, either closes the connection or sets itself for the
 * earliest moment the current request could overrun (as Netty's {@code IdleStateHandler} does).
 * Scheduling and cancelling a task for every request cost a task object and two priority-queue
 * operations per claim.
 */
final class RequestDeadline extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean inRequest;
    /** When the first byte of the request in progress came; meaningful while {@link #inRequest}. */
    private long startedNanos;
    private boolean disarmed;

    RequestDeadline(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inRequest && !disarmed) {
            inRequest = true;
            startedNanos = System.nanoTime();
            if (timer == null) {
                arm(ctx, timeoutNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (disarmed || !ctx.channel().isActive()) {
            return;
        }
        if (!inRequest) {
            return; // between requests: the next first byte arms the timer again
        }
        long left = startedNanos + timeoutNanos - System.nanoTime();
        if (left <= 0) {
            ctx.close();
        } else {
            arm(ctx, left);
        }
    }

    /** A whole request arrived: the next one gets a fresh deadline when its first byte does. */
    void requestComplete() {
        inRequest = false;
    }

    /** Whether part of a request has arrived and not yet all of it. */
    boolean inRequest() {
        return inRequest;
    }

    /** The connection became an event stream and will send, not receive. */
    void disarm() {
        disarmed = true;
        inRequest = false;
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }
}
