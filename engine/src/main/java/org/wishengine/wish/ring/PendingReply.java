package org.wishengine.wish.ring;

import org.wishengine.wish.core.Reply;

/**
 * Who waits for a command's answer: published with the command, filled in by the reply stage on
 * the writer's thread (the book's {@link Reply}, or the {@link Fault} that kept it from one), and
 * handed back by the edge's replier once the batch is durable. The hand-off to another thread
 * (an event loop's task queue) orders these writes before that thread's reads.
 */
public abstract class PendingReply {

    private Reply reply;
    private Fault fault;
    /** The batch this reply was settled in: the store may still refuse it as a whole. */
    private BatchVerdict batch;

    /** The book's answer; null when {@link #fault()} is set. */
    public final Reply reply() {
        return batch != null && batch.refused != null ? null : reply;
    }

    /** Why there is no normal answer, or null. */
    public final Fault fault() {
        return batch != null && batch.refused != null ? batch.refused : fault;
    }

    /**
     * When the writer began settling this request's batch ({@link System#nanoTime()}), or 0
     * before the request was settled.
     */
    public final long settlingNanos() {
        return batch == null ? 0 : batch.settlingNanos;
    }

    /** When the store batch this request's answer waited for went out, or 0 if it waited for none. */
    public final long sentNanos() {
        return batch == null ? 0 : batch.sentNanos;
    }

    /** When the store said that batch is durable, or 0 if it waited for none. */
    public final long durableNanos() {
        return batch == null ? 0 : batch.durableNanos;
    }

    final void answer(Reply answer, Fault why, BatchVerdict in) {
        this.reply = answer;
        this.fault = why;
        this.batch = in;
    }
}
