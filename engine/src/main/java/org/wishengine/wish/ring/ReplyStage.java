package org.wishengine.wish.ring;

import com.lmax.disruptor.EventHandler;

/**
 * Stage ③: hands each settled, committed entry to the {@link Replier}, passes its wish events to
 * the {@link EventSink} (so watchers only ever hear of durable changes), and frees the slot.
 */
public final class ReplyStage implements EventHandler<RingEntry> {

    private final Replier replier;
    private final EventSink events;

    public ReplyStage(Replier replier, EventSink events) {
        this.replier = replier;
        this.events = events;
    }

    @Override
    public void onEvent(RingEntry entry, long sequence, boolean endOfBatch) {
        replier.reply(entry);
        if (!entry.events.isEmpty()) {
            events.add(entry.events);
        }
        entry.clear();
        if (endOfBatch) {
            replier.endOfBatch();
            events.flush();
        }
    }
}
