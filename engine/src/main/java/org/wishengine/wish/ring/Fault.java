package org.wishengine.wish.ring;

/**
 * Why the single writer could not answer one command normally. Every kind is answered (the HTTP
 * edge maps them to 500 or 503), counted and logged; what differs is what happens to the writer.
 */
public enum Fault {
    /**
     * The book threw while deciding the command, so its state may be half-changed. The command's
     * changes are not committed, it is answered 500, and the writer stops: it settles nothing more
     * and the engine turns not ready until it is restarted (the book is then rebuilt from Redis,
     * which holds only what was committed).
     */
    SETTLE,
    /**
     * Answering or metering the command threw after the book decided it. The decision stands (it
     * is committed like any other, since the book is consistent), the command is answered 500 and
     * the writer goes on.
     */
    REPLY,
    /** The writer had stopped before this command reached it; nothing was changed (503). */
    STOPPED,
    /**
     * This writer lost its lease: another engine writes to the store now. Commands that reach it
     * are not settled, and a batch the store refused was not written (503). The writer stops for
     * good; the other engine serves (a client retries there, and a repeated claim is never
     * counted twice).
     */
    FENCED,
    /**
     * The engine shut down before the store confirmed this command: the store stayed unreachable
     * through the whole drain. Nothing of it is acknowledged (503). A command still waiting to be
     * sent was not written; one on the wire when the engine gave up may have been, so a client
     * looks it up or retries (a repeated claim gets the claim already held, never a second unit).
     */
    SHUT_DOWN
}
