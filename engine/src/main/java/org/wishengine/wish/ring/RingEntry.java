package org.wishengine.wish.ring;

import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Reply;

/**
 * One pre-allocated, reused slot of the ring. The publisher fills {@link #command} and
 * {@link #origin}; the settle stage fills {@link #reply} (or {@link #fault} when it could not);
 * the commit stage reads the changes the reply carries; the reply stage hands the reply to its
 * origin and clears the entry. Fields are public and plain because every stage runs on the ring's
 * one consumer thread, and the Disruptor's sequence barrier orders the publisher's writes before
 * that thread's reads.
 */
public final class RingEntry {

    /** What to settle. */
    public Command command;
    /** Who waits for the answer (the HTTP edge's request), or null for internal ticks. */
    public PendingReply origin;
    /** The book's answer to the command, with what it changed and what watchers should hear. */
    public Reply reply;
    /** Set when the command could not be settled or answered normally; null otherwise. */
    public Fault fault;

    /** Drops whatever the settle stage decided, so that none of it is committed or announced. */
    void discardDecision(Fault why) {
        fault = why;
        reply = null;
    }

    void clear() {
        command = null;
        origin = null;
        reply = null;
        fault = null;
    }
}
