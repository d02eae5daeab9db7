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
    FORBIDDEN(false),
    INVALID_STATE(false),
    ALREADY_EXISTS(false),
    /**
     * The campaign has no claim number left until its next block is granted (block numbering on a
     * cluster, see {@link Book#numberedInBlocks}); nothing changed, and a retry soon succeeds.
     */
    NO_NUMBERS(false);

    private final boolean changesState;

    Result(boolean changesState) {
        this.changesState = changesState;
    }

    /** True when the command changed the book, so it must be committed before it is answered. */
    public boolean changesState() {
        return changesState;
    }
}
