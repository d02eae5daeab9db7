package org.wishengine.wish.ring;

/**
 * What became of a whole ring batch once the store answered: one per batch, shared by every
 * {@link PendingReply} settled in it, so that a batch the store refused for good is answered
 * with one fault by setting one field rather than by visiting each request. Written before the
 * batch's answers are handed to the event loops, which orders the write before their reads.
 */
final class BatchVerdict {

    /** Set when the store refused the batch for good; null while it stands. */
    Fault refused;
}
