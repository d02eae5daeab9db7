package org.wishengine.wish.ring;

/**
 * Stage ③: lets every {@link Replier} (the HTTP answers, the live event stream, the lifecycle
 * meters) copy what it needs from each settled entry, then frees the entry; at the end of a batch
 * it seals their deliveries into one action that the commit stage runs once the batch is durable,
 * so nothing outside the ring ever hears of a change before it is in the store.
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

    /** The deliveries of the batch, to run after its commit. */
    Runnable seal() {
        Runnable[] deliveries = new Runnable[repliers.length];
        for (int i = 0; i < repliers.length; i++) {
            deliveries[i] = repliers[i].endOfBatch();
        }
        return () -> {
            for (Runnable delivery : deliveries) {
                if (delivery != null) {
                    delivery.run();
                }
            }
        };
    }
}
