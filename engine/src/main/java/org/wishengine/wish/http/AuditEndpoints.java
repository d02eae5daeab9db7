package org.wishengine.wish.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.wishengine.wish.core.AuditRecord;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.ring.CommandFuture;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.store.RedisAuditTrail;

/**
 * {@code GET /api/audit?org=&limit=&cursor=} (API.md section 6.18): the organiser actions
 * recorded for an org's subtree, newest first. The book answers which orgs the subtree holds
 * (and refuses an org outside the caller's scope) through the ring, {@link Command.AuditScope};
 * the records themselves are read from Redis here, at the edge, so the book keeps none of them
 * in memory and a read never holds up the writer for longer than naming the subtree's orgs.
 * On a Redis Cluster every node reads the one trail of the cluster's registry.
 */
final class AuditEndpoints {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final CommandGateway gateway;
    private final AtomicReference<RedisAuditTrail> trail;

    private AuditEndpoints(CommandGateway gateway, AtomicReference<RedisAuditTrail> trail) {
        this.gateway = gateway;
        this.trail = trail;
    }

    static void register(Map<Route, Endpoint> endpoints, CommandGateway gateway, AtomicReference<RedisAuditTrail> trail) {
        endpoints.put(Route.AUDIT, new AuditEndpoints(gateway, trail)::read);
    }

    private Action read(ApiRequest request) throws BadRequest {
        int limit = number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long cursor = number(request, "cursor", 0, 1, Long.MAX_VALUE);
        RedisAuditTrail store = trail.get();
        if (store == null) {
            return new Action.Respond(ApiResponses.unavailable(request.alloc(), "the engine is still starting"));
        }
        CommandFuture scope = new CommandFuture();
        CommandGateway.Admission admission = gateway.publish(
                new Command.AuditScope(request.param("org"), request.actor().org(), request.now()), scope);
        if (admission != CommandGateway.Admission.ACCEPTED) {
            return new Action.Respond(ApiResponses.unavailable(request.alloc(),
                    "the engine cannot take requests now (" + admission + ")"));
        }
        CompletionStage<FullHttpResponse> answer = scope.settled().thenCompose(reply -> {
            if (!(reply instanceof Reply.AuditScopeFound found) || !found.found()) {
                return CompletableFuture.completedFuture(ApiResponses.rendered(reply, request.alloc()));
            }
            return store.newest(cursor, limit, found.orgs()).thenApply(page -> ApiResponses.json(request.alloc(),
                    HttpResponseStatus.OK, j -> {
                        j.writeStartObject();
                        j.writeFieldName("records");
                        j.writeStartArray();
                        for (AuditRecord record : page.records()) {
                            j.writeStartObject();
                            j.writeStringField("at", ApiJson.instant(record.at()));
                            j.writeStringField("actor", record.actor());
                            j.writeStringField("action", record.action());
                            j.writeStringField("org", record.org());
                            j.writeStringField("campaignId", record.campaignId());
                            j.writeStringField("subject", record.subject());
                            j.writeStringField("detail", record.detail());
                            j.writeEndObject();
                        }
                        j.writeEndArray();
                        if (page.nextCursor() > 0) {
                            j.writeStringField("nextCursor", Long.toString(page.nextCursor()));
                        }
                        j.writeEndObject();
                    }));
        }).exceptionally(failure -> ApiResponses.unavailable(request.alloc(),
                "the audit trail could not be read (" + failure.getMessage() + "); retry"));
        return new Action.Await(answer);
    }

    /** A whole-number query parameter from {@code min} to {@code max}, or {@code absent} when not given. */
    private static long number(ApiRequest request, String name, long absent, long min, long max) throws BadRequest {
        String text = request.param(name);
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new BadRequest(name, name.equals("cursor") ? "cursor must be a nextCursor from an earlier page"
                : name + " must be an integer from " + min + " to " + max);
    }

    private static int number(ApiRequest request, String name, int absent, int min, int max) throws BadRequest {
        return (int) number(request, name, (long) absent, min, (long) max);
    }
}
