package org.wishengine.wish.core;

import java.util.List;

/**
 * The book's decision on one command: the result, the claim it concerns (new, existing or
 * updated; null for rejections that concern none), the campaign it concerns when the answer
 * needs it (creation, {@code not_open}, an entry's draw time), and what watchers should hear of
 * it ({@code events}, empty unless the state changed). {@code detail} names the offending field
 * or id of a rejection, or is null. {@code entry} is the fair-start entry a claim inside the
 * window made or found, else null.
 */
public record Outcome(Result result, Claim claim, Campaign campaign, String detail, List<WishEvent> events,
                      Entry entry) {

    public static final Outcome SOLD_OUT = new Outcome(Result.SOLD_OUT, null, null, null);
    public static final Outcome LIMIT_REACHED = new Outcome(Result.LIMIT_REACHED, null, null, null);
    public static final Outcome NOT_FOUND = new Outcome(Result.NOT_FOUND, null, null, null);
    public static final Outcome FORBIDDEN = new Outcome(Result.FORBIDDEN, null, null, null);
    /**
     * An organiser acted on a claim of a campaign outside its scope (detail {@code "scope"}), told
     * apart from a user touching someone else's claim so that the edge can say which.
     */
    public static final Outcome OUT_OF_SCOPE = new Outcome(Result.FORBIDDEN, null, null, "scope");
    public static final Outcome NO_NUMBERS = new Outcome(Result.NO_NUMBERS, null, null, null);

    /** A decision that announces nothing. */
    public Outcome(Result result, Claim claim, Campaign campaign, String detail) {
        this(result, claim, campaign, detail, List.of());
    }

    /** A decision that concerns no entry. */
    public Outcome(Result result, Claim claim, Campaign campaign, String detail, List<WishEvent> events) {
        this(result, claim, campaign, detail, events, null);
    }

    /** A claim inside a fair-start window: {@code ENTERED}, {@code ENTRY_REPEAT}. */
    static Outcome entry(Result result, Entry entry, Campaign campaign) {
        return new Outcome(result, null, campaign, null, List.of(), entry);
    }

    /** Hands what the decision changed, if anything, to the sink. */
    public void changes(ChangeSink sink) {
        if (!result.changesState()) {
            return;
        }
        if (entry != null) {
            sink.entryChanged(entry);
        } else if (claim != null) {
            sink.claimChanged(claim);
        } else if (campaign != null) {
            sink.campaignCreated(campaign);
        }
    }

    /** A read that found the claim. */
    public static Outcome found(Claim claim) {
        return new Outcome(Result.FOUND, claim, null, null);
    }

    static Outcome of(Result result, Claim claim) {
        return new Outcome(result, claim, null, null);
    }

    /** A change of a claim, announced with the units of its wish left right after it. */
    static Outcome changed(Result result, Claim claim, int remaining) {
        return new Outcome(result, claim, null, null, WishEvent.after(claim, remaining));
    }
}
