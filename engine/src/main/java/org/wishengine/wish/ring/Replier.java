package org.wishengine.wish.ring;

/**
 * Something that acts on committed entries: answers requests, streams events, counts.
 * {@link #reply} runs on the ring thread and copies what the replier needs out of the entry;
 * {@link #endOfBatch} seals the batch and returns what to do once the batch is durable. Those
 * deliveries run later, on whichever thread learns of the commit, but always one batch after
 * another in ring order. Neither may block.
 */
public interface Replier {

    /** Takes what it needs from the entry; the entry is cleared and reused right after. */
    void reply(RingEntry entry);

    /** Seals what was gathered since the last call; the returned action (or null) runs after the commit. */
    Runnable endOfBatch();
}
