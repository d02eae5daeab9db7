package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class YieldingSelectStrategyTest {

    private static final long LONG_BUDGET = TimeUnit.SECONDS.toNanos(30);

    @Test
    void shouldHandOverReadyChannelsAsSoonAsThePollFindsAny() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        YieldingSelectStrategy strategy = new YieldingSelectStrategy(() -> 0, LONG_BUDGET);

        int ready = strategy.calculateStrategy(() -> polls.incrementAndGet() < 3 ? 0 : 5, false);

        assertEquals(5, ready);
        assertEquals(3, polls.get());
    }

    @Test
    void shouldStopPollingWhenATaskIsQueuedForTheLoop() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        YieldingSelectStrategy strategy = new YieldingSelectStrategy(() -> checks.incrementAndGet() < 4 ? 0 : 1,
                LONG_BUDGET);

        int ready = strategy.calculateStrategy(() -> 0, false);

        assertEquals(0, ready, "no channel is ready, and the loop must not sleep past its task");
        assertEquals(4, checks.get());
    }

    @Test
    void shouldSleepOnceTheBudgetIsSpent() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        YieldingSelectStrategy strategy = new YieldingSelectStrategy(() -> 0, TimeUnit.MILLISECONDS.toNanos(2));

        int ready = strategy.calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, false);

        assertEquals(SelectStrategy.SELECT, ready);
        assertTrue(polls.get() >= 1, "polled " + polls.get() + " times");
    }

    @Test
    void shouldOnlyLookWithoutWaitingWhenTasksAreAlreadyQueued() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        YieldingSelectStrategy strategy = new YieldingSelectStrategy(() -> 1, LONG_BUDGET);

        int ready = strategy.calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, true);

        assertEquals(0, ready);
        assertEquals(1, polls.get());
    }
}
