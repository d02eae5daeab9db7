package org.wishengine.wish.ring;

/**
 * Stage ③: hands each settled, committed entry to every {@link Replier} (the HTTP answers, the
 * live event stream, the lifecycle meters), so that nothing outside the ring ever hears of a
 * change before it is durable; then frees the slot.
 */
public final class ReplyStage {

    private final Replier[] repliers;

    public ReplyStage(Replier... repliers) {
        this.repliers = repliers.clone();
    }

    void process(RingEntry entry) {
        for (Replier replier : repliers) {
            replier.reply(entry);
        }
        entry.clear();
    }

    void endOfBatch() {
        for (Replier replier : repliers) {
            replier.endOfBatch();
        }
    }
}
