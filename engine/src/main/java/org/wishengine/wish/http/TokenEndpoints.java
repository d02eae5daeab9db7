package org.wishengine.wish.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.wishengine.wish.auth.OrganiserToken;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.auth.TokenRegistry;
import org.wishengine.wish.core.AuditRecord;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.ring.CommandFuture;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.store.RedisAuditTrail;

/**
 * Organiser tokens, for the district administrator alone: issue one for an org of the tree
 * ({@code POST /api/orgs/{id}/tokens}) and revoke one by its id ({@code DELETE /api/tokens/{id}}).
 * Issuing asks the book whether the org exists and is live, mints, and records the token in Redis
 * before answering, so every token handed out can be revoked.
 */
final class TokenEndpoints {

    /** Longest and default lifetime of an organiser token: a leaked one must end on its own. */
    static final int MAX_TTL_DAYS = 366;
    static final int DEFAULT_TTL_DAYS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenEndpoints.class);

    private final CommandGateway gateway;
    private final TokenMinter minter;
    private final AtomicReference<TokenRegistry> registry;
    /** Where issues and revocations are recorded (API.md 6.18): the book never sees them. Null on a cluster. */
    private final AtomicReference<RedisAuditTrail> audit;
    /** Set on a cluster node: an org made on another node moments ago is looked for again after a catch-up. */
    private final AtomicReference<ClusterRouter> cluster;

    private TokenEndpoints(CommandGateway gateway, TokenMinter minter, AtomicReference<TokenRegistry> registry,
                           AtomicReference<RedisAuditTrail> audit, AtomicReference<ClusterRouter> cluster) {
        this.gateway = gateway;
        this.minter = minter;
        this.registry = registry;
        this.audit = audit;
        this.cluster = cluster;
    }

    static void register(Map<Route, Endpoint> endpoints, CommandGateway gateway, TokenMinter minter,
                         AtomicReference<TokenRegistry> registry, AtomicReference<RedisAuditTrail> audit,
                         AtomicReference<ClusterRouter> cluster) {
        TokenEndpoints tokens = new TokenEndpoints(gateway, minter, registry, audit, cluster);
        endpoints.put(Route.ORG_TOKENS, tokens::issue);
        endpoints.put(Route.REVOKE_TOKEN, tokens::revoke);
    }

    private Action issue(ApiRequest request) throws BadRequest {
        int days = ttlDays(request);
        TokenRegistry store = registry.get();
        if (store == null) {
            return new Action.Respond(ApiResponses.unavailable(request.alloc(), "the engine is still starting"));
        }
        String orgId = request.id();
        CompletionStage<Org> found;
        try {
            found = orgOf(orgId, request);
        } catch (IllegalStateException refused) {
            return new Action.Respond(ApiResponses.unavailable(request.alloc(),
                    "the engine cannot take requests now (" + refused.getMessage() + "); nothing was issued"));
        }
        CompletionStage<io.netty.handler.codec.http.FullHttpResponse> answer = found.thenCompose(org -> {
            if (org == null || org.retired()) {
                return CompletableFuture.completedFuture(ApiResponses.error(request.alloc(), HttpResponseStatus.NOT_FOUND,
                        "not_found", org == null ? "no org with id " + orgId : "org " + orgId + " is retired",
                        "id", orgId));
            }
            OrganiserToken token = minter.mintOrganiser(orgId, Duration.ofDays(days));
            return store.issued(token).thenCompose(recorded -> audited(new AuditRecord(request.now(),
                    AuditRecord.actorOf(request.actor().org()), AuditRecord.TOKEN_ISSUE, orgId, null, token.jti(),
                    "expires " + ApiJson.instant(token.expiresAt().toEpochMilli()))))
                    .thenApply(recorded -> ApiResponses.json(request.alloc(),
                    HttpResponseStatus.CREATED, j -> {
                        j.writeStartObject();
                        j.writeStringField("token", token.token());
                        j.writeStringField("org", token.org());
                        j.writeStringField("role", "organiser");
                        j.writeStringField("jti", token.jti());
                        j.writeStringField("expiresAt", ApiJson.instant(token.expiresAt().toEpochMilli()));
                        j.writeEndObject();
                    }));
        }).exceptionally(failure -> ApiResponses.unavailable(request.alloc(),
                "the token could not be recorded (" + rootMessage(failure) + "); nothing was issued"));
        return new Action.Await(answer);
    }

    private Action revoke(ApiRequest request) {
        TokenRegistry store = registry.get();
        if (store == null) {
            return new Action.Respond(ApiResponses.unavailable(request.alloc(), "the engine is still starting"));
        }
        String jti = request.id();
        return new Action.Await(store.revoke(jti).thenCompose(expires -> expires < 0
                ? CompletableFuture.completedFuture(expires)
                : store.orgOf(jti).thenCompose(org -> audited(new AuditRecord(request.now(),
                        AuditRecord.actorOf(request.actor().org()), AuditRecord.TOKEN_REVOKE, org, null, jti,
                        "expires " + ApiJson.instant(expires)))).thenApply(recorded -> expires))
                .thenApply(expires -> expires < 0
                ? ApiResponses.error(request.alloc(), HttpResponseStatus.NOT_FOUND, "not_found",
                        "no organiser token with id " + jti, "id", jti)
                : ApiResponses.json(request.alloc(), HttpResponseStatus.OK, j -> {
                    j.writeStartObject();
                    j.writeStringField("jti", jti);
                    j.writeBooleanField("revoked", true);
                    j.writeStringField("expiresAt", ApiJson.instant(expires));
                    j.writeEndObject();
                })).exceptionally(failure -> ApiResponses.unavailable(request.alloc(),
                "the revocation could not be recorded (" + rootMessage(failure) + "); retry")));
    }

    /**
     * The org as the book holds it, or null; on a cluster node that does not hold it, looked for
     * again once the node's copy of the tree has caught up (it may have been made on another node
     * moments ago).
     *
     * @throws IllegalStateException when the ring does not take the lookup (its admission)
     */
    private CompletionStage<Org> orgOf(String orgId, ApiRequest request) {
        CompletionStage<Org> first = lookUp(orgId, request);
        ClusterRouter router = cluster.get();
        if (router == null) {
            return first;
        }
        return first.thenCompose(org -> org != null ? CompletableFuture.completedFuture(org)
                : router.learnTree().thenCompose(learnt -> lookUp(orgId, request)));
    }

    private CompletionStage<Org> lookUp(String orgId, ApiRequest request) {
        CommandFuture lookup = new CommandFuture();
        CommandGateway.Admission admission = gateway.publish(new Command.ListOrgs(null, request.now()), lookup);
        if (admission != CommandGateway.Admission.ACCEPTED) {
            throw new IllegalStateException(admission.toString());
        }
        return lookup.settled().thenApply(reply -> find(reply, orgId));
    }

    /**
     * Appends the record to the audit trail before the answer goes out. The token is already
     * issued (or revoked) in Redis by then, so a failed append must not turn the answer into a
     * failure: it is logged, and the trail misses that one line.
     */
    private CompletionStage<Void> audited(AuditRecord record) {
        RedisAuditTrail trail = audit.get();
        if (trail == null) {
            return CompletableFuture.completedFuture(null);
        }
        return trail.append(record).exceptionally(failure -> {
            LOG.warn("The audit record of {} {} could not be written: {}", record.action(), record.subject(),
                    rootMessage(failure));
            return null;
        });
    }

    /** {@code {"ttlDays": N}} (1..366), or the default without a body. */
    private static int ttlDays(ApiRequest request) throws BadRequest {
        if (request.http().content().readableBytes() == 0) {
            return DEFAULT_TTL_DAYS;
        }
        JsonNode body;
        try (var in = request.body()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            throw new BadRequest(null, "malformed JSON");
        }
        JsonNode ttl = body == null ? null : body.get("ttlDays");
        if (body == null || !body.isObject()) {
            throw new BadRequest(null, "the body must be a JSON object such as {\"ttlDays\": 30}");
        }
        if (ttl == null || ttl.isNull()) {
            return DEFAULT_TTL_DAYS;
        }
        if (!ttl.isIntegralNumber() || !ttl.canConvertToInt() || ttl.intValue() < 1 || ttl.intValue() > MAX_TTL_DAYS) {
            throw new BadRequest("ttlDays", "ttlDays must be an integer from 1 to " + MAX_TTL_DAYS);
        }
        return ttl.intValue();
    }

    private static Org find(Reply reply, String orgId) {
        if (reply instanceof Reply.OrgListing listing) {
            for (Org org : listing.orgs()) {
                if (org.id().equals(orgId)) {
                    return org;
                }
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
