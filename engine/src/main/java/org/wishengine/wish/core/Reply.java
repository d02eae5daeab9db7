package org.wishengine.wish.core;

import java.util.List;

/**
 * What the book answers to one {@link Command}: one record per kind of answer, so that the edge
 * renders each through a {@link Visitor} instead of casting by route. A reply also carries what
 * the command changed ({@link #changes}, for the commit) and what watchers should hear of it
 * ({@link #events}); both are empty for reads and refusals.
 */
public sealed interface Reply {

    <R> R accept(Visitor<R> visitor);

    /** Hands the state this command changed to the sink; nothing for reads and refusals. */
    default void changes(ChangeSink sink) {
    }

    /** What watchers should hear once the change is committed; empty for reads and refusals. */
    /**
     * True when the decision changed the book (and so was committed before it is answered): an
     * answer Redis accepted under the campaign's lease, true whatever happened to the lease since.
     */
    default boolean changedState() {
        return false;
    }

    /**
     * True when the book did not know what was asked for (a wish, claim or campaign): on a
     * cluster node that has just handed the campaign on, "moved", not "no such thing".
     */
    default boolean notFound() {
        return false;
    }

    default List<WishEvent> events() {
        return List.of();
    }

    /** One method per kind of reply: how an edge renders them. */
    interface Visitor<R> {

        R claim(Outcome outcome);

        R creation(Outcome outcome);

        /** Cancel, fulfil, confirm, or a read of one claim. */
        R transition(Outcome outcome);

        /** {@code wish} is null when there is no wish {@code wishId}. */
        R wish(String wishId, WishView wish);

        /** {@code page} is null when the cursor is not a position of the listing. */
        R wishes(WishPage page);

        /** {@code campaign} is null when there is no campaign {@code campaignId}. */
        R campaign(String campaignId, CampaignView campaign);

        R campaigns(List<CampaignView> campaigns);

        /** A user's own claims. */
        R claims(List<Claim> claims);

        /** {@code claims} is null when there is no campaign {@code campaignId}. */
        R campaignClaims(String campaignId, List<Claim> claims);

        /** {@code stats} is null when there is no campaign {@code campaignId} (null: all campaigns). */
        R stats(String campaignId, Stats stats);

        R expiry(Expiry expiry);

        /** The fair-start draws a tick settled: nobody's request. */
        R draws(Draws draws);

        /** A user's own fair-start entries. */
        R entries(List<Entry> entries);

        /** {@code draw} is null when there is no campaign {@code campaignId}. */
        R draw(String campaignId, DrawView draw);

        /** A cluster node's own command (adopt, drop, grant a block): nobody's request. */
        R internal(Internal internal);

        /** An edit of the organiser tree: add, rename, retire, load. */
        R org(OrgChange change);

        /** The orgs an organiser sees. */
        R orgs(List<Org> orgs);

        /** {@code stats} is null when there is no org {@code orgId}. */
        R orgStats(String orgId, SubtreeStats stats);

        /**
         * The orgs whose audit records a read covers ({@code orgs} null: every record), or
         * {@code found} false for an org the tree does not hold.
         */
        R auditScope(AuditScopeFound scope);

        /** What was asked for lies outside the acting organiser's scope. */
        R forbidden(Forbidden forbidden);
    }

    /**
     * The decision on a claim attempt, after the draw of the wish's campaign when the claim found
     * it due ({@code drawnFirst}, else {@link Draws#NONE}): the draw's changes and events come
     * first, so a claim after a fair-start window never goes before its draw.
     */
    record ClaimDecision(Outcome outcome, Draws drawnFirst) implements Reply {
        public ClaimDecision(Outcome outcome) {
            this(outcome, Draws.NONE);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.claim(outcome);
        }

        public boolean notFound() {
            return outcome.result() == Result.NOT_FOUND;
        }

        public boolean changedState() {
            return outcome.result().changesState() || !drawnFirst.claims().isEmpty() || !drawnFirst.entries().isEmpty();
        }

        public void changes(ChangeSink sink) {
            drawnFirst.changes(sink);
            outcome.changes(sink);
        }

        public List<WishEvent> events() {
            if (drawnFirst.events().isEmpty()) {
                return outcome.events();
            }
            List<WishEvent> all = new java.util.ArrayList<>(drawnFirst.events());
            all.addAll(outcome.events());
            return all;
        }
    }

    /** The decision on a new campaign. */
    record CampaignCreation(Outcome outcome, AuditRecord audit) implements Reply {
        public CampaignCreation(Outcome outcome) {
            this(outcome, null);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.creation(outcome);
        }

        public boolean notFound() {
            return outcome.result() == Result.NOT_FOUND;
        }

        public boolean changedState() {
            return outcome.result().changesState();
        }

        public void changes(ChangeSink sink) {
            outcome.changes(sink);
            Reply.auditTo(sink, audit, changedState());
        }

        public List<WishEvent> events() {
            return outcome.events();
        }
    }

    /** Hands a decision's audit record, if any, to the sink with its changes. */
    private static void auditTo(ChangeSink sink, AuditRecord audit, boolean changed) {
        if (audit != null && changed) {
            sink.audited(audit);
        }
    }

    /**
     * The decision on moving a claim on (cancel, fulfil, confirm), or a read of one claim;
     * {@code audit} is the record of an organiser's transition, else null.
     */
    record ClaimTransition(Outcome outcome, AuditRecord audit) implements Reply {
        public ClaimTransition(Outcome outcome) {
            this(outcome, null);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.transition(outcome);
        }

        public boolean notFound() {
            return outcome.result() == Result.NOT_FOUND;
        }

        public boolean changedState() {
            return outcome.result().changesState();
        }

        public void changes(ChangeSink sink) {
            outcome.changes(sink);
            Reply.auditTo(sink, audit, changedState());
        }

        public List<WishEvent> events() {
            return outcome.events();
        }
    }

    record WishFound(String wishId, WishView wish) implements Reply {
        public boolean notFound() {
            return wish == null;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.wish(wishId, wish);
        }
    }

    record WishListing(WishPage page) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.wishes(page);
        }
    }

    record CampaignFound(String campaignId, CampaignView campaign) implements Reply {
        public boolean notFound() {
            return campaign == null;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.campaign(campaignId, campaign);
        }
    }

    record CampaignListing(List<CampaignView> campaigns) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.campaigns(campaigns);
        }
    }

    record UserClaimList(List<Claim> claims) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.claims(claims);
        }
    }

    record CampaignClaimList(String campaignId, List<Claim> claims) implements Reply {
        public boolean notFound() {
            return claims == null;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.campaignClaims(campaignId, claims);
        }
    }

    record StatsFound(String campaignId, Stats stats) implements Reply {
        public boolean notFound() {
            return stats == null;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.stats(campaignId, stats);
        }
    }

    /**
     * What became of a cluster node's own command on a campaign: {@code applied} is false when the
     * book did not hold the campaign (a drop or block grant that came too late). Changes nothing
     * in the store.
     */
    record Internal(String campaignId, boolean applied) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.internal(this);
        }
    }

    /**
     * What fair-start draws settled: the claims their winners got and every entry with its outcome
     * (for the commit), and the events of those claims followed by one {@code draw} event per
     * campaign drawn.
     */
    record Draws(List<Claim> claims, List<Entry> entries, List<WishEvent> events) implements Reply {

        /** No draw was due. */
        public static final Draws NONE = new Draws(List.of(), List.of(), List.of());

        public <R> R accept(Visitor<R> visitor) {
            return visitor.draws(this);
        }

        public void changes(ChangeSink sink) {
            for (Claim claim : claims) {
                sink.claimChanged(claim);
            }
            for (Entry entry : entries) {
                sink.entryChanged(entry);
            }
        }

        public List<WishEvent> events() {
            return events;
        }
    }

    record EntryList(List<Entry> entries) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.entries(entries);
        }
    }

    record DrawFound(String campaignId, DrawView draw) implements Reply {
        public boolean notFound() {
            return draw == null;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.draw(campaignId, draw);
        }
    }

    /** An edit of the organiser tree; the orgs it changed, and its audit record, go to the store. */
    record OrgEdit(OrgChange change, AuditRecord audit) implements Reply {
        public OrgEdit(OrgChange change) {
            this(change, null);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.org(change);
        }

        public boolean changedState() {
            return change.changesState();
        }

        public void changes(ChangeSink sink) {
            for (Org org : change.changed()) {
                sink.orgChanged(org);
            }
            Reply.auditTo(sink, audit, changedState());
        }
    }

    record OrgListing(List<Org> orgs) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.orgs(orgs);
        }
    }

    record OrgStatsFound(String orgId, SubtreeStats stats) implements Reply {
        public boolean notFound() {
            return stats == null;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.orgStats(orgId, stats);
        }
    }

    /** The orgs an audit read covers; see {@link Visitor#auditScope}. */
    record AuditScopeFound(String orgId, boolean found, java.util.Set<String> orgs) implements Reply {
        public boolean notFound() {
            return !found;
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.auditScope(this);
        }
    }

    /**
     * A read refused because {@code kind} ({@code campaign}, {@code org}) {@code id} lies outside
     * the acting organiser's scope (an unknown org too: a scope learns nothing of orgs outside it).
     */
    record Forbidden(String kind, String id) implements Reply {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.forbidden(this);
        }
    }

    /** The claims an expiry tick released, each announced with its wish's units left after it. */
    record Expiry(List<Claim> expired, List<WishEvent> events) implements Reply {

        /** A tick that released nothing. */
        public static final Expiry NONE = new Expiry(List.of(), List.of());

        public <R> R accept(Visitor<R> visitor) {
            return visitor.expiry(this);
        }

        public void changes(ChangeSink sink) {
            for (Claim claim : expired) {
                sink.claimChanged(claim);
            }
        }
    }
}
