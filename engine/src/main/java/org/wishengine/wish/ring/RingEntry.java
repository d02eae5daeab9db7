package org.wishengine.wish.ring;

import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.WishEvent;

/**
 * One pre-allocated, reused slot of the ring. The publisher fills {@link #command} and
 * {@link #origin}; the settle stage fills {@link #outcome}, {@link #view} and {@link #expired}
 * (or {@link #fault} when it could not); the commit stage reads the changes; the reply stage hands
 * the entry to its origin and clears it. Fields are public and plain because every stage runs on the ring's one consumer thread,
 * and the Disruptor's sequence barrier orders the publisher's writes before that thread's reads.
 */
public final class RingEntry {

    /** What to settle. */
    public Command command;
    /** Who waits for the answer (the HTTP edge's request context), or null for internal ticks. */
    public Object origin;
    /** The decision, for commands and claim reads. */
    public Outcome outcome;
    /** The snapshot a read asked for (null when not found). */
    public Object view;
    /** Claims an expiry tick released; reused, cleared with the entry. */
    public final List<Claim> expired = new ArrayList<>();
    /** What watchers should hear about this command once it is committed; reused, cleared with the entry. */
    public final List<WishEvent> events = new ArrayList<>(2);
    /** Set when the command could not be settled or answered normally; null otherwise. */
    public Fault fault;

    /** Drops whatever the settle stage decided, so that none of it is committed or announced. */
    void discardDecision(Fault why) {
        fault = why;
        outcome = null;
        view = null;
        expired.clear();
        events.clear();
    }

    void clear() {
        command = null;
        origin = null;
        outcome = null;
        view = null;
        fault = null;
        if (!expired.isEmpty()) {
            expired.clear();
        }
        if (!events.isEmpty()) {
            events.clear();
        }
    }
}
