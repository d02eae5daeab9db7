package org.wishengine.wish.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.cluster.ListingMerge;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import org.wishengine.wish.cluster.NodeRouting;
import org.wishengine.wish.cluster.OrgHoldings;
import org.wishengine.wish.cluster.TreeUnsettled;
import org.wishengine.wish.cluster.OwnershipTable;
import org.wishengine.wish.cluster.PeerClient;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignRules;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.ClaimBlocks;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.ListingKey;

/**
 * The HTTP edge of a cluster node: decides, for each request an endpoint turned into a command,
 * whether this node settles it (the campaign is served here), waits for this node to take the
 * campaign over, or forwards it to the node that serves it and relays the answer.
 *
 * <p>One hop at most: a forwarded request carries {@value #FORWARDED_BY} and is never forwarded
 * again; if its receiver does not serve the campaign either (it moved in between), the client
 * gets 503 with {@code Retry-After} and nothing was changed.
 */
public final class ClusterRouter {

    /**
     * Set (by {@link org.wishengine.wish.cluster.PeerClient}) on a request one node forwards to
     * another: the sender's node id. A forwarded listing asks for the receiver's own part.
     */
    static final String FORWARDED_BY = org.wishengine.wish.cluster.PeerClient.FORWARDED_BY;
    /** How long a request waits for this node to take over the campaign it asks for. */
    private static final long TAKEOVER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(6);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeRouting node;
    private final Forwarder forwarder;

    /**
     * Sends a request to another node and completes with the answer for our client (which the
     * caller then owns), or fails when the node cannot answer; the request stays the caller's.
     */
    public interface Forwarder {
        CompletableFuture<FullHttpResponse> send(URI peer, FullHttpRequest request);
    }

    ClusterRouter(NodeRouting node, Forwarder forwarder) {
        this.node = node;
        this.forwarder = forwarder;
    }

    /** Brings this node's copy of the organiser tree up to the cluster's (see {@link NodeRouting#learnTree}). */
    CompletionStage<Void> learnTree() {
        return node.learnTree();
    }

    /** Whether an answer this node's book decided for the campaign may go out (see {@link NodeRouting#verdict}). */
    OwnershipTable.Verdict verdict(String campaignId, boolean notFound) {
        return node.verdict(campaignId, notFound);
    }

    /** What to do with a command bound for the ring, on a cluster node. Event loop. */
    Action place(Action.Publish publish, ApiRequest request) {
        Command command = publish.command();
        if (command instanceof Command.ClaimWish claim) {
            return byWish(claim.wishId(), publish, request);
        }
        if (command instanceof Command.GetWish get) {
            return byWish(get.wishId(), publish, request);
        }
        if (command instanceof Command.GetClaim get) {
            return byClaim(get.claimId(), publish, request);
        }
        if (command instanceof Command.Cancel cancel) {
            return byClaim(cancel.claimId(), publish, request);
        }
        if (command instanceof Command.Fulfil fulfil) {
            return byClaim(fulfil.claimId(), publish, request);
        }
        if (command instanceof Command.Confirm confirm) {
            return byClaim(confirm.claimId(), publish, request);
        }
        if (command instanceof Command.GetCampaign get) {
            return byCampaignId(get.campaignId(), publish, request);
        }
        if (command instanceof Command.CampaignClaims claims) {
            return byCampaignId(claims.campaignId(), publish, request);
        }
        if (command instanceof Command.GetDraw draw) {
            return byCampaignId(draw.campaignId(), publish, request);
        }
        if (command instanceof Command.GetStats stats && stats.campaignId() != null) {
            return byCampaignId(stats.campaignId(), publish, request);
        }
        if (command instanceof Command.CreateCampaign create) {
            String org = create.draft().org();
            if (org == null || node.knowsOrg(org)) {
                return create(create, request.http(), request);
            }
            // An org made moments ago on another node: this node's book must hold it to judge the draft.
            FullHttpRequest copy = request.http().retainedDuplicate();
            return new Action.Defer(node.learnTree().handle((learnt, failure) -> {
                try {
                    return failure != null ? new Action.Respond(unavailable(request, "the organiser tree could not be "
                            + "read from the cluster's registry; nothing was changed; try again shortly"))
                            : create(create, copy, request);
                } finally {
                    copy.release();
                }
            }));
        }
        if (command instanceof Command.CreateOrg || command instanceof Command.RenameOrg) {
            return editTree(command, List.of(), request);
        }
        if (command instanceof Command.RetireOrg retire) {
            return editTree(command, List.of(retire.id()), request);
        }
        if (command instanceof Command.LoadOrgs load) {
            List<String> retiring = new ArrayList<>();
            for (Org org : load.orgs()) {
                if (org.retired()) {
                    retiring.add(org.id());
                }
            }
            return editTree(command, retiring, request);
        }
        if (request.http().headers().contains(FORWARDED_BY)) {
            // Another node combines the listing: this node's own part. A wish listing part is
            // read from a key, which means the same wish on every node.
            if (command instanceof Command.ListWishes list && list.from() == null) {
                if (list.cursor() != 0) { // a position: only a lone engine hands those out
                    return new Action.Respond(ApiResponses.error(request.alloc(), HttpResponseStatus.BAD_REQUEST,
                            "invalid_request", "cursor must be a nextCursor from an earlier page", "field", "cursor"));
                }
                return new Action.Publish(list.from(ListingKey.FIRST));
            }
            return publish;
        }
        if (command instanceof Command.ListCampaigns) {
            return combine(request, ListingMerge::campaigns);
        }
        if (command instanceof Command.UserClaims) {
            return combine(request, ListingMerge::claims);
        }
        if (command instanceof Command.UserEntries) {
            return combine(request, ListingMerge::entries);
        }
        if (command instanceof Command.GetStats) {
            return combine(request, ListingMerge::stats);
        }
        if (command instanceof Command.OrgStats) {
            return combine(request, ListingMerge::orgStats);
        }
        if (command instanceof Command.ListWishes list) {
            // Even one campaign's wishes are asked of every node: the parts are read by key, so a
            // walk stays right while the campaign moves between nodes.
            int limit = list.limit();
            return combine(request, parts -> ListingMerge.wishes(parts, limit));
        }
        return publish;
    }

    /**
     * Asks every live node (this one too, over the same path, which keeps one way of answering)
     * for its own part of a listing and answers the parts combined as one engine would.
     */
    private Action combine(ApiRequest request, java.util.function.Function<List<byte[]>, byte[]> merge) {
        return new Action.Await(combined(request.http(), request, merge));
    }

    /**
     * Asks every live node for its part of {@code http} (a listing) and completes with the parts
     * merged (200), the first refusal a node gave (every node judges a token alike), or 503 when a
     * node did not answer.
     */
    private CompletableFuture<FullHttpResponse> combined(FullHttpRequest http, ApiRequest request,
                                                         java.util.function.Function<List<byte[]>, byte[]> merge) {
        List<URI> nodes = node.liveNodes();
        List<CompletableFuture<FullHttpResponse>> parts = new ArrayList<>(nodes.size());
        for (URI peer : nodes) {
            parts.add(forwarder.send(peer, http));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .handle((ignored, failure) -> {
                    List<byte[]> bodies = new ArrayList<>(parts.size());
                    FullHttpResponse refusal = null;
                    for (CompletableFuture<FullHttpResponse> part : parts) {
                        FullHttpResponse answer = part.isCompletedExceptionally() ? null : part.join();
                        if (answer == null) {
                            continue;
                        }
                        try {
                            if (answer.status().code() == 200) {
                                bodies.add(ByteBufUtil.getBytes(answer.content()));
                            } else if (refusal == null) {
                                refusal = answer.retainedDuplicate();
                            }
                        } finally {
                            answer.release();
                        }
                    }
                    if (refusal != null) {
                        return refusal; // e.g. 403: every node judges the token alike
                    }
                    if (bodies.size() < parts.size()) {
                        return unavailable(request, "a node of the cluster did not answer its part of the listing; "
                                + "try again shortly");
                    }
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(merge.apply(bodies)));
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    return response;
                });
    }

    /**
     * A tree edit: the campaigns of each org it may retire are counted on every node first (from
     * their subtree statistics, asked with the client's own token), then the edit is decided and
     * committed by this node ({@link NodeRouting#editTree}) and answered as the book answers it.
     */
    private Action editTree(Command edit, List<String> retiring, ApiRequest request) {
        CompletableFuture<OrgHoldings> counted = CompletableFuture.completedFuture(new OrgHoldings());
        for (String org : retiring) {
            if (!CampaignRules.validId(org)) {
                continue; // no org has such an id: the edit's own checks refuse it
            }
            FullHttpRequest ask = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    "/api/stats?org=" + org, Unpooled.EMPTY_BUFFER);
            String authorization = request.http().headers().get(HttpHeaderNames.AUTHORIZATION);
            if (authorization != null) {
                ask.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            CompletableFuture<FullHttpResponse> stats = combined(ask, request, ListingMerge::orgStats);
            counted = counted.thenCombine(stats, (holdings, answer) -> {
                try {
                    if (answer.status().code() != 200) {
                        throw new CompletionException(new Refused(answer.retainedDuplicate()));
                    }
                    return holdings.add(org, ByteBufUtil.getBytes(answer.content()));
                } finally {
                    answer.release();
                }
            });
        }
        CompletableFuture<FullHttpResponse> answer = counted
                .thenCompose(holdings -> node.editTree(edit, holdings))
                .handle((reply, failure) -> {
                    if (failure == null) {
                        return ApiResponses.rendered(reply, request.alloc());
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof Refused refused) {
                        return refused.answer; // the org is unknown, or outside the token's scope
                    }
                    return unavailable(request, cause instanceof TreeUnsettled ? cause.getMessage()
                            : "the organiser tree could not be changed (" + rootMessage(cause)
                            + "); nothing was changed; try again shortly");
                });
        return new Action.Await(answer);
    }

    /** A node refused to count an org's campaigns: its answer is the client's. */
    private static final class Refused extends RuntimeException {
        private final FullHttpResponse answer;

        Refused(FullHttpResponse answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private Action byWish(String wishId, Action.Publish publish, ApiRequest request) {
        String known = node.knownCampaignOfWish(wishId); // the usual case, without a future per claim
        return known != null ? byCampaign(known, publish, request.http(), request)
                : byLookup(node.campaignOfWish(wishId), publish, request);
    }

    private Action byClaim(String claimId, Action.Publish publish, ApiRequest request) {
        long number = ClaimBlocks.numberOf(claimId);
        if (number <= 0) {
            return publish; // not a claim id this engine makes: the book answers 404
        }
        String known = node.knownCampaignOfClaim(number);
        return known != null ? byCampaign(known, publish, request.http(), request)
                : byLookup(node.campaignOfClaim(number), publish, request);
    }

    /**
     * Routes by a campaign id a client named: a campaign the cluster never registered is nobody's
     * to take over (taking a lease for every made-up id would fill Redis), so this node's book
     * answers it with 404.
     */
    private Action byCampaignId(String campaignId, Action.Publish publish, ApiRequest request) {
        if (node.isServing(campaignId)) {
            return publish.servedFor(campaignId);
        }
        return byLookup(node.isRegistered(campaignId).thenApply(known -> known ? campaignId : null), publish, request);
    }

    /** Routes by the campaign a lookup names: at once when it has answered already, else when it answers. */
    private Action byLookup(CompletionStage<String> lookup, Action.Publish publish, ApiRequest request) {
        CompletableFuture<String> campaign = lookup.toCompletableFuture();
        if (campaign.isDone() && !campaign.isCompletedExceptionally()) {
            return byCampaign(campaign.join(), publish, request.http(), request);
        }
        FullHttpRequest copy = request.http().retainedDuplicate(); // the original is released when the endpoint returns
        return new Action.Defer(campaign.handle((id, failure) -> {
            try {
                if (failure != null) {
                    return new Action.Respond(unavailable(request, "the cluster's directory did not answer; "
                            + "nothing was changed; try again shortly"));
                }
                return byCampaign(id, publish, copy, request);
            } finally {
                copy.release();
            }
        }));
    }

    /**
     * Settles here when this node serves the campaign (or the campaign is unknown: the book
     * answers 404), else waits for this node to take it over or forwards it to its owner.
     * {@code http} is the request as it may be forwarded (valid until this returns).
     */
    private Action byCampaign(String campaignId, Action.Publish publish, FullHttpRequest http, ApiRequest request) {
        if (campaignId == null) {
            return publish;
        }
        if (node.isServing(campaignId)) {
            return publish.servedFor(campaignId);
        }
        String owner = node.ownerOf(campaignId);
        // A second hop is allowed: the node a request reached first may be handing the campaign on.
        boolean lastHop = PeerClient.hops(http.headers().get(FORWARDED_BY)) >= PeerClient.MAX_HOPS;
        if (owner == null || owner.equals(node.nodeId()) || lastHop) {
            return afterTakeover(campaignId, publish, lastHop ? null : http, request);
        }
        return forward(owner, http.retainedDuplicate(), request);
    }

    /**
     * Settles here once this node has taken the campaign over; if it goes to another node
     * instead, forwards there ({@code http} non-null: not forwarded yet) or answers 503.
     */
    private Action afterTakeover(String campaignId, Action.Publish publish, FullHttpRequest http, ApiRequest request) {
        long deadline = System.nanoTime() + TAKEOVER_WAIT_NANOS;
        FullHttpRequest copy = http == null ? null : http.retainedDuplicate();
        return new Action.Defer(node.serveSoon(campaignId, deadline).handle((served, failure) -> {
            try {
                if (failure == null) {
                    return publish.servedFor(campaignId);
                }
                String owner = node.ownerOf(campaignId);
                if (copy != null && owner != null && !owner.equals(node.nodeId())) {
                    return forward(owner, copy.retainedDuplicate(), request);
                }
                return new Action.Respond(unavailable(request, "campaign " + campaignId
                        + " is moving between nodes; nothing was changed; try again shortly"));
            } finally {
                if (copy != null) {
                    copy.release();
                }
            }
        }));
    }

    /** Sends {@code owned} (released here once sent) to the owner and relays its answer. */
    private Action forward(String owner, FullHttpRequest owned, ApiRequest request) {
        URI peer = node.urlOf(owner);
        if (peer == null) {
            owned.release();
            return new Action.Respond(unavailable(request, "the node serving this campaign is not reachable; "
                    + "another node takes it over within seconds; nothing was changed"));
        }
        CompletableFuture<FullHttpResponse> answer;
        try {
            answer = forwarder.send(peer, owned);
        } finally {
            owned.release();
        }
        return new Action.Await(answer.exceptionally(failure ->
                unavailable(request, "the node serving this campaign did not answer (" + rootMessage(failure)
                        + "); another node takes it over within seconds; a repeated claim is never counted twice")));
    }

    /**
     * A campaign is published where its ids are reserved (so that they are unique in the
     * cluster), then settled by the node that placement gives it to: here, or forwarded there
     * with the ids filled in, which that node's own reservation finds already its.
     */
    private Action create(Command.CreateCampaign create, FullHttpRequest http, ApiRequest request) {
        FullHttpRequest copy = http.retainedDuplicate();
        return new Action.Defer(node.reserve(create.draft()).handle((reserved, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof NodeRouting.IdTaken taken) {
                        return new Action.Respond(ApiResponses.error(request.alloc(), HttpResponseStatus.CONFLICT,
                                "already_exists", "the id " + taken.id() + " is taken", "id", taken.id()));
                    }
                    if (cause instanceof NodeRouting.OrgRetired retired) {
                        // As the book answers it (ApiResponses): the registry knew first.
                        return new Action.Respond(ApiResponses.error(request.alloc(), HttpResponseStatus.CONFLICT,
                                "org_retired", "org " + retired.org() + " is retired and gets no new campaign",
                                "org", retired.org()));
                    }
                    return new Action.Respond(unavailable(request, "the cluster's directory did not answer; "
                            + "nothing was changed; try again shortly"));
                }
                String owner = node.ownerOf(reserved.id());
                if (owner == null || owner.equals(node.nodeId()) || copy.headers().contains(FORWARDED_BY)) {
                    // Published with its first block of claim numbers, so that the first claim
                    // after the 201 does not wait for one.
                    return new Action.Defer(node.grantBlock(reserved.id()).handle((block, noBlock) -> noBlock != null
                            ? new Action.Respond(unavailable(request, "the cluster's registry did not answer; "
                                    + "nothing was changed; try again shortly"))
                            : afterTakeover(reserved.id(), new Action.Publish(
                                    new Command.CreateCampaign(reserved, create.at(), block, create.scope())), null,
                                    request)));
                }
                FullHttpRequest withIds = copy.replace(Unpooled.wrappedBuffer(withIds(copy, reserved)));
                withIds.headers().set(HttpHeaderNames.CONTENT_LENGTH, withIds.content().readableBytes());
                return forward(owner, withIds, request);
            } catch (IOException | RuntimeException e) {
                return new Action.Respond(unavailable(request, "the campaign could not be forwarded: " + e.getMessage()));
            } finally {
                copy.release();
            }
        }));
    }

    /** The draft's body with the reserved campaign and wish ids written into it. */
    private static byte[] withIds(FullHttpRequest request, Campaign reserved) throws IOException {
        JsonNode body;
        try (ByteBufInputStream in = new ByteBufInputStream(request.content().duplicate())) {
            body = JSON.readTree(in);
        }
        ObjectNode campaign = (ObjectNode) body;
        campaign.put("id", reserved.id());
        ArrayNode wishes = (ArrayNode) campaign.get("wishes");
        for (int i = 0; i < wishes.size(); i++) {
            ((ObjectNode) wishes.get(i)).put("id", reserved.wishes().get(i).id());
        }
        return JSON.writeValueAsBytes(campaign);
    }

    private static FullHttpResponse unavailable(ApiRequest request, String message) {
        return ApiResponses.unavailable(request.alloc(), message);
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause instanceof CompletionException) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }
}
