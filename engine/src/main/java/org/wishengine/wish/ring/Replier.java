package org.wishengine.wish.ring;

/**
 * The edge that answers requests. Called on the reply thread after the entry's batch is durable.
 */
public interface Replier {

    /** Takes what it needs from the entry; the entry is cleared and reused right after. */
    void reply(RingEntry entry);

    /** The end of a ring batch: a good moment to hand the gathered replies to their I/O threads. */
    void endOfBatch();
}
