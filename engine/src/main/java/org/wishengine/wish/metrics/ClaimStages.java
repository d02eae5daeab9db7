package org.wishengine.wish.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where a committed claim's time went, as four timers {@code wish.claim.stage{stage=…}} that add up
 * to {@code wish.claim.latency}: {@code ring}, from the request's arrival until the writer began
 * settling its batch (the edge's parsing and the wait in the ring); {@code batch}, from there
 * until the batch went to the store (settling, and waiting for the commit before it, since one is
 * on the wire at a time); {@code store}, the store's round trip; {@code answer}, from durable until
 * the answer is written (the hand-back to the connection's event loop and rendering). It is the
 * attribution a tail needs: which of these holds the slow one per cent.
 *
 * <p>One claim in eight is recorded, picked by the low bits of its arrival clock (which nothing
 * about the claim's latency depends on): four histogram updates on every claim would cost more
 * than the question is worth, and an eighth of a busy engine's claims is still thousands a second.
 */
final class ClaimStages {

    /** Recorded when the arrival clock's low three bits are zero: one in eight. */
    private static final long SAMPLE_MASK = 7;

    private final Timer ring;
    private final Timer batch;
    private final Timer store;
    private final Timer answer;

    ClaimStages(MeterRegistry registry, Duration min, Duration max) {
        ring = stage(registry, "ring", min, max);
        batch = stage(registry, "batch", min, max);
        store = stage(registry, "store", min, max);
        answer = stage(registry, "answer", min, max);
    }

    private static Timer stage(MeterRegistry registry, String stage, Duration min, Duration max) {
        return Timer.builder("wish.claim.stage")
                .description("Where a committed claim's time went (one claim in eight): ring = arrival until its "
                        + "batch began settling; batch = until sent to the store; store = until durable; answer = "
                        + "until the answer is written")
                .tag("stage", stage)
                .publishPercentileHistogram().minimumExpectedValue(min).maximumExpectedValue(max)
                .register(registry);
    }

    /**
     * Records one claim's stages from its clock readings ({@link System#nanoTime()}): arrival,
     * batch settling, sent, durable, answered. A claim whose batch was not sent (nothing to write)
     * has no store stages and is not recorded.
     */
    void record(long arrived, long settling, long sent, long durable, long answered) {
        if ((arrived & SAMPLE_MASK) != 0 || sent == 0 || durable == 0) {
            return;
        }
        ring.record(Math.max(0, settling - arrived), TimeUnit.NANOSECONDS);
        batch.record(Math.max(0, sent - settling), TimeUnit.NANOSECONDS);
        store.record(Math.max(0, durable - sent), TimeUnit.NANOSECONDS);
        answer.record(Math.max(0, answered - durable), TimeUnit.NANOSECONDS);
    }
}
