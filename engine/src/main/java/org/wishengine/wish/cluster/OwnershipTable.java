package org.wishengine.wish.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The campaigns this node owns or is taking or giving up, as a pure state machine with the clock
 * passed in (monotonic nanoseconds). Each tick, {@link #plan} compares what the node holds with
 * what {@link Placement} says it should hold among the live nodes and answers the steps to take:
 * acquire a campaign's lease, renew one, hand one over. The driver performs them against Redis and
 * reports back ({@link #acquired}, {@link #adopted}, {@link #renewed}, ...).
 *
 * <p>A campaign moves through {@link Phase#ACQUIRING} (lease requested), {@link Phase#LOADING}
 * (lease held, its book being loaded; nothing is settled yet, so requests wait),
 * {@link Phase#SERVING} and {@link Phase#HANDING_OVER} (the ring is committing what it settled
 * before the lease is released). A campaign that is not in the table is not this node's.
 *
 * <p>Threads: one thread (the driver's) calls every method that changes the table; the HTTP edge
 * reads {@link #isServing} and {@link #phase} from any thread (a concurrent map of entries whose
 * phase is volatile), and waits with {@link #whenServing}.
 */
public final class OwnershipTable {

    /** Where a campaign this node holds stands. */
    public enum Phase { ACQUIRING, LOADING, SERVING, HANDING_OVER }

    /** What the driver is to do now. */
    public sealed interface Step {
        String campaignId();
    }

    /** Ask for the campaign's lease (it is free, expired, or ours). */
    public record Acquire(String campaignId) implements Step {
    }

    /** Renew the lease held at {@code epoch}. */
    public record Renew(String campaignId, long epoch) implements Step {
    }

    /** Stop settling the campaign, commit what was settled, release the lease: {@code to} should own it. */
    public record HandOver(String campaignId, String to, long epoch) implements Step {
    }

    private static final class Entry {
        volatile Phase phase = Phase.ACQUIRING;
        /** Until when the lease is surely held (see {@link LeaseRenewal#heldUntil}); read by event loops. */
        volatile long heldUntil;
        LeaseRenewal lease;
        final CompletableFuture<Void> serving = new CompletableFuture<>();
    }

    private final String me;
    private final long leaseNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Campaigns handed over cleanly, and when (forgotten after {@link #HANDED_OVER_MEMORY_NANOS}). */
    private final Map<String, Long> handedOver = new ConcurrentHashMap<>();
    private static final long HANDED_OVER_MEMORY_NANOS = 30_000_000_000L;

    /**
     * @param me         this node's id
     * @param leaseNanos how long a campaign lease lasts without renewal
     */
    public OwnershipTable(String me, long leaseNanos) {
        this.me = me;
        this.leaseNanos = leaseNanos;
    }

    /** This node's id. */
    public String me() {
        return me;
    }

    /**
     * The steps to take now, given the nodes alive (this one among them: the plan is made only
     * right after this node's own heartbeat was written) and every campaign the cluster knows.
     */
    public List<Step> plan(long now, Collection<String> liveNodes, Collection<String> campaigns) {
        handedOver.values().removeIf(at -> now - at > HANDED_OVER_MEMORY_NANOS);
        List<Step> steps = new ArrayList<>();
        Set<String> live = new HashSet<>(liveNodes);
        live.add(me);
        for (String campaignId : campaigns) {
            Entry entry = entries.get(campaignId);
            String owner = Placement.owner(campaignId, live);
            if (entry == null) {
                if (me.equals(owner)) {
                    entries.put(campaignId, new Entry());
                    handedOver.remove(campaignId);
                    steps.add(new Acquire(campaignId));
                }
            } else if (entry.phase == Phase.SERVING && !me.equals(owner)) {
                entry.phase = Phase.HANDING_OVER;
                steps.add(new HandOver(campaignId, owner, entry.lease.epoch()));
            }
        }
        for (Map.Entry<String, Entry> held : entries.entrySet()) {
            LeaseRenewal lease = held.getValue().lease;
            if (lease != null && lease.due(now)) {
                lease.sent(now);
                steps.add(new Renew(held.getKey(), lease.epoch()));
            }
        }
        return steps;
    }

    /**
     * Starts taking a campaign now, without waiting for the next tick (a request for it reached
     * this node, which placement gives it to). Returns the step to take, or null when the campaign
     * is already held or being taken.
     */
    public Acquire take(String campaignId) {
        if (entries.putIfAbsent(campaignId, new Entry()) != null) {
            return null;
        }
        handedOver.remove(campaignId);
        return new Acquire(campaignId);
    }

    /**
     * The store answered an {@link Acquire} sent at {@code sentAt}: granted, the campaign is to be
     * loaded ({@link Phase#LOADING}); refused (another live node still holds it), it is dropped
     * from the table and asked for again on a later tick.
     */
    public void acquired(String campaignId, LeaseAnswer answer, long sentAt) {
        Entry entry = entries.get(campaignId);
        if (entry == null || entry.phase != Phase.ACQUIRING) {
            return;
        }
        if (!answer.granted()) {
            forget(campaignId, entry);
            return;
        }
        entry.lease = new LeaseRenewal(answer.holder().epoch(), leaseNanos, sentAt);
        entry.heldUntil = entry.lease.heldUntil();
        entry.phase = Phase.LOADING;
    }

    /** The campaign's book is in the ring: requests for it are settled here from now on. */
    public void adopted(String campaignId) {
        Entry entry = entries.get(campaignId);
        if (entry != null && entry.phase == Phase.LOADING) {
            entry.phase = Phase.SERVING;
            entry.serving.complete(null);
        }
    }

    /** A {@link HandOver} could not start (the ring refused the drop): the campaign is served here again. */
    public void handOverFailed(String campaignId) {
        Entry entry = entries.get(campaignId);
        if (entry != null && entry.phase == Phase.HANDING_OVER) {
            entry.phase = Phase.SERVING;
        }
    }

    /**
     * The store answered a {@link Renew}. Returns the lease's new holder when this answer says the
     * lease was taken (the campaign is dropped from the table; the caller must stop committing for
     * it), else null.
     */
    public LeaseHolder renewed(String campaignId, LeaseAnswer answer) {
        Entry entry = entries.get(campaignId);
        if (entry == null || entry.lease == null) {
            return null;
        }
        if (entry.lease.answered(answer)) {
            forget(campaignId, entry);
            return answer.holder();
        }
        entry.heldUntil = entry.lease.heldUntil();
        return null;
    }

    /** A {@link Renew} got no answer; the next is sent when due (commits stay fenced meanwhile). */
    public void renewalFailed(String campaignId) {
        Entry entry = entries.get(campaignId);
        if (entry != null && entry.lease != null) {
            entry.lease.failed();
        }
    }

    /**
     * The campaign is no longer this node's: a hand-over finished, an acquire or a load failed.
     * Returns the epoch of the lease held, to release, or 0 when none was held.
     */
    public long release(String campaignId) {
        Entry entry = entries.get(campaignId);
        if (entry == null) {
            return 0;
        }
        forget(campaignId, entry);
        return entry.lease == null ? 0 : entry.lease.epoch();
    }

    private void forget(String campaignId, Entry entry) {
        entries.remove(campaignId, entry);
        entry.serving.completeExceptionally(new NotServed(campaignId));
    }

    /** True when this node settles the campaign's requests now. Any thread. */
    public boolean isServing(String campaignId) {
        Entry entry = entries.get(campaignId);
        return entry != null && entry.phase == Phase.SERVING;
    }

    /** Whether an answer this node's book decided for a campaign may go out. */
    public enum Verdict {
        /** It may: the node held the campaign's lease when it was decided, and surely still does (or handed it on cleanly after). */
        ANSWER,
        /** It may not: the node cannot be sure it still holds the lease (it was paused or cut off). */
        UNSURE,
        /** It may not: a "no such thing" from a book that has just handed the campaign on. */
        MOVED
    }

    /**
     * Whether an answer decided by this node's book for the campaign may go out at {@code now}
     * ({@code notFound}: the book did not know what was asked for). A node that was paused past
     * its lease may answer from a book another node has moved on from, so it must surely hold the
     * lease; a campaign handed over cleanly was settled here up to its drop, after which this book
     * knows nothing of it. Any thread.
     */
    public Verdict verdict(String campaignId, long now, boolean notFound) {
        Entry entry = entries.get(campaignId);
        if (entry != null && (entry.phase == Phase.SERVING || entry.phase == Phase.HANDING_OVER)) {
            if (now - entry.heldUntil >= 0) {
                return Verdict.UNSURE;
            }
            return notFound && entry.phase == Phase.HANDING_OVER ? Verdict.MOVED : Verdict.ANSWER;
        }
        if (handedOver.containsKey(campaignId)) {
            return notFound ? Verdict.MOVED : Verdict.ANSWER;
        }
        return Verdict.UNSURE;
    }

    /**
     * A hand-over finished: everything settled here for the campaign is durable and its lease
     * released. Answers settled before the drop may still be on their way out for a while.
     */
    public long handedOver(String campaignId, long now) {
        handedOver.put(campaignId, now);
        return release(campaignId);
    }

    /** True when some lease this node holds has gone unconfirmed for a lease's length at {@code now}. */
    public boolean anyUnsure(long now) {
        for (Entry entry : entries.values()) {
            if (entry.lease != null && now - entry.heldUntil >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Where the campaign stands here, or null when this node neither holds nor is taking it. Any thread. */
    public Phase phase(String campaignId) {
        Entry entry = entries.get(campaignId);
        return entry == null ? null : entry.phase;
    }

    /**
     * Completes when this node serves the campaign, or fails with {@link NotServed} when it gives
     * up taking it; null when this node is not taking it. Any thread.
     */
    public CompletableFuture<Void> whenServing(String campaignId) {
        Entry entry = entries.get(campaignId);
        return entry == null ? null : entry.serving;
    }

    /** The epoch of the lease held on the campaign, or 0. */
    public long epoch(String campaignId) {
        Entry entry = entries.get(campaignId);
        LeaseRenewal lease = entry == null ? null : entry.lease;
        return lease == null ? 0 : lease.epoch();
    }

    /** The campaigns this node serves now. */
    public List<String> serving() {
        List<String> ids = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (entry.phase == Phase.SERVING) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The campaigns whose lease this node holds (loading, serving or handing over). */
    public List<String> leased() {
        List<String> ids = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (entry.lease != null) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Why a wait for a campaign ended without this node serving it. */
    public static final class NotServed extends RuntimeException {
        public NotServed(String campaignId) {
            super("this node does not serve campaign " + campaignId + " (it went to another node)", null, false, false);
        }
    }
}
