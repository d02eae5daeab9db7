package org.wishengine.wish.ring;

import org.wishengine.wish.core.Command;

/**
 * The one door into the ring for the HTTP edge. Refuses at once, without blocking, when the
 * engine is still recovering or stopping, when the writer has stopped after a fault or lost its
 * lease to another engine, when the
 * store is failing (commits are being retried, so nothing
 * new could be acknowledged soon), or when the ring is full.
 */
public final class CommandGateway {

    /** Why a command was or was not let in. */
    public enum Admission { ACCEPTED, NOT_READY, WRITER_STOPPED, FENCED, STORE_DOWN, RING_FULL }

    private final WriterHealth writer = new WriterHealth();
    private volatile ClaimRing ring;
    private volatile boolean storeUp = true;

    /**
     * Lets the command in, or says why not. {@code origin} waits for the answer: the HTTP edge's
     * request, or a {@link CommandFuture} for a command the engine publishes for itself, which
     * completes once the command is settled and its batch is durable.
     */
    public Admission publish(Command command, PendingReply origin) {
        ClaimRing current = ring;
        if (current == null) {
            return Admission.NOT_READY;
        }
        if (writer.isStopped()) {
            return writer.isFenced() ? Admission.FENCED : Admission.WRITER_STOPPED;
        }
        if (!storeUp) {
            return Admission.STORE_DOWN;
        }
        return current.tryPublish(command, origin) ? Admission.ACCEPTED : Admission.RING_FULL;
    }

    /** Opens the door once the book is recovered and the ring runs. */
    public void open(ClaimRing started) {
        this.ring = started;
    }

    /** Closes the door for shutdown; later commands are refused as not ready. */
    public void close() {
        this.ring = null;
    }

    public boolean isOpen() {
        return ring != null;
    }

    public boolean isStoreUp() {
        return storeUp;
    }

    /** Set by the commit stage's observer: false after a failed commit, true after a good one. */
    public void storeUp(boolean up) {
        if (storeUp != up) {
            storeUp = up;
        }
    }

    /** The single writer's liveness, which the ring reports into and readiness reads. */
    public WriterHealth writer() {
        return writer;
    }

    /** The ring while open, else null; for gauges. */
    public ClaimRing ring() {
        return ring;
    }
}
