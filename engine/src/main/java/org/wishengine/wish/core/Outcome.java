package org.wishengine.wish.core;

/**
 * The decision on one command: the result, the claim it concerns (new, existing or updated;
 * null for rejections that concern none), and the campaign it concerns when the answer needs
 * it (creation, {@code not_open}). {@code detail} names the offending field or id of a
 * rejection, or is null.
 */
public record Outcome(Result result, Claim claim, Campaign campaign, String detail) {

    public static final Outcome SOLD_OUT = new Outcome(Result.SOLD_OUT, null, null, null);
    public static final Outcome LIMIT_REACHED = new Outcome(Result.LIMIT_REACHED, null, null, null);
    public static final Outcome NOT_FOUND = new Outcome(Result.NOT_FOUND, null, null, null);
    public static final Outcome FORBIDDEN = new Outcome(Result.FORBIDDEN, null, null, null);

    /** A read that found the claim. */
    public static Outcome found(Claim claim) {
        return new Outcome(Result.FOUND, claim, null, null);
    }

    static Outcome of(Result result, Claim claim) {
        return new Outcome(result, claim, null, null);
    }
}
