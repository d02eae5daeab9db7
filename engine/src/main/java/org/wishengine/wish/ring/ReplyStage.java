package org.wishengine.wish.ring;

import com.lmax.disruptor.EventHandler;

/**
 * Stage ③: hands each settled, committed entry to every {@link Replier} (the HTTP answers, the
 * live event stream, the lifecycle meters), so that nothing outside the ring ever hears of a
 * change before it is durable; then frees the slot.
 */
public final class ReplyStage implements EventHandler<RingEntry> {

    private final Replier[] repliers;

    public ReplyStage(Replier... repliers) {
        this.repliers = repliers.clone();
    }

    @Override
    public void onEvent(RingEntry entry, long sequence, boolean endOfBatch) {
        for (Replier replier : repliers) {
            replier.reply(entry);
        }
        entry.clear();
        if (endOfBatch) {
            for (Replier replier : repliers) {
                replier.endOfBatch();
            }
        }
    }
}
