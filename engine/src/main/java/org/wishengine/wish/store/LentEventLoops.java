package org.wishengine.wish.store;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Lends the HTTP server's event loops to Lettuce, so that the Redis connections run on the loops
 * that already serve HTTP instead of on threads of their own. On a small machine that is one busy
 * thread fewer competing for the cores, and a commit's completion, which hands each event loop its
 * share of the replies, usually runs on one of those loops already, so part of the hand-off needs
 * no wake-up at all.
 *
 * <p>The loops stay the HTTP server's: Lettuce's release and shutdown leave them running. Because
 * Redis answers on these loops, nothing that runs on them may wait for Redis: only the
 * asynchronous API is used there.
 */
final class LentEventLoops implements EventLoopGroupProvider {

    private final EventLoopGroup loops;
    private final int size;

    LentEventLoops(EventLoopGroup loops) {
        this.loops = loops;
        int count = 0;
        for (var ignored : loops) {
            count++;
        }
        this.size = count;
    }

    /**
     * Waits until every task queued on the loops so far has run. A closed connection tells
     * Lettuce's event bus that it went inactive in a task queued during the close; the bus must
     * still be running then, so the store waits for those tasks before it shuts Lettuce's
     * resources down. Twice, because the close itself may still be running when the first wait
     * is queued, and queue its report behind it.
     */
    void awaitQueuedTasks() {
        for (int round = 0; round < 2; round++) {
            for (EventExecutor loop : loops) {
                if (!loop.inEventLoop() && !loop.isShuttingDown()) {
                    loop.submit(() -> { }).awaitUninterruptibly(2, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
        if (!type.isInstance(loops)) {
            throw new IllegalStateException("Lettuce asked for " + type.getName() + " but the lent loops are "
                    + loops.getClass().getName());
        }
        return (T) loops;
    }

    @Override
    public int threadPoolSize() {
        return size;
    }

    @Override
    public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(Boolean.TRUE);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(Boolean.TRUE);
    }
}
