package org.wishengine.wish.core;

/** What the book decided for one command. */
public enum Result {
    /** A new claim was made, or a campaign was created. */
    CREATED(true),
    /** The user already holds an active claim on this wish; it is returned unchanged. */
    REPEAT(false),
    /** A claim moved to a new status. */
    UPDATED(true),
    /** A read found what it looked for. */
    FOUND(false),
    SOLD_OUT(false),
    LIMIT_REACHED(false),
    NOT_OPEN(false),
    NOT_FOUND(false),
    /** A user acted on someone else's claim, or an organiser outside its subtree of the organiser tree. */
    FORBIDDEN(false),
    INVALID_STATE(false),
    ALREADY_EXISTS(false),
    /**
     * The campaign has no claim number left until its next block is granted (block numbering on a
     * cluster, see {@link Book#numberedInBlocks}); nothing changed, and a retry soon succeeds.
     */
    NO_NUMBERS(false),
    /** A fair-start entry was made: the claim arrived inside the campaign's window. */
    ENTERED(true),
    /** The user already entered the draw for this wish; the entry is returned unchanged. */
    ENTRY_REPEAT(false),
    /**
     * The fair-start window has closed and the draw has not run yet (on a cluster node, while
     * it waits for claim numbers for its winners); nothing changed, and a retry soon succeeds.
     */
    DRAW_PENDING(false),
    /** A campaign names an org the organiser tree does not hold ({@link Outcome#detail()} names it). */
    UNKNOWN_ORG(false),
    /** A campaign names a retired org, which gets no new campaign ({@link Outcome#detail()} names it). */
    ORG_RETIRED(false);

    private final boolean changesState;

    Result(boolean changesState) {
        this.changesState = changesState;
    }

    /** True when the command changed the book, so it must be committed before it is answered. */
    public boolean changesState() {
        return changesState;
    }
}
