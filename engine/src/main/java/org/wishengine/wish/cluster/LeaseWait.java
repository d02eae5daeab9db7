package org.wishengine.wish.cluster;

/**
 * Decides, while a starting writer finds its lease held by another node, whether to wait for the
 * lease to run out or to give up because the holder is alive. Pure: it only looks at the store's
 * answers. A holder that renews (its expiry moves on) or a lease taken by someone else meanwhile
 * (a new epoch) is alive; a lease that simply runs out belonged to a node that died or stalls,
 * and taking it is safe because the new epoch fences that node out.
 */
public final class LeaseWait {

    /** What to do after an answer. */
    public sealed interface Verdict {
        /** The lease is ours, with this epoch. */
        record Acquired(long epoch) implements Verdict {
        }

        /** Ask again after this long: the holder's lease may run out by then. */
        record Wait(long millis) implements Verdict {
        }

        /** The holder renewed while we waited: it is alive, and we must not write. */
        record HolderAlive(LeaseHolder holder) implements Verdict {
        }
    }

    /** Margin over the holder's remaining time, so that the next ask finds it expired. */
    static final long MARGIN_MILLIS = 20;

    private final long leaseMillis;
    private LeaseHolder first;

    /** @param leaseMillis the lease duration; no single wait is longer */
    public LeaseWait(long leaseMillis) {
        this.leaseMillis = leaseMillis;
    }

    public Verdict observe(LeaseAnswer answer) {
        LeaseHolder holder = answer.holder();
        if (answer.granted()) {
            return new Verdict.Acquired(holder.epoch());
        }
        if (first == null) {
            first = holder;
        } else if (holder.epoch() != first.epoch() || holder.expiresAt() > first.expiresAt()) {
            return new Verdict.HolderAlive(holder);
        }
        return new Verdict.Wait(Math.min(leaseMillis, holder.remainingMillis() + MARGIN_MILLIS));
    }

    /** The holder first seen, or null before any refusal. */
    public LeaseHolder firstHolder() {
        return first;
    }
}
