package org.wishengine.wish.ring;

/**
 * Something that acts on committed entries: answers requests, streams events, counts. Called on
 * the reply thread after the entry's batch is durable; must not block.
 */
public interface Replier {

    /** Takes what it needs from the entry; the entry is cleared and reused right after. */
    void reply(RingEntry entry);

    /** The end of a ring batch: a good moment to hand gathered work to other threads. */
    void endOfBatch();
}
