package org.wishengine.wish.ring;

/**
 * What became of a whole ring batch once the store answered: one per batch, shared by every
 * {@link PendingReply} settled in it, so that a batch the store refused for good is answered
 * with one fault by setting one field rather than by visiting each request. It also carries the
 * batch's clock readings, so that each request can tell where its time went (four readings per
 * batch, none per request). Written before the batch's answers are handed to the event loops,
 * which orders the writes before their reads.
 */
final class BatchVerdict {

    /** Set when the store refused the batch for good; null while it stands. */
    Fault refused;
    /** When the writer began settling the batch ({@link System#nanoTime()}). */
    long settlingNanos;
    /**
     * When the store batch this batch's answers wait for went out (its own changes, joined by
     * those settled with it while the wire was busy); 0 for a batch that waited for none.
     */
    long sentNanos;
    /** When the store said that batch is durable; 0 for a batch that waited for none. */
    long durableNanos;
}
