package org.wishengine.wish.core;

import java.util.List;

/**
 * A request to the book, immutable, stamped with the publisher's clock ({@code at}, epoch
 * millis) so that settling is deterministic and replayable. {@code actor} is the acting user's
 * id, or null for an organiser. {@code scope} is the acting organiser's org (see {@link OrgTree}),
 * or null for the district administrator; the constructors without one act as the administrator.
 *
 * <p>Each command knows which rule of the book it asks for and what kind of {@link Reply} that
 * gives ({@link #apply}): the writer only calls it, so every rule lives in this package.
 */
public sealed interface Command {

    long at();

    /** Decides the command on the book (the single writer's thread only). */
    Reply apply(Book book);

    /**
     * Publishes a campaign. On a cluster node {@code firstBlock} is a block of claim numbers the
     * registry granted it beforehand (0 elsewhere), so that its first claims need not wait for one.
     */
    record CreateCampaign(Campaign draft, long at, long firstBlock, String scope) implements Command {
        public CreateCampaign(Campaign draft, long at) {
            this(draft, at, 0);
        }

        public CreateCampaign(Campaign draft, long at, long firstBlock) {
            this(draft, at, firstBlock, null);
        }

        public CreateCampaign {
            if (firstBlock < 0 || firstBlock > ClaimBlocks.MAX_BLOCK) {
                // Checked on the publishing thread: the book would throw, which stops the writer.
                throw new IllegalArgumentException("no claim number block " + firstBlock);
            }
        }

        public Reply apply(Book book) {
            Outcome outcome = book.createCampaign(draft, at, firstBlock, scope);
            return new Reply.CampaignCreation(outcome, Audits.publish(outcome, scope, at));
        }
    }

    /**
     * A claim; inside a fair-start window, an entry to the draw. When the wish's draw is due and
     * has not run, it runs first, in this same command.
     */
    record ClaimWish(String wishId, String userId, long at) implements Command {
        public Reply apply(Book book) {
            Reply.Draws drawn = book.drawIfDue(wishId, at);
            return new Reply.ClaimDecision(book.claim(wishId, userId, at), drawn);
        }
    }

    /** The tick that runs every fair-start draw whose window has closed. */
    record DrawDue(long at) implements Command {
        public Reply apply(Book book) {
            return book.drawDue(at);
        }
    }

    /** A user's fair-start entries. */
    record UserEntries(String userId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.EntryList(book.entriesOf(userId));
        }
    }

    /** A campaign's fair-start draw, for its public audit. */
    record GetDraw(String campaignId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.DrawFound(campaignId, book.draw(campaignId));
        }
    }

    /** A user ({@code actor}) or an organiser (actor null, of {@code scope}) cancels a claim. */
    record Cancel(String claimId, String actor, String scope, long at) implements Command {
        public Cancel(String claimId, String actor, long at) {
            this(claimId, actor, null, at);
        }

        public Reply apply(Book book) {
            Outcome outcome = book.cancel(claimId, actor, scope, at);
            return new Reply.ClaimTransition(outcome,
                    Audits.transition(book, outcome, AuditRecord.CANCEL, actor, scope, at, null));
        }
    }

    record Fulfil(String claimId, String actor, String scope, long at) implements Command {
        public Fulfil(String claimId, String actor, long at) {
            this(claimId, actor, null, at);
        }

        public Reply apply(Book book) {
            Outcome outcome = book.fulfil(claimId, actor, scope, at);
            return new Reply.ClaimTransition(outcome,
                    Audits.transition(book, outcome, AuditRecord.FULFIL, actor, scope, at, null));
        }
    }

    record Confirm(String claimId, int rating, String comment, String scope, long at) implements Command {
        public Confirm(String claimId, int rating, String comment, long at) {
            this(claimId, rating, comment, null, at);
        }

        public Reply apply(Book book) {
            Outcome outcome = book.confirm(claimId, rating, comment, scope, at);
            return new Reply.ClaimTransition(outcome,
                    Audits.transition(book, outcome, AuditRecord.CONFIRM, null, scope, at, "rating " + rating));
        }
    }

    /** The periodic tick that expires claims not fulfilled in time. */
    record Expire(long at) implements Command {
        public Reply apply(Book book) {
            return book.expire(at);
        }
    }

    record GetWish(String wishId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.WishFound(wishId, book.wish(wishId));
        }
    }

    /**
     * One page of wishes: up to {@code limit} (1..{@link WishPage#MAX_LIMIT}) from listing position
     * {@code cursor} on, or, when {@code from} is set, from that key on (a cluster node's part of
     * a combined listing).
     */
    record ListWishes(WishFilter filter, int cursor, ListingKey from, int limit, long at) implements Command {
        public ListWishes {
            if (cursor < 0 || limit < 1 || limit > WishPage.MAX_LIMIT) {
                // Checked here, on the publishing thread, so that a bad request never reaches the ring.
                throw new IllegalArgumentException("cursor " + cursor + ", limit " + limit);
            }
        }

        public ListWishes(WishFilter filter, int cursor, int limit, long at) {
            this(filter, cursor, null, limit, at);
        }

        /** The same page, read from a key. */
        public ListWishes from(ListingKey key) {
            return new ListWishes(filter, 0, key, limit, at);
        }

        public Reply apply(Book book) {
            return new Reply.WishListing(from == null ? book.wishes(filter, cursor, limit)
                    : book.wishesFrom(filter, from, limit));
        }
    }

    record GetCampaign(String campaignId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.CampaignFound(campaignId, book.campaign(campaignId));
        }
    }

    record ListCampaigns(long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.CampaignListing(book.campaigns());
        }
    }

    /** One claim, as {@code actor} may see it (a user only their own; an organiser, null, those within its scope). */
    record GetClaim(String claimId, String actor, String scope, long at) implements Command {
        public GetClaim(String claimId, String actor, long at) {
            this(claimId, actor, null, at);
        }

        public Reply apply(Book book) {
            return new Reply.ClaimTransition(book.readClaim(claimId, actor, scope));
        }
    }

    record UserClaims(String userId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.UserClaimList(book.claimsOf(userId));
        }
    }

    /** A campaign's claims, for an organiser of {@code scope}. */
    record CampaignClaims(String campaignId, String scope, long at) implements Command {
        public CampaignClaims(String campaignId, long at) {
            this(campaignId, null, at);
        }

        public Reply apply(Book book) {
            ScopedRead<List<Claim>> read = book.claimsOfCampaign(campaignId, scope);
            return read.result() == Result.FORBIDDEN ? new Reply.Forbidden("campaign", campaignId)
                    : new Reply.CampaignClaimList(campaignId, read.value());
        }
    }

    /**
     * A cluster node takes a campaign over: replaces what the book holds of it with the campaign
     * and its claims as loaded from the store ({@link Book#adopt}). Changes nothing in the store.
     * Not applied (and the book unchanged) when the book refuses what was loaded, e.g. a wish id
     * of another campaign it holds: that concerns this campaign alone, so it must not stop the
     * writer as a throw would.
     */
    record Adopt(Campaign campaign, List<Claim> claims, List<Entry> entries, long at) implements Command {
        public Adopt {
            claims = List.copyOf(claims);
            entries = List.copyOf(entries);
        }

        /** A campaign without fair-start entries. */
        public Adopt(Campaign campaign, List<Claim> claims, long at) {
            this(campaign, claims, List.of(), at);
        }

        public Reply apply(Book book) {
            try {
                book.adopt(campaign, claims, entries);
                return new Reply.Internal(campaign.id(), true);
            } catch (IllegalArgumentException refused) {
                return new Reply.Internal(campaign.id(), false);
            }
        }
    }

    /** A cluster node hands a campaign on: the book forgets it ({@link Book#drop}). Changes nothing in the store. */
    record Drop(String campaignId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.Internal(campaignId, book.drop(campaignId));
        }
    }

    /**
     * A block of claim numbers the cluster's registry granted to a campaign
     * ({@link Book#grantBlock}); not applied when the book no longer holds the campaign.
     */
    record GrantBlock(String campaignId, long block, long at) implements Command {
        public GrantBlock {
            if (block < 1 || block > ClaimBlocks.MAX_BLOCK) {
                // Checked on the publishing thread: the book would throw, which stops the writer.
                throw new IllegalArgumentException("no claim number block " + block);
            }
        }

        public Reply apply(Book book) {
            return new Reply.Internal(campaignId, book.grantBlock(campaignId, block));
        }
    }

    /**
     * Totals of one campaign, or when {@code campaignId} is null, of every campaign within the
     * organiser's {@code scope} (all for the administrator).
     */
    record GetStats(String campaignId, String scope, long at) implements Command {
        public GetStats(String campaignId, long at) {
            this(campaignId, null, at);
        }

        public Reply apply(Book book) {
            ScopedRead<Stats> read = book.stats(campaignId, scope);
            return read.result() == Result.FORBIDDEN
                    ? new Reply.Forbidden(campaignId == null ? "org" : "campaign", campaignId == null ? scope : campaignId)
                    : new Reply.StatsFound(campaignId, read.value());
        }
    }

    // ---------------------------------------------------------------- the organiser tree

    /** Adds an org under {@code parent} (null: a root); see {@link Book#createOrg}. */
    record CreateOrg(String id, String name, String parent, String scope, long at) implements Command {
        public CreateOrg {
            // Checked on the publishing thread: the book would throw, which stops the writer.
            new Org(id, name, parent);
        }

        public Reply apply(Book book) {
            OrgChange change = book.createOrg(id, name, parent, scope);
            return new Reply.OrgEdit(change, Audits.orgEdit(book, change, AuditRecord.ORG_CREATE, scope, at,
                    parent == null ? name : name + " under " + parent));
        }
    }

    /** Renames an org; see {@link Book#renameOrg}. */
    record RenameOrg(String id, String name, String scope, long at) implements Command {
        public RenameOrg {
            new Org(id, name, null); // checked here, not on the writer
        }

        public Reply apply(Book book) {
            OrgChange change = book.renameOrg(id, name, scope);
            return new Reply.OrgEdit(change, Audits.orgEdit(book, change, AuditRecord.ORG_RENAME, scope, at, name));
        }
    }

    /** Retires an org; see {@link Book#retireOrg}. */
    record RetireOrg(String id, String scope, long at, java.util.Set<String> openElsewhere) implements Command {
        public RetireOrg {
            if (id == null) {
                throw new IllegalArgumentException("no org id");
            }
            openElsewhere = java.util.Set.copyOf(openElsewhere);
        }

        public RetireOrg(String id, String scope, long at) {
            this(id, scope, at, java.util.Set.of());
        }

        /** The same retirement judged knowing which orgs have an open campaign elsewhere (a cluster's other nodes). */
        public RetireOrg knowing(java.util.Set<String> open) {
            return new RetireOrg(id, scope, at, open);
        }

        public Reply apply(Book book) {
            OrgChange change = book.retireOrg(id, scope, openElsewhere);
            return new Reply.OrgEdit(change, Audits.orgEdit(book, change, AuditRecord.ORG_RETIRE, scope, at, null));
        }
    }

    /** Loads many orgs in one edit, all or nothing; see {@link OrgTree#load}. */
    record LoadOrgs(List<Org> orgs, String scope, long at, java.util.Set<String> openElsewhere) implements Command {
        public LoadOrgs {
            orgs = List.copyOf(orgs);
            openElsewhere = java.util.Set.copyOf(openElsewhere);
        }

        public LoadOrgs(List<Org> orgs, String scope, long at) {
            this(orgs, scope, at, java.util.Set.of());
        }

        /** The same load judged knowing which orgs have an open campaign elsewhere. */
        public LoadOrgs knowing(java.util.Set<String> open) {
            return new LoadOrgs(orgs, scope, at, open);
        }

        public Reply apply(Book book) {
            OrgChange change = book.loadOrgs(orgs, scope, openElsewhere);
            return new Reply.OrgEdit(change, Audits.orgEdit(book, change, AuditRecord.ORG_LOAD, scope, at, null));
        }
    }

    /**
     * Tree changes a cluster node read from the registry, where another node (or this one, off
     * the ring) committed them: applied to the book's tree as they are ({@link Book#mirrorOrgs}),
     * and not committed again.
     */
    record MirrorOrgs(List<Org> orgs, long at) implements Command {
        public MirrorOrgs {
            orgs = List.copyOf(orgs);
        }

        public Reply apply(Book book) {
            book.mirrorOrgs(orgs);
            return new Reply.Internal(null, true);
        }
    }

    /** The orgs an organiser of {@code scope} sees (its subtree; every org for the administrator). */
    record ListOrgs(String scope, long at) implements Command {
        public Reply apply(Book book) {
            ScopedRead<List<Org>> read = book.orgs(scope);
            return read.result() == Result.FORBIDDEN ? new Reply.Forbidden("org", scope)
                    : new Reply.OrgListing(read.value());
        }
    }

    /**
     * The statistics of an org's subtree with one row per child ({@code orgId} null: the scope's
     * own org, the whole district for the administrator); see {@link Book#orgStats(String, String)}.
     */
    record OrgStats(String orgId, String scope, long at) implements Command {
        public Reply apply(Book book) {
            ScopedRead<SubtreeStats> read = book.orgStats(orgId, scope);
            return read.result() == Result.FORBIDDEN ? new Reply.Forbidden("org", orgId == null ? scope : orgId)
                    : new Reply.OrgStatsFound(orgId, read.value());
        }
    }

    /**
     * Which orgs' audit records an organiser of {@code scope} reads for {@code orgId}; see
     * {@link Book#auditScope}. The records themselves are read from the store at the edge.
     */
    record AuditScope(String orgId, String scope, long at) implements Command {
        public Reply apply(Book book) {
            ScopedRead<java.util.Set<String>> read = book.auditScope(orgId, scope);
            return read.result() == Result.FORBIDDEN ? new Reply.Forbidden("org", orgId == null ? scope : orgId)
                    : new Reply.AuditScopeFound(orgId, read.result() == Result.FOUND, read.value());
        }
    }
}
