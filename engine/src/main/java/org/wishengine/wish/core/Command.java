package org.wishengine.wish.core;

import java.util.List;

/**
 * A request to the book, immutable, stamped with the publisher's clock ({@code at}, epoch
 * millis) so that settling is deterministic and replayable. {@code actor} is the acting user's
 * id, or null for an organiser.
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
    record CreateCampaign(Campaign draft, long at, long firstBlock) implements Command {
        public CreateCampaign(Campaign draft, long at) {
            this(draft, at, 0);
        }

        public CreateCampaign {
            if (firstBlock < 0 || firstBlock > ClaimBlocks.MAX_BLOCK) {
                // Checked on the publishing thread: the book would throw, which stops the writer.
                throw new IllegalArgumentException("no claim number block " + firstBlock);
            }
        }

        public Reply apply(Book book) {
            return new Reply.CampaignCreation(book.createCampaign(draft, at, firstBlock));
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

    record Cancel(String claimId, String actor, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.ClaimTransition(book.cancel(claimId, actor, at));
        }
    }

    record Fulfil(String claimId, String actor, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.ClaimTransition(book.fulfil(claimId, actor, at));
        }
    }

    record Confirm(String claimId, int rating, String comment, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.ClaimTransition(book.confirm(claimId, rating, comment, at));
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

    /** One claim, as {@code actor} may see it (a user only their own; an organiser, null, any). */
    record GetClaim(String claimId, String actor, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.ClaimTransition(book.readClaim(claimId, actor));
        }
    }

    record UserClaims(String userId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.UserClaimList(book.claimsOf(userId));
        }
    }

    record CampaignClaims(String campaignId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.CampaignClaimList(campaignId, book.claimsOfCampaign(campaignId));
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

    /** Totals of one campaign, or of all when {@code campaignId} is null. */
    record GetStats(String campaignId, long at) implements Command {
        public Reply apply(Book book) {
            return new Reply.StatsFound(campaignId, campaignId == null ? book.stats() : book.stats(campaignId));
        }
    }
}
