package org.wishengine.wish.ring;

import java.util.ArrayList;

/**
 * A store batch and the ring batches' deliveries that wait for it: the one on the wire, or the
 * one gathering behind it. Ring batches that change nothing and arrive before any change are
 * {@code unbound}: they need only the batches before this one, and are delivered as soon as
 * those are durable. Every other ring batch is {@code bound} to this batch's durability.
 * {@link CommitStage} guards it with its lock until the group is sent; after that only the
 * thread that learns of its answer reads it.
 */
final class CommitGroup implements Runnable {

    /** The changes; null until a ring batch with changes joins, never empty after. */
    Batch batch;
    /** Null until a ring batch that changes nothing joins ahead of any change (rare). */
    private ArrayList<BatchDelivery> unbound;
    private final ArrayList<BatchDelivery> bound = new ArrayList<>(2);
    long sentNanos;

    /**
     * Takes a ring batch's changes and delivery. Returns true when it kept {@code sealed}
     * itself, false when {@code sealed} was copied (or empty) and may be reused once reset.
     */
    boolean join(Batch sealed, BatchDelivery delivery) {
        if (!hasChanges()) {
            if (sealed.isEmpty()) {
                if (unbound == null) {
                    unbound = new ArrayList<>(2);
                }
                unbound.add(delivery);
                return false;
            }
            batch = sealed;
            bound.add(delivery);
            return true;
        }
        batch.absorb(sealed);
        sealed.reset(0);
        bound.add(delivery);
        return false;
    }

    boolean hasChanges() {
        return batch != null;
    }

    /** True unless joining {@code sealed} would take the batch beyond {@code max} changes. */
    boolean hasRoomFor(Batch sealed, int max) {
        return !hasChanges() || sealed.isEmpty() || batch.size() + sealed.size() <= max;
    }

    boolean answersBeforeItsChanges() {
        return unbound != null;
    }

    void numberAndStamp(long sequence, long nowNanos) {
        batch.assign(sequence);
        sentNanos = nowNanos;
        for (BatchDelivery delivery : bound) {
            delivery.sent(nowNanos);
        }
    }

    void stampDurable(long nowNanos) {
        for (BatchDelivery delivery : bound) {
            delivery.durable(nowNanos);
        }
    }

    /** Delivers the ring batches that waited for nothing of this batch; only if {@link #answersBeforeItsChanges()}. */
    void runUnbound() {
        for (BatchDelivery delivery : unbound) {
            delivery.run();
        }
    }

    /** Delivers the ring batches bound to this batch, now durable. */
    @Override
    public void run() {
        for (BatchDelivery delivery : bound) {
            delivery.run();
        }
    }

    /** Answers every ring batch of a group that was never sent as refused, in order. */
    void refuseAll(Fault why) {
        if (unbound != null) {
            for (BatchDelivery delivery : unbound) {
                delivery.refuse(why);
            }
        }
        refuseBound(why);
    }

    /** Answers the ring batches bound to this batch as refused, in order. */
    void refuseBound(Fault why) {
        for (BatchDelivery delivery : bound) {
            delivery.refuse(why);
        }
    }
}
