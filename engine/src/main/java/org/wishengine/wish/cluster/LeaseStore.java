package org.wishengine.wish.cluster;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Where leases live. Each call is one atomic step judged by the store's own clock, so nodes'
 * clocks never decide who holds a lease. Epochs only grow: a grant to anyone but the current
 * holder increments it, and commits are checked against it.
 */
public interface LeaseStore {

    /** Takes the lease at {@code key} when it is free, expired or already {@code me}'s, with a new epoch. */
    CompletionStage<LeaseAnswer> acquire(String key, NodeIdentity me, Duration lease);

    /** Extends {@code me}'s lease of {@code epoch}; refused when anyone has taken it since. */
    CompletionStage<LeaseAnswer> renew(String key, NodeIdentity me, long epoch, Duration lease);

    /** Lets the lease expire now (keeping its epoch) when {@code me} still holds {@code epoch}. */
    CompletionStage<LeaseAnswer> release(String key, NodeIdentity me, long epoch);
}
