package org.wishengine.wish.http;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.DrawView;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.OrgChange;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.core.Stats;
import org.wishengine.wish.core.SubtreeStats;
import org.wishengine.wish.core.WishPage;
import org.wishengine.wish.core.WishView;
import org.wishengine.wish.ring.Fault;

/** Turns what the ring decided into HTTP responses, by route: the status-code table of the API. */
final class ApiResponses {

    private static final String JSON = "application/json; charset=utf-8";
    // Quote only what must be quoted (comma, quote, line break), as the contract says.
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvSchema LEDGER = CsvSchema.builder()
            .addColumn("claimId").addColumn("campaignId").addColumn("wishId").addColumn("userId")
            .addColumn("status").addColumn("claimedAt").addColumn("fulfilledAt").addColumn("confirmedAt")
            .addColumn("cancelledAt").addColumn("expiredAt").addColumn("rating").addColumn("comment")
            .build().withHeader();

    private ApiResponses() {
    }

    /** The HTTP answer to one request the ring has settled (or could not). */
    static FullHttpResponse of(PendingRequest pending, ByteBufAllocator alloc) {
        return pending.fault() != null ? fault(pending.fault(), alloc)
                : pending.reply().accept(new Rendering(alloc, pending.csv));
    }

    /** The JSON answer to a reply an endpoint awaited itself (a refusal, say), as the ring's own are rendered. */
    static FullHttpResponse rendered(Reply reply, ByteBufAllocator alloc) {
        return reply.accept(new Rendering(alloc, false));
    }

    /** Each kind of reply as the API's status-code table says; {@code csv} picks the ledger's format. */
    private record Rendering(ByteBufAllocator alloc, boolean csv) implements Reply.Visitor<FullHttpResponse> {

        @Override
        public FullHttpResponse claim(Outcome outcome) {
            return claimAnswer(outcome, alloc);
        }

        @Override
        public FullHttpResponse creation(Outcome outcome) {
            return created(outcome, alloc);
        }

        @Override
        public FullHttpResponse transition(Outcome outcome) {
            return ApiResponses.transition(outcome, alloc);
        }

        @Override
        public FullHttpResponse wish(String wishId, WishView wish) {
            return wish == null ? notFound(alloc, "wish", wishId)
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.wish(j, wish));
        }

        @Override
        public FullHttpResponse wishes(WishPage page) {
            return page == null ? error(alloc, HttpResponseStatus.BAD_REQUEST, "invalid_request",
                    "cursor must be a nextCursor from an earlier page", "field", "cursor")
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.wishes(j, page));
        }

        @Override
        public FullHttpResponse campaign(String campaignId, CampaignView campaign) {
            return campaign == null ? notFound(alloc, "campaign", campaignId)
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.campaign(j, campaign, true));
        }

        @Override
        public FullHttpResponse campaigns(List<CampaignView> campaigns) {
            return json(alloc, HttpResponseStatus.OK, j -> ApiJson.campaigns(j, campaigns));
        }

        @Override
        public FullHttpResponse claims(List<Claim> claims) {
            return json(alloc, HttpResponseStatus.OK, j -> ApiJson.claims(j, claims));
        }

        @Override
        public FullHttpResponse campaignClaims(String campaignId, List<Claim> claims) {
            return claims == null ? notFound(alloc, "campaign", campaignId)
                    : csv ? ApiResponses.csv(alloc, claims)
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.claims(j, claims));
        }

        @Override
        public FullHttpResponse stats(String campaignId, Stats stats) {
            return stats == null ? notFound(alloc, "campaign", campaignId)
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.stats(j, stats, campaignId));
        }

        @Override
        public FullHttpResponse entries(List<Entry> entries) {
            return json(alloc, HttpResponseStatus.OK, j -> ApiJson.entries(j, entries));
        }

        @Override
        public FullHttpResponse draw(String campaignId, DrawView draw) {
            if (draw == null) {
                return notFound(alloc, "campaign", campaignId);
            }
            if (draw.campaign().fairStart() == null) {
                return error(alloc, HttpResponseStatus.NOT_FOUND, "not_found",
                        "campaign " + campaignId + " has no fair-start draw");
            }
            if (!draw.drawn()) {
                return json(alloc, HttpResponseStatus.OK, j -> DrawAuditJson.writePending(j, campaignId,
                        draw.campaign().fairStart().seed().commitment(), draw.campaign().drawAt(), draw.entryCount()));
            }
            FullHttpResponse response = response(HttpResponseStatus.OK,
                    alloc.buffer().writeBytes(DrawAudits.audit(campaignId, draw)));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
            return response;
        }

        @Override
        public FullHttpResponse draws(Reply.Draws draws) {
            throw new IllegalStateException("a draw tick has no request to answer");
        }

        @Override
        public FullHttpResponse expiry(Reply.Expiry expiry) {
            throw new IllegalStateException("an expiry tick has no request to answer");
        }

        @Override
        public FullHttpResponse internal(Reply.Internal internal) {
            throw new IllegalStateException("a node's own command has no request to answer");
        }

        @Override
        public FullHttpResponse org(OrgChange change) {
            return orgEdit(change, alloc);
        }

        @Override
        public FullHttpResponse orgs(List<Org> orgs) {
            return json(alloc, HttpResponseStatus.OK, j -> ApiJson.orgs(j, orgs));
        }

        @Override
        public FullHttpResponse orgStats(String orgId, SubtreeStats stats) {
            return stats == null ? notFound(alloc, "org", orgId)
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.orgStats(j, stats));
        }

        @Override
        public FullHttpResponse auditScope(Reply.AuditScopeFound scope) {
            // Only AuditEndpoints asks, and reads the trail itself; this answers what it covers.
            return !scope.found() ? notFound(alloc, "org", scope.orgId())
                    : json(alloc, HttpResponseStatus.OK, j -> {
                        j.writeStartObject();
                        j.writeFieldName("orgs");
                        j.writeStartArray();
                        if (scope.orgs() != null) {
                            for (String org : new java.util.TreeSet<>(scope.orgs())) {
                                j.writeString(org);
                            }
                        }
                        j.writeEndArray();
                        j.writeEndObject();
                    });
        }

        @Override
        public FullHttpResponse forbidden(Reply.Forbidden forbidden) {
            return error(alloc, HttpResponseStatus.FORBIDDEN, "forbidden",
                    "this " + forbidden.kind() + " is " + OUT_OF_SCOPE);
        }
    }

    private static FullHttpResponse fault(Fault fault, ByteBufAllocator alloc) {
        return switch (fault) {
            case SETTLE -> error(alloc, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "the engine failed while deciding this request; nothing of it was saved; it now refuses "
                            + "new requests until it is restarted");
            case REPLY -> error(alloc, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                    "the engine failed while answering; the request may have taken effect: look it up before retrying");
            case STOPPED -> unavailable(alloc, "the engine stopped after an internal fault and must be restarted; "
                    + "nothing was changed");
            case FENCED -> unavailable(alloc, FENCED_MESSAGE);
            case SHUT_DOWN -> unavailable(alloc, SHUT_DOWN_MESSAGE);
        };
    }

    /** Why a request the engine could not save before it stopped was refused. */
    static final String SHUT_DOWN_MESSAGE = "the engine shut down before its store confirmed this request (the "
            + "store could not be reached); it is not acknowledged and may or may not have been saved: look it up "
            + "or retry once the engine is back (a repeated claim gets the claim already held, never a second one)";

    /** How a refusal of an organiser acting beyond its org ends. */
    static final String OUT_OF_SCOPE = "outside your organisation's scope";

    /**
     * The answer to an edit of the organiser tree: 201 with the new org, 200 with the org renamed
     * or retired, 200 {@code {"orgs": [changed...]}} for a loaded tree; refusals name the offending
     * id in {@code id}.
     */
    private static FullHttpResponse orgEdit(OrgChange change, ByteBufAllocator alloc) {
        String id = change.detail() != null ? change.detail() : change.org() == null ? null : change.org().id();
        return switch (change.result()) {
            case CREATED -> json(alloc, HttpResponseStatus.CREATED, j -> ApiJson.org(j, change.org()));
            case UPDATED -> change.org() != null ? json(alloc, HttpResponseStatus.OK, j -> ApiJson.org(j, change.org()))
                    : json(alloc, HttpResponseStatus.OK, j -> ApiJson.orgs(j, change.changed()));
            case ALREADY_EXISTS -> error(alloc, HttpResponseStatus.CONFLICT, "already_exists",
                    "the org id " + id + " is taken", "id", id);
            case UNKNOWN_PARENT -> error(alloc, HttpResponseStatus.BAD_REQUEST, "unknown_parent",
                    "no org " + id + " to be the parent", "id", id);
            case CYCLE -> error(alloc, HttpResponseStatus.BAD_REQUEST, "cycle",
                    "org " + id + " would be its own ancestor", "id", id);
            case RETIRED_PARENT -> error(alloc, HttpResponseStatus.BAD_REQUEST, "retired_parent",
                    "org " + id + " is retired and gets no new child", "id", id);
            case UNKNOWN_ORG -> error(alloc, HttpResponseStatus.NOT_FOUND, "not_found", "no org with id " + id, "id", id);
            case HAS_OPEN_CAMPAIGNS -> error(alloc, HttpResponseStatus.CONFLICT, "has_open_campaigns",
                    "org " + id + " still has a campaign with a unit nobody holds or a claim not yet confirmed",
                    "id", id);
            case HAS_CHILDREN -> error(alloc, HttpResponseStatus.CONFLICT, "has_children",
                    "org " + id + " still has a child that is not retired", "id", id);
            case FORBIDDEN -> error(alloc, HttpResponseStatus.FORBIDDEN, "forbidden",
                    id == null ? "this edit is " + OUT_OF_SCOPE : "org " + id + " is " + OUT_OF_SCOPE);
        };
    }

    /** Why a fenced engine refuses: the request may be retried on the engine that took over. */
    static final String FENCED_MESSAGE = "this engine no longer writes to its store: another engine took over; "
            + "retry there (a repeated claim is never counted twice)";

    /** 503 {@code overloaded} with {@code Retry-After: 1}: nothing was changed. */
    static FullHttpResponse unavailable(ByteBufAllocator alloc, String message) {
        FullHttpResponse response = error(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", message);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        return response;
    }

    private static FullHttpResponse claimAnswer(Outcome outcome, ByteBufAllocator alloc) {
        return switch (outcome.result()) {
            case CREATED -> located(json(alloc, HttpResponseStatus.CREATED, j -> ApiJson.claim(j, outcome.claim())),
                    "/api/claims/" + outcome.claim().id());
            case REPEAT -> located(json(alloc, HttpResponseStatus.OK, j -> ApiJson.claim(j, outcome.claim())),
                    "/api/claims/" + outcome.claim().id());
            case SOLD_OUT -> error(alloc, HttpResponseStatus.CONFLICT, "sold_out", "every unit of this wish is held");
            case LIMIT_REACHED -> error(alloc, HttpResponseStatus.CONFLICT, "limit_reached",
                    "you already hold as many claims as this campaign allows");
            case NOT_OPEN -> error(alloc, HttpResponseStatus.CONFLICT, "not_open", "this campaign is not open yet",
                    "opensAt", ApiJson.instant(outcome.campaign().opensAt()));
            case NOT_FOUND -> notFound(alloc, "wish", null);
            case ENTERED -> located(json(alloc, HttpResponseStatus.ACCEPTED, j -> ApiJson.entered(j, outcome.entry())),
                    "/api/me/entries");
            case ENTRY_REPEAT -> located(json(alloc, HttpResponseStatus.OK, j -> ApiJson.entered(j, outcome.entry())),
                    "/api/me/entries");
            case DRAW_PENDING -> unavailable(alloc, "the fair-start window has closed and its draw is being "
                    + "settled; nothing was changed; retry in a moment");
            // A cluster campaign between two blocks of claim numbers: retriable, like a full ring.
            case NO_NUMBERS -> unavailable(alloc, "this campaign is waiting for more claim numbers; nothing was "
                    + "changed; retry in a moment");
            default -> throw new IllegalStateException("unexpected claim result " + outcome.result());
        };
    }

    private static FullHttpResponse created(Outcome outcome, ByteBufAllocator alloc) {
        return switch (outcome.result()) {
            case CREATED -> located(json(alloc, HttpResponseStatus.CREATED,
                    j -> ApiJson.campaign(j, CampaignView.fresh(outcome.campaign()), true)),
                    "/api/campaigns/" + outcome.campaign().id());
            case ALREADY_EXISTS -> error(alloc, HttpResponseStatus.CONFLICT, "already_exists",
                    "the id " + outcome.detail() + " is taken", "id", outcome.detail());
            case FORBIDDEN -> error(alloc, HttpResponseStatus.FORBIDDEN, "forbidden", outcome.detail() == null
                    ? "a campaign of the whole district (no org) is the district administrator's alone"
                    : "org " + outcome.detail() + " is " + OUT_OF_SCOPE, "org", outcome.detail());
            case UNKNOWN_ORG -> error(alloc, HttpResponseStatus.BAD_REQUEST, "unknown_org",
                    "no org with id " + outcome.detail(), "field", "org", "org", outcome.detail());
            case ORG_RETIRED -> error(alloc, HttpResponseStatus.CONFLICT, "org_retired",
                    "org " + outcome.detail() + " is retired and gets no new campaign", "org", outcome.detail());
            default -> throw new IllegalStateException("unexpected creation result " + outcome.result());
        };
    }

    private static FullHttpResponse transition(Outcome outcome, ByteBufAllocator alloc) {
        return switch (outcome.result()) {
            case UPDATED, FOUND -> json(alloc, HttpResponseStatus.OK, j -> ApiJson.claim(j, outcome.claim()));
            case NOT_FOUND -> notFound(alloc, "claim", null);
            case FORBIDDEN -> error(alloc, HttpResponseStatus.FORBIDDEN, "forbidden",
                    "scope".equals(outcome.detail()) ? "this claim's campaign is " + OUT_OF_SCOPE
                            : "this is not your claim");
            case INVALID_STATE -> error(alloc, HttpResponseStatus.CONFLICT, "invalid_state",
                    "not allowed while the claim is " + outcome.claim().status().wireName(),
                    "status", outcome.claim().status().wireName());
            default -> throw new IllegalStateException("unexpected transition result " + outcome.result());
        };
    }

    static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, ApiJson.Body body) {
        FullHttpResponse response = response(status, ApiJson.encode(alloc, body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        return response;
    }

    /**
     * A response with this body, its headers in a table of four slots and no trailers. Netty's
     * default is a table of sixteen slots, and a second, empty set of headers for trailers, which an
     * answer framed by Content-Length never sends: ~250 bytes more per answer than the three or four
     * headers an answer carries (Content-Type, Content-Length, often Location) need.
     */
    static FullHttpResponse response(HttpResponseStatus status, ByteBuf content) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, new AnswerHeaders(),
                EmptyHttpHeaders.INSTANCE);
    }

    /** Netty's validating headers in a smaller table (its constructor with a size is protected). */
    private static final class AnswerHeaders extends DefaultHttpHeaders {
        private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory();

        AnswerHeaders() {
            super(VALIDATING.getNameValidator(), VALIDATING.getValueValidator(), 4);
        }
    }

    /** The text of each Content-Length below this, made once when first needed (a claim's is ~300). */
    private static final AsciiString[] LENGTHS = new AsciiString[4096];

    /**
     * Sets Content-Length from the body. Netty's {@code HttpUtil.setContentLength} boxes the length
     * and makes its text for every answer; the texts of short bodies are shared instead (a racing
     * thread may make one twice, which is harmless: an {@link AsciiString} is immutable).
     */
    static void contentLength(FullHttpResponse response) {
        int length = response.content().readableBytes();
        CharSequence text;
        if (length < LENGTHS.length) {
            text = LENGTHS[length];
            if (text == null) {
                text = LENGTHS[length] = AsciiString.of(Integer.toString(length));
            }
        } else {
            text = Integer.toString(length);
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, text);
    }

    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code, String message,
                                  String... extra) {
        return json(alloc, status, j -> ApiJson.error(j, code, message, extra));
    }

    private static FullHttpResponse notFound(ByteBufAllocator alloc, String what, String id) {
        return error(alloc, HttpResponseStatus.NOT_FOUND, "not_found",
                id == null ? "no such " + what : "no " + what + " with id " + id);
    }

    private static FullHttpResponse located(FullHttpResponse response, String location) {
        response.headers().set(HttpHeaderNames.LOCATION, location);
        return response;
    }

    private static FullHttpResponse csv(ByteBufAllocator alloc, List<Claim> claims) {
        ByteBuf buffer = alloc.buffer(64 + claims.size() * 128);
        try (OutputStream out = new ByteBufOutputStream(buffer);
             SequenceWriter rows = CSV.writer(LEDGER).writeValues(out)) {
            for (Claim claim : claims) {
                rows.write(new Object[] {claim.id(), claim.campaignId(), claim.wishId(), claim.userId(),
                        claim.status().wireName(), time(claim.claimedAt()), time(claim.fulfilledAt()),
                        time(claim.confirmedAt()), time(claim.cancelledAt()), time(claim.expiredAt()),
                        claim.rating() == 0 ? "" : Integer.toString(claim.rating()),
                        claim.comment() == null ? "" : claim.comment()});
            }
        } catch (IOException e) {
            buffer.release();
            throw new UncheckedIOException(e);
        }
        FullHttpResponse response = response(HttpResponseStatus.OK, buffer);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        return response;
    }

    private static String time(long epochMillis) {
        return epochMillis == 0 ? "" : ApiJson.instant(epochMillis);
    }
}
