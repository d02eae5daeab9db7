package org.wishengine.wish.cluster;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.wishengine.wish.cluster.PeerUnavailable.Reason;

/**
 * One forwarded request from the wait for a connection to the answer: owns the outgoing request
 * until it is written, the connection while it is borrowed, and gives the connection back to its
 * pool exactly once (closed first unless it can carry the next request). The answer, the failure
 * and the timeout race from different threads; whichever finishes the exchange first wins and the
 * others only clean up what they hold.
 */
final class PeerExchange {

    /** The exchange a connection is carrying, if any. */
    static final AttributeKey<PeerExchange> CURRENT = AttributeKey.valueOf(PeerExchange.class, "current");

    private final String peer;
    private final FixedChannelPool pool;
    private final PeerEvents events;
    private final CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
    private final long started = System.nanoTime();

    // Guarded by this.
    private FullHttpRequest unsent;
    private Channel channel;
    private boolean finished;
    private boolean returned;
    private ScheduledFuture<?> timer;

    PeerExchange(String peer, FixedChannelPool pool, FullHttpRequest request, PeerEvents events) {
        this.peer = peer;
        this.pool = pool;
        this.unsent = request;
        this.events = events;
    }

    CompletableFuture<FullHttpResponse> answer() {
        return answer;
    }

    /** Starts the clock and asks the pool for a connection. */
    void start(EventLoop clock, Duration timeout) {
        ScheduledFuture<?> scheduled = clock.schedule(
                () -> fail(Reason.TIMEOUT, "did not answer within " + timeout.toMillis() + " ms", null),
                Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        synchronized (this) {
            timer = scheduled;
        }
        pool.acquire().addListener((Future<Channel> f) -> {
            if (f.isSuccess()) {
                send(f.getNow());
            } else {
                failToConnect(f.cause());
            }
        });
    }

    private void send(Channel connection) {
        FullHttpRequest request;
        synchronized (this) {
            if (finished) {
                // Timed out while waiting: the connection was never used, so it can serve the next one.
                giveBackLocked(connection);
                return;
            }
            channel = connection;
            request = unsent;
            unsent = null;
        }
        connection.attr(CURRENT).set(this);
        // The write releases the request whether or not it succeeds.
        connection.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                fail(Reason.CLOSED, "could not be written to", written.cause());
            }
        });
    }

    private void failToConnect(Throwable cause) {
        if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
            fail(Reason.CONNECT_FAILED, "could not be connected to (" + cause.getMessage() + ")", cause);
        } else if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("outstanding")) {
            // FixedChannelPool's "Too many outstanding acquire operations" (PeerClientTest checks it is still so).
            fail(Reason.BUSY, "has every connection busy and too many requests waiting", cause);
        } else {
            fail(Reason.CONNECT_FAILED, "could not be connected to (" + cause + ")", cause);
        }
    }

    /**
     * The peer's whole answer arrived on the connection (called on its event loop). Gives the
     * connection back before completing, so that a request sent in reaction to this answer finds
     * it in the pool.
     */
    void answered(FullHttpResponse response, boolean keepAlive) {
        Channel connection;
        synchronized (this) {
            if (finished) {
                response.release(); // too late: the timeout already answered and closed the connection
                return;
            }
            finished = true;
            cancelTimerLocked();
            connection = channel;
        }
        connection.attr(CURRENT).compareAndSet(this, null);
        if (keepAlive) {
            giveBack(connection);
        } else {
            connection.close().addListener(closed -> giveBack(connection));
        }
        events.answered(peer, response.status().code(), System.nanoTime() - started);
        if (!answer.complete(response)) {
            response.release(); // the caller gave up (cancelled) meanwhile
        }
    }

    /** Fails the exchange unless it is already over; a connection it holds is closed, never reused. */
    void fail(Reason reason, String what, Throwable cause) {
        FullHttpRequest request;
        Channel connection;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            cancelTimerLocked();
            request = unsent;
            unsent = null;
            connection = channel;
        }
        if (request != null) {
            request.release();
        }
        if (connection != null) {
            connection.attr(CURRENT).compareAndSet(this, null);
            // Whatever the peer still sends on it would be taken for the next request's answer.
            connection.close().addListener(closed -> giveBack(connection));
        }
        events.failed(peer, reason);
        answer.completeExceptionally(new PeerUnavailable(peer, reason, what, cause));
    }

    private void giveBack(Channel connection) {
        synchronized (this) {
            giveBackLocked(connection);
        }
    }

    private void giveBackLocked(Channel connection) {
        if (!returned) {
            returned = true;
            pool.release(connection);
        }
    }

    private void cancelTimerLocked() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
