package org.wishengine.wish.cluster;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Reply;

/**
 * What the HTTP edge of a cluster node asks to route a request: where a campaign is settled,
 * which campaign a wish or a claim belongs to, and the nodes to combine a listing from. Answers
 * come from memory where they can (the lookups that miss go to Redis asynchronously, so an event
 * loop never waits on them).
 */
public interface NodeRouting {

    /** This node's id. */
    String nodeId();

    /** True when this node settles the campaign's requests now (the hot path: a map read). */
    boolean isServing(String campaignId);

    /**
     * Whether an answer this node's book decided for the campaign may go out now (see
     * {@link OwnershipTable#verdict}); {@code notFound}: the book did not know what was asked for.
     */
    OwnershipTable.Verdict verdict(String campaignId, boolean notFound);

    /**
     * The node that should settle the campaign now: the owner Redis names when it is alive,
     * else the one placement gives it to. May be this node.
     */
    String ownerOf(String campaignId);

    /**
     * Completes once this node serves the campaign (taking its lease and loading it if need be),
     * or fails with {@link OwnershipTable.NotServed} when another node holds it, or when it is
     * not served by the deadline ({@code System.nanoTime()} based).
     */
    CompletionStage<Void> serveSoon(String campaignId, long deadlineNanos);

    /**
     * True when the cluster knows a campaign with this id (it was reserved or published): only
     * then is it worth taking over or forwarding; for any other id every book answers 404.
     */
    CompletionStage<Boolean> isRegistered(String campaignId);

    /** The base URL of a live node (this one included), or null when it is not alive. */
    URI urlOf(String nodeId);

    /** The base URLs of every live node, this one included. */
    List<URI> liveNodes();

    /** The campaign of a wish when this node already knows it (no lookup: the claim path), else null. */
    String knownCampaignOfWish(String wishId);

    /** The campaign of a claim number when this node already knows its block, else null. */
    String knownCampaignOfClaim(long claimNumber);

    /** The campaign a wish belongs to, or null when no campaign has such a wish. */
    CompletionStage<String> campaignOfWish(String wishId);

    /** The campaign a claim number belongs to (by its block), or null when no campaign has it. */
    CompletionStage<String> campaignOfClaim(long claimNumber);

    /**
     * Reserves the ids of a campaign about to be published: the draft with every id set, or a
     * failure with {@link IdTaken} naming an id another campaign holds.
     */
    CompletionStage<Campaign> reserve(Campaign draft);

    /** A new block of claim numbers for a campaign this node is about to publish. */
    CompletionStage<Long> grantBlock(String campaignId);

    /** True when this node's book holds the org (its copy of the organiser tree has it). */
    boolean knowsOrg(String orgId);

    /** Brings this node's copy of the organiser tree up to the registry's; completes once its book holds it. */
    CompletionStage<Void> learnTree();

    /**
     * Decides a tree edit by the book's rules and commits it to the registry: completes with the
     * reply (a refusal, or the change, which this node's book then holds), or fails with
     * {@link TreeUnsettled}. {@code holdings} counts the campaigns of the orgs it may retire.
     */
    CompletionStage<Reply> editTree(Command edit, OrgHoldings holdings);

    /** A draft for a new campaign names an org that is retired. */
    final class OrgRetired extends RuntimeException {
        private final String org;

        public OrgRetired(String org) {
            super("org " + org + " is retired", null, false, false);
            this.org = org;
        }

        public String org() {
            return org;
        }
    }

    /** An id a draft asked for belongs to another campaign. */
    final class IdTaken extends RuntimeException {
        private final String id;

        public IdTaken(String id) {
            super("id " + id + " is taken", null, false, false);
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
