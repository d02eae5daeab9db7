package org.wishengine.wish.ring;

import com.lmax.disruptor.EventHandler;

/** Stage ③: hands each settled, committed entry to the {@link Replier} and frees the slot. */
public final class ReplyStage implements EventHandler<RingEntry> {

    private final Replier replier;

    public ReplyStage(Replier replier) {
        this.replier = replier;
    }

    @Override
    public void onEvent(RingEntry entry, long sequence, boolean endOfBatch) {
        replier.reply(entry);
        entry.clear();
        if (endOfBatch) {
            replier.endOfBatch();
        }
    }
}
