package org.wishengine.wish.core;

/**
 * A request to the book, immutable, stamped with the publisher's clock ({@code at}, epoch
 * millis) so that settling is deterministic and replayable. {@code actor} is the acting user's
 * id, or null for an organiser.
 */
public sealed interface Command {

    /** What kind of command this is; lets the settle stage switch without instanceof chains. */
    enum Kind {
        CREATE_CAMPAIGN, CLAIM, CANCEL, FULFIL, CONFIRM, EXPIRE,
        GET_WISH, LIST_WISHES, GET_CAMPAIGN, LIST_CAMPAIGNS, GET_CLAIM, USER_CLAIMS, CAMPAIGN_CLAIMS, STATS
    }

    Kind kind();

    long at();

    record CreateCampaign(Campaign draft, long at) implements Command {
        public Kind kind() { return Kind.CREATE_CAMPAIGN; }
    }

    record ClaimWish(String wishId, String userId, long at) implements Command {
        public Kind kind() { return Kind.CLAIM; }
    }

    record Cancel(String claimId, String actor, long at) implements Command {
        public Kind kind() { return Kind.CANCEL; }
    }

    record Fulfil(String claimId, String actor, long at) implements Command {
        public Kind kind() { return Kind.FULFIL; }
    }

    record Confirm(String claimId, int rating, String comment, long at) implements Command {
        public Kind kind() { return Kind.CONFIRM; }
    }

    /** The periodic tick that expires claims not fulfilled in time. */
    record Expire(long at) implements Command {
        public Kind kind() { return Kind.EXPIRE; }
    }

    record GetWish(String wishId, long at) implements Command {
        public Kind kind() { return Kind.GET_WISH; }
    }

    /** One page of wishes: up to {@code limit} (1..{@link WishPage#MAX_LIMIT}) from listing position {@code cursor} on. */
    record ListWishes(WishFilter filter, int cursor, int limit, long at) implements Command {
        public ListWishes {
            if (cursor < 0 || limit < 1 || limit > WishPage.MAX_LIMIT) {
                // Checked here, on the publishing thread, so that a bad request never reaches the ring.
                throw new IllegalArgumentException("cursor " + cursor + ", limit " + limit);
            }
        }

        public Kind kind() { return Kind.LIST_WISHES; }
    }

    record GetCampaign(String campaignId, long at) implements Command {
        public Kind kind() { return Kind.GET_CAMPAIGN; }
    }

    record ListCampaigns(long at) implements Command {
        public Kind kind() { return Kind.LIST_CAMPAIGNS; }
    }

    record GetClaim(String claimId, String actor, long at) implements Command {
        public Kind kind() { return Kind.GET_CLAIM; }
    }

    record UserClaims(String userId, long at) implements Command {
        public Kind kind() { return Kind.USER_CLAIMS; }
    }

    record CampaignClaims(String campaignId, long at) implements Command {
        public Kind kind() { return Kind.CAMPAIGN_CLAIMS; }
    }

    /** Totals of one campaign, or of all when {@code campaignId} is null. */
    record GetStats(String campaignId, long at) implements Command {
        public Kind kind() { return Kind.STATS; }
    }
}
