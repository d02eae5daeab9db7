package org.wishengine.wish.ring;

import java.util.concurrent.TimeUnit;

/**
 * Whether the single writer is alive: running, stopped after a fault in the book, or stalled
 * (work waits in the ring and its sequence has not moved for {@link #STALL_NANOS}). Readiness and
 * admission read it from any thread; the ring thread stops it, and a ticker samples progress.
 *
 * <p>Progress is sampled rather than stamped by the writer on every batch so that the claim path
 * pays nothing for it: a sample is two volatile reads of the ring's sequences.
 */
public final class WriterHealth {

    /** How long work may wait without the writer moving before it counts as stalled. */
    public static final long STALL_MILLIS = 2_000;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);

    /** What the writer is doing, as readiness reports it. */
    public enum State { RUNNING, STALLED, STOPPED, FENCED }

    private volatile String stoppedReason;
    private volatile boolean fenced;
    private volatile boolean stalled;
    /** Sampler's own state; only the sampling thread touches these. */
    private long lastConsumed = Long.MIN_VALUE;
    private long lastProgressNanos;

    /** Stops the writer for good after a fault (until a restart); the first reason is kept. Ring thread. */
    synchronized void stop(String reason) {
        if (stoppedReason == null) {
            stoppedReason = reason;
        }
    }

    /**
     * Stops the writer for good because it lost its lease to another writer (see
     * {@link Fault#FENCED}); the first reason is kept. Any thread.
     */
    public synchronized void fence(String reason) {
        if (stoppedReason == null) {
            fenced = true;
            stoppedReason = reason;
        }
    }

    /** True once stopped because another writer took over. */
    public boolean isFenced() {
        return fenced;
    }

    /** How commands that reach a stopped writer are answered. */
    Fault stopFault() {
        return fenced ? Fault.FENCED : Fault.STOPPED;
    }

    public boolean isStopped() {
        return stoppedReason != null;
    }

    /** Why the writer stopped, or null while it has not. */
    public String stoppedReason() {
        return stoppedReason;
    }

    public State state() {
        if (stoppedReason != null) {
            return fenced ? State.FENCED : State.STOPPED;
        }
        return stalled ? State.STALLED : State.RUNNING;
    }

    /**
     * Notes the writer's progress; call every few hundred milliseconds from one thread.
     *
     * @param consumed  the last ring sequence the writer finished
     * @param published the last ring sequence handed to it
     */
    public void sample(long consumed, long published, long nowNanos) {
        if (consumed != lastConsumed || published <= consumed) {
            lastConsumed = consumed;
            lastProgressNanos = nowNanos;
            stalled = false;
            return;
        }
        stalled = nowNanos - lastProgressNanos >= STALL_NANOS;
    }

    /** Samples the ring's sequences now. */
    public void sample(ClaimRing ring) {
        sample(ring.consumed(), ring.published(), System.nanoTime());
    }
}
