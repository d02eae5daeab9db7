package org.wishengine.wish.cluster;

/**
 * The state of a lease this node holds, as a pure state machine with the clock passed in
 * (monotonic nanoseconds). It renews every third of the lease, never two requests at once, and
 * knows the lease surely held only for a lease's length after the last confirmed renewal was
 * sent (the store may have started counting before the answer came back).
 *
 * <p>{@link State#UNCONFIRMED} is not lost: commits stay safe because the store checks the
 * epoch, and nobody may have taken the lease; only an answer naming another holder or epoch
 * makes it {@link State#LOST}, which is final.
 */
public final class LeaseRenewal {

    /** Where the lease stands. */
    public enum State { HELD, UNCONFIRMED, LOST }

    private final long epoch;
    private final long leaseNanos;
    private final long everyNanos;
    private long confirmedSentAt;
    private long lastAttemptAt;
    private long pendingSentAt;
    private boolean inFlight;
    private LeaseHolder takenBy;

    /**
     * @param epoch         the epoch granted
     * @param leaseNanos    the lease duration
     * @param grantedSentAt when the request that was granted was sent
     */
    public LeaseRenewal(long epoch, long leaseNanos, long grantedSentAt) {
        this.epoch = epoch;
        this.leaseNanos = leaseNanos;
        this.everyNanos = leaseNanos / 3;
        this.confirmedSentAt = grantedSentAt;
        this.lastAttemptAt = grantedSentAt;
    }

    public long epoch() {
        return epoch;
    }

    /** True when a renewal should be sent now. */
    public boolean due(long now) {
        return takenBy == null && !inFlight && now - lastAttemptAt >= everyNanos;
    }

    /** A renewal was sent at {@code now}. */
    public void sent(long now) {
        inFlight = true;
        lastAttemptAt = now;
        pendingSentAt = now;
    }

    /** The store answered the renewal; returns true when this answer lost the lease. */
    public boolean answered(LeaseAnswer answer) {
        inFlight = false;
        if (takenBy != null) {
            return false;
        }
        if (answer.granted() && answer.holder().epoch() == epoch) {
            confirmedSentAt = Math.max(confirmedSentAt, pendingSentAt);
            return false;
        }
        takenBy = answer.holder();
        return true;
    }

    /** The renewal got no answer (the store is unreachable); the next one is sent when due. */
    public void failed() {
        inFlight = false;
    }

    /**
     * Until when (same clock as the rest) the lease is surely held: a lease's length after the
     * last confirmed request was sent.
     */
    public long heldUntil() {
        return confirmedSentAt + leaseNanos;
    }

    public State state(long now) {
        if (takenBy != null) {
            return State.LOST;
        }
        return now - confirmedSentAt < leaseNanos ? State.HELD : State.UNCONFIRMED;
    }

    /** Who took the lease, once {@link State#LOST}; else null. */
    public LeaseHolder takenBy() {
        return takenBy;
    }
}
