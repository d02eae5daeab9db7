package org.wishengine.wish.cluster;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease this node holds on a store key, kept alive by {@link #tick()} and given back by
 * {@link #release}. The lease's epoch is what commits carry: the store refuses any commit whose
 * epoch is not the lease's current one, so a node that lost its lease (paused, cut off) can never
 * write again, whatever it believes.
 *
 * <p>Taking it ({@link #acquire}) waits for a lease held by another node to run out, and gives up
 * when that node proves alive by renewing it: two live writers on one store is an operator's
 * mistake to be told, not a race to be won.
 */
public final class WriterLease {

    private static final Logger LOG = LoggerFactory.getLogger(WriterLease.class);

    /** Hears what becomes of the lease; called on the store client's threads, must not block. */
    public interface Listener {
        /** A renewal was confirmed. */
        default void renewed() {
        }

        /** A renewal got no answer; the lease may still be held. */
        default void renewalFailed(Throwable cause) {
        }

        /** Another node took the lease: this node must not write any more. Called once. */
        void lost(LeaseHolder holder);
    }

    /** The lease is held by a node that is alive: this one must not start writing. */
    public static final class HeldElsewhere extends Exception {
        private final transient LeaseHolder holder;

        HeldElsewhere(LeaseHolder holder) {
            super("held by " + holder.describe(), null, false, false);
            this.holder = holder;
        }

        public LeaseHolder holder() {
            return holder;
        }
    }

    private final LeaseStore store;
    private final String key;
    private final NodeIdentity me;
    private final Duration lease;
    private final LeaseRenewal renewal;
    private final Listener listener;

    private WriterLease(LeaseStore store, String key, NodeIdentity me, Duration lease, LeaseRenewal renewal,
                        Listener listener) {
        this.store = store;
        this.key = key;
        this.me = me;
        this.lease = lease;
        this.renewal = renewal;
        this.listener = listener;
    }

    /**
     * Takes the lease at {@code key}, waiting for another node's lease to run out if need be.
     *
     * @throws HeldElsewhere when the holder renews it meanwhile
     * @throws TimeoutException when the store does not answer one request within {@code answerWithin}
     */
    public static WriterLease acquire(LeaseStore store, String key, NodeIdentity me, Duration lease,
                                      Duration answerWithin, Listener listener)
            throws HeldElsewhere, InterruptedException, ExecutionException, TimeoutException {
        LeaseWait wait = new LeaseWait(lease.toMillis());
        while (true) {
            long sent = System.nanoTime();
            LeaseAnswer answer = store.acquire(key, me, lease).toCompletableFuture()
                    .get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
            LeaseWait.Verdict verdict = wait.observe(answer);
            if (verdict instanceof LeaseWait.Verdict.Acquired acquired) {
                LeaseHolder previous = wait.firstHolder();
                if (previous != null) {
                    LOG.info("Took the writer lease {} at epoch {} after {} let it run out", key, acquired.epoch(),
                            "node " + previous.node());
                }
                return new WriterLease(store, key, me, lease,
                        new LeaseRenewal(acquired.epoch(), lease.toNanos(), sent), listener);
            }
            if (verdict instanceof LeaseWait.Verdict.HolderAlive alive) {
                throw new HeldElsewhere(alive.holder());
            }
            long millis = ((LeaseWait.Verdict.Wait) verdict).millis();
            LOG.info("The writer lease {} is held by {}; waiting {} ms for it to run out (it is taken over only "
                    + "if its holder stops renewing it)", key, answer.holder().describe(), millis);
            Thread.sleep(millis); // the lease's own time, on the store's clock: nothing to poll meanwhile
        }
    }

    /** The fencing epoch this node's commits carry. */
    public long epoch() {
        return renewal.epoch();
    }

    public String key() {
        return key;
    }

    public synchronized LeaseRenewal.State state() {
        return renewal.state(System.nanoTime());
    }

    /** Sends a renewal when one is due; call often (every ~100 ms) from one thread. */
    public void tick() {
        long now = System.nanoTime();
        synchronized (this) {
            if (!renewal.due(now)) {
                return;
            }
            renewal.sent(now);
        }
        try {
            store.renew(key, me, renewal.epoch(), lease).whenComplete(this::renewalAnswered);
        } catch (RuntimeException e) {
            renewalAnswered(null, e);
        }
    }

    private void renewalAnswered(LeaseAnswer answer, Throwable failure) {
        boolean lost;
        synchronized (this) {
            if (failure != null) {
                renewal.failed();
                lost = false;
            } else {
                lost = renewal.answered(answer);
            }
        }
        if (failure != null) {
            listener.renewalFailed(failure);
        } else if (lost) {
            listener.lost(answer.holder());
        } else {
            listener.renewed();
        }
    }

    /**
     * Lets the lease expire now, so that a successor need not wait for it; only after every commit
     * of this node is done. Best effort: an unreachable store lets it run out by itself.
     */
    public void release(Duration within) {
        try {
            store.release(key, me, renewal.epoch()).toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.info("Could not release the writer lease {} ({}); it runs out by itself within {} ms", key, e,
                    lease.toMillis());
        }
    }
}
