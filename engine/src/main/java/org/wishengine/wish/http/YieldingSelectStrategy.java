package org.wishengine.wish.http;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.function.Function;

/**
 * An event loop's way to wait for I/O: before it sleeps in {@code epoll_wait} (or a selector), it
 * polls for ready channels and yields its core, for up to {@code budgetNanos}, and stops at once
 * when a task is queued for it.
 *
 * <p>A sleeping loop is woken by the kernel for a packet and by an {@code eventfd} write for a
 * task (a ring answer, a Redis command); on a VM each wake-up of a sleeping core is an
 * inter-processor interrupt and a trip through the scheduler, and under load a loop would sleep
 * and wake thousands of times a second. Polling while yielding catches most of the next work
 * without either, and leaves the core to any other runnable thread meanwhile. Measured on 2 vCPUs
 * with a 50 µs budget: committed claims ~+15%, refusals ~+12%, the ceiling within its noise; the
 * price is CPU at a moderate rate (at 10,000 claims/s ~35% more CPU per claim, spent polling) and
 * none at rest, since an idle loop sleeps after one budget.
 */
final class YieldingSelectStrategy implements SelectStrategy {

    private final IntSupplier pendingTasks;
    private final long budgetNanos;

    /**
     * @param pendingTasks how many tasks are queued for this loop
     * @param budgetNanos  how long to poll before sleeping
     */
    YieldingSelectStrategy(IntSupplier pendingTasks, long budgetNanos) {
        this.pendingTasks = pendingTasks;
        this.budgetNanos = budgetNanos;
    }

    /**
     * Wraps a transport's handler factory (say {@code EpollIoHandler::newFactory}) so that each
     * event loop waits with its own strategy, which watches that loop's task queue.
     */
    static IoHandlerFactory around(Function<SelectStrategyFactory, IoHandlerFactory> transport, long budgetNanos) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor loop) {
                IntSupplier pending = loop instanceof SingleThreadEventExecutor executor
                        ? executor::pendingTasks : () -> 0;
                return transport.apply(() -> new YieldingSelectStrategy(pending, budgetNanos)).newHandler(loop);
            }
        };
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get(); // Netty's own choice: look, but do not wait
        }
        long deadline = System.nanoTime() + budgetNanos;
        do {
            int ready = selectNow.get();
            if (ready != 0) {
                return ready;
            }
            if (pendingTasks.get() > 0) {
                return 0; // nothing to read: the loop goes on to its tasks
            }
            Thread.yield();
        } while (System.nanoTime() - deadline < 0);
        return SelectStrategy.SELECT;
    }
}
