package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.ClaimLifecycleSupport.ADMIN;
import static org.wishengine.wish.it.ClaimLifecycleSupport.TIMES;
import static org.wishengine.wish.it.ClaimLifecycleSupport.act;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertClaim;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertError;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertInvalidState;
import static org.wishengine.wish.it.ClaimLifecycleSupport.campaign;
import static org.wishengine.wish.it.ClaimLifecycleSupport.claim;
import static org.wishengine.wish.it.ClaimLifecycleSupport.get;
import static org.wishengine.wish.it.ClaimLifecycleSupport.millis;
import static org.wishengine.wish.it.ClaimLifecycleSupport.remaining;
import static org.wishengine.wish.it.GrabSupport.MAPPER;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The claim lifecycle over HTTP against a real Redis: every transition and every refusal of
 * section 6.9–6.12 of the API, the unit going back to the pool on cancel, the statistics, and the
 * CSV ledger. After every 200 the claim is read back from Redis ({@code wish:{c}:claims}) and must
 * match the answer exactly.
 */
@Timeout(60)
class LifecycleIT extends ClaimLifecycleSupport.ManualExpiryEngine {

    private static final String UNKNOWN = "cl-987654321";
    private static final String COLUMNS =
            "claimId,campaignId,wishId,userId,status,claimedAt,fulfilledAt,confirmedAt,cancelledAt,expiredAt,rating,comment";

    private String user(String id) {
        return harness.userToken(id);
    }

    @Test
    void claimerMovesTheirOwnClaimOthersAreForbiddenUnknownIsNotFoundWrongStatusConflicts() throws Exception {
        createCampaign(harness, campaign("lc-own", 3, 168, "lc-own-w", 2, 2));

        JsonNode a = claim(harness, "u1", "lc-own-w1", 201);
        assertEquals("claimed", a.path("status").asText());
        assertEquals("u1", a.path("userId").asText());
        assertTrue(a.has("claimedAt"), a::toString);
        for (String later : TIMES.subList(1, TIMES.size())) {
            assertFalse(a.has(later), () -> later + " must be absent on a new claim: " + a);
        }
        assertFalse(a.has("rating") || a.has("comment"), a::toString);
        redis.assertMatches(a);
        String aId = a.path("id").asText();

        // Reading: the claimer and the organiser may, another user may not.
        assertEquals(a, assertClaim(harness.get("/api/claims/" + aId, user("u1")), "claimed"));
        assertEquals(a, assertClaim(harness.get("/api/claims/" + aId, ADMIN), "claimed"));
        assertError(harness.get("/api/claims/" + aId, user("u2")), 403, "forbidden");

        // Another user may neither cancel nor fulfil it; nothing changes.
        assertError(act(harness, user("u2"), aId, "cancel", null), 403, "forbidden");
        assertError(act(harness, user("u2"), aId, "fulfil", null), 403, "forbidden");
        HttpResponse<String> anonymous = act(harness, null, aId, "cancel", null);
        assertError(anonymous, 401, "unauthorized");
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("CLAIMED", redis.get("lc-own", aId).path("status").asText());
        assertEquals(1, remaining(harness, "lc-own-w1"));

        // Unknown claims: 404 for everybody (checked before ownership), on every route.
        for (String credential : List.of(user("u1"), ADMIN)) {
            assertError(harness.get("/api/claims/" + UNKNOWN, credential), 404, "not_found");
            assertError(act(harness, credential, UNKNOWN, "cancel", null), 404, "not_found");
            assertError(act(harness, credential, UNKNOWN, "fulfil", null), 404, "not_found");
        }
        assertError(act(harness, ADMIN, UNKNOWN, "confirm", "{\"rating\":5}"), 404, "not_found");

        // claimed -> fulfilled by the claimer.
        JsonNode fulfilled = assertClaim(act(harness, user("u1"), aId, "fulfil", null), "fulfilled");
        assertEquals(aId, fulfilled.path("id").asText());
        assertEquals(a.path("claimedAt"), fulfilled.path("claimedAt"));
        assertTrue(millis(fulfilled, "fulfilledAt") >= millis(fulfilled, "claimedAt"), fulfilled::toString);
        assertFalse(fulfilled.has("cancelledAt") || fulfilled.has("confirmedAt") || fulfilled.has("expiredAt"),
                fulfilled::toString);
        redis.assertMatches(fulfilled);
        assertEquals(1, remaining(harness, "lc-own-w1"), "a fulfilled claim keeps its unit");

        // From fulfilled, neither fulfil nor cancel is allowed; the 409 names the status.
        assertInvalidState(act(harness, user("u1"), aId, "fulfil", null), "fulfilled");
        assertInvalidState(act(harness, user("u1"), aId, "cancel", null), "fulfilled");
        assertInvalidState(act(harness, ADMIN, aId, "cancel", null), "fulfilled");
        redis.assertMatches(fulfilled);

        // claimed -> cancelled by the claimer.
        JsonNode b = claim(harness, "u1", "lc-own-w2", 201);
        String bId = b.path("id").asText();
        assertNotEquals(aId, bId);
        redis.assertMatches(b);
        JsonNode cancelled = assertClaim(act(harness, user("u1"), bId, "cancel", null), "cancelled");
        assertTrue(millis(cancelled, "cancelledAt") >= millis(cancelled, "claimedAt"), cancelled::toString);
        assertFalse(cancelled.has("fulfilledAt") || cancelled.has("confirmedAt") || cancelled.has("expiredAt"),
                cancelled::toString);
        redis.assertMatches(cancelled);

        // Cancel is not idempotent; nothing leaves cancelled.
        assertInvalidState(act(harness, user("u1"), bId, "cancel", null), "cancelled");
        assertInvalidState(act(harness, user("u1"), bId, "fulfil", null), "cancelled");
        assertInvalidState(act(harness, ADMIN, bId, "fulfil", null), "cancelled");
        assertInvalidState(act(harness, ADMIN, bId, "confirm", "{\"rating\":5}"), "cancelled");
        // Ownership is decided before the state: another user still gets 403.
        assertError(act(harness, user("u2"), bId, "cancel", null), 403, "forbidden");
        redis.assertMatches(cancelled);

        // The claimer's own listing shows both, oldest first, in their current states.
        HttpResponse<String> mine = harness.get("/api/me/claims", user("u1"));
        assertEquals(200, mine.statusCode(), mine::body);
        JsonNode claims = json(mine).path("claims");
        assertEquals(2, claims.size(), mine::body);
        assertEquals(fulfilled, claims.get(0));
        assertEquals(cancelled, claims.get(1));
        assertEquals(0, json(harness.get("/api/me/claims", user("u2"))).path("claims").size());
        assertEquals(2, redis.count("lc-own"));
    }

    @Test
    void organiserMayReadCancelAndFulfilAnyClaim() throws Exception {
        createCampaign(harness, campaign("lc-org", 1, 168, "lc-org-w", 2));

        JsonNode c = claim(harness, "u1", "lc-org-w1", 201);
        JsonNode d = claim(harness, "u2", "lc-org-w1", 201);
        String cId = c.path("id").asText();
        String dId = d.path("id").asText();
        assertEquals(0, remaining(harness, "lc-org-w1"));

        assertEquals(c, assertClaim(harness.get("/api/claims/" + cId, ADMIN), "claimed"));

        JsonNode fulfilled = assertClaim(act(harness, ADMIN, cId, "fulfil", null), "fulfilled");
        assertEquals("u1", fulfilled.path("userId").asText(), "the claim stays the claimer's");
        redis.assertMatches(fulfilled);

        JsonNode cancelled = assertClaim(act(harness, ADMIN, dId, "cancel", null), "cancelled");
        assertEquals("u2", cancelled.path("userId").asText());
        redis.assertMatches(cancelled);
        assertEquals(1, remaining(harness, "lc-org-w1"), "the organiser's cancel returns the unit too");

        // The claimers see the organiser's transitions.
        assertEquals(fulfilled, assertClaim(harness.get("/api/claims/" + cId, user("u1")), "fulfilled"));
        assertEquals(cancelled, assertClaim(harness.get("/api/claims/" + dId, user("u2")), "cancelled"));

        // Wrong status for the organiser too.
        assertInvalidState(act(harness, ADMIN, cId, "cancel", null), "fulfilled");
        assertInvalidState(act(harness, ADMIN, cId, "fulfil", null), "fulfilled");
        assertInvalidState(act(harness, ADMIN, dId, "cancel", null), "cancelled");
        assertInvalidState(act(harness, ADMIN, dId, "fulfil", null), "cancelled");

        // Organisers cannot claim, and have no claims of their own.
        assertError(harness.post("/api/wishes/lc-org-w1/claims", ADMIN, null), 403, "forbidden");
        assertError(harness.get("/api/me/claims", ADMIN), 403, "forbidden");
        redis.assertMatches(fulfilled);
        redis.assertMatches(cancelled);
    }

    @Test
    void confirmIsForOrganisersOnlyFromFulfilledOnlyWithARatingFromOneToFive() throws Exception {
        createCampaign(harness, campaign("lc-conf", 2, 168, "lc-conf-w", 1, 1));
        JsonNode e = claim(harness, "u1", "lc-conf-w1", 201);
        String eId = e.path("id").asText();

        // Not from claimed: a claim cannot skip fulfilled.
        assertInvalidState(act(harness, ADMIN, eId, "confirm", "{\"rating\":5}"), "claimed");
        JsonNode fulfilled = assertClaim(act(harness, user("u1"), eId, "fulfil", null), "fulfilled");
        redis.assertMatches(fulfilled);

        // Organiser only: any user token is 403, the claimer's included; no credential is 401.
        assertError(act(harness, user("u1"), eId, "confirm", "{\"rating\":5}"), 403, "forbidden");
        assertError(act(harness, user("u2"), eId, "confirm", "{\"rating\":5}"), 403, "forbidden");
        assertError(act(harness, null, eId, "confirm", "{\"rating\":5}"), 401, "unauthorized");
        assertError(act(harness, "not-the-admin-token", eId, "confirm", "{\"rating\":5}"), 401, "unauthorized");

        // The rating must be a JSON integer 1..5.
        for (String body : List.of("{\"rating\":0}", "{\"rating\":6}", "{\"rating\":-1}", "{\"rating\":3.5}",
                "{\"rating\":4.0}", "{\"rating\":\"4\"}", "{\"rating\":null}", "{\"rating\":true}", "{}",
                "{\"comment\":\"no rating\"}", "{\"rating\":99999999999}")) {
            JsonNode error = assertError(act(harness, ADMIN, eId, "confirm", body), 400, "invalid_request");
            assertEquals("rating", error.path("field").asText(), () -> body + " -> " + error);
        }
        // Validation comes before the lookup: a bad rating on an unknown claim is 400, not 404.
        assertEquals("rating", assertError(act(harness, ADMIN, UNKNOWN, "confirm", "{\"rating\":9}"), 400,
                "invalid_request").path("field").asText());
        // The comment: a string of at most 2000 characters.
        for (String body : List.of("{\"rating\":5,\"comment\":42}", "{\"rating\":5,\"comment\":\"" + "x".repeat(2001) + "\"}")) {
            assertEquals("comment", assertError(act(harness, ADMIN, eId, "confirm", body), 400, "invalid_request")
                    .path("field").asText(), body);
        }
        redis.assertMatches(fulfilled); // none of the refusals changed anything

        // fulfilled -> confirmed, rating and comment stored.
        String comment = "Thank you — 谢谢! \"Perfect\", she said.";
        JsonNode confirmed = assertClaim(act(harness, ADMIN, eId, "confirm",
                MAPPER.createObjectNode().put("rating", 4).put("comment", comment).toString()), "confirmed");
        assertEquals(4, confirmed.path("rating").asInt());
        assertEquals(comment, confirmed.path("comment").asText());
        assertEquals(fulfilled.path("fulfilledAt"), confirmed.path("fulfilledAt"));
        assertTrue(millis(confirmed, "confirmedAt") >= millis(confirmed, "fulfilledAt"), confirmed::toString);
        JsonNode stored = redis.assertMatches(confirmed);
        assertEquals(comment, stored.path("comment").asText());
        assertEquals(confirmed, assertClaim(harness.get("/api/claims/" + eId, user("u1")), "confirmed"));

        // confirmed is final.
        assertInvalidState(act(harness, ADMIN, eId, "confirm", "{\"rating\":1}"), "confirmed");
        assertInvalidState(act(harness, user("u1"), eId, "cancel", null), "confirmed");
        assertInvalidState(act(harness, user("u1"), eId, "fulfil", null), "confirmed");
        assertInvalidState(act(harness, ADMIN, eId, "cancel", null), "confirmed");
        redis.assertMatches(confirmed);

        // Boundaries: 1 and 5 are fine; without a comment the member is absent.
        JsonNode f = claim(harness, "u2", "lc-conf-w1", 409 /* sold out: confirmed keeps its unit */);
        assertEquals("sold_out", f.path("error").asText());
        JsonNode g = claim(harness, "u2", "lc-conf-w2", 201);
        String gId = g.path("id").asText();
        assertClaim(act(harness, ADMIN, gId, "fulfil", null), "fulfilled");
        JsonNode rated1 = assertClaim(act(harness, ADMIN, gId, "confirm", "{\"rating\":1}"), "confirmed");
        assertEquals(1, rated1.path("rating").asInt());
        assertFalse(rated1.has("comment"), rated1::toString);
        redis.assertMatches(rated1);
        assertFalse(redis.get("lc-conf", gId).hasNonNull("comment"));
    }

    @Test
    void cancelReturnsTheUnitAtOnceAndLowersTheCancellersCount() throws Exception {
        createCampaign(harness, campaign("lc-pool", 1, 168, "lc-pool-w", 1, 1));

        JsonNode a = claim(harness, "u1", "lc-pool-w1", 201);
        String aId = a.path("id").asText();
        assertEquals(0, remaining(harness, "lc-pool-w1"));
        assertEquals("sold_out", claim(harness, "u2", "lc-pool-w1", 409).path("error").asText());
        assertEquals("limit_reached", claim(harness, "u1", "lc-pool-w2", 409).path("error").asText());

        redis.assertMatches(assertClaim(act(harness, user("u1"), aId, "cancel", null), "cancelled"));
        // At once: the very next read sees the unit back.
        assertEquals(1, remaining(harness, "lc-pool-w1"));
        assertEquals(2, get(harness, "/api/campaigns/lc-pool").path("remaining").asInt());

        // The canceller's count in the campaign dropped: the limit of 1 lets them claim again.
        JsonNode b = claim(harness, "u1", "lc-pool-w2", 201);
        redis.assertMatches(b);
        // Another user gets the returned unit.
        JsonNode c = claim(harness, "u2", "lc-pool-w1", 201);
        redis.assertMatches(c);
        assertEquals("sold_out", claim(harness, "u3", "lc-pool-w1", 409).path("error").asText());

        // The same user may grab the very unit they gave back, as a new claim.
        redis.assertMatches(assertClaim(act(harness, ADMIN, c.path("id").asText(), "cancel", null), "cancelled"));
        redis.assertMatches(assertClaim(act(harness, user("u1"), b.path("id").asText(), "cancel", null), "cancelled"));
        assertEquals(2, remaining(harness, "lc-pool-w1") + remaining(harness, "lc-pool-w2"));
        JsonNode again = claim(harness, "u1", "lc-pool-w1", 201);
        assertNotEquals(aId, again.path("id").asText(), "a grab after a cancel is a new claim");
        assertEquals("claimed", again.path("status").asText());
        redis.assertMatches(again);
        // ... and a repeat now yields that new claim, not the cancelled one.
        assertEquals(again, claim(harness, "u1", "lc-pool-w1", 200));
        assertEquals("CANCELLED", redis.get("lc-pool", aId).path("status").asText());
        assertEquals(4, redis.count("lc-pool"));
    }

    @Test
    void statsCountEveryStatusOverallAndPerCampaign() throws Exception {
        createCampaign(harness, campaign("st-a", 10, 168, "st-a-w", 10));
        createCampaign(harness, campaign("st-b", 10, 1, "st-b-w", 5));
        createCampaign(harness, campaign("st-c", 1, 168, "st-c-w", 1, 1));

        JsonNode empty = get(harness, "/api/stats");
        assertStats(empty, 3, 4, 17, 17, 0, 0, 0, 0, 0, 0);
        assertTrue(empty.get("satisfaction").isNull(), empty::toString);

        // st-a: three confirmed (5, 4, 2), one fulfilled, one cancelled, two claimed.
        List<String> a = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            a.add(claim(harness, "a" + i, "st-a-w1", 201).path("id").asText());
        }
        for (int i = 0; i < 4; i++) {
            assertClaim(act(harness, user("a" + (i + 1)), a.get(i), "fulfil", null), "fulfilled");
        }
        int[] ratings = {5, 4, 2};
        for (int i = 0; i < 3; i++) {
            redis.assertMatches(assertClaim(act(harness, ADMIN, a.get(i), "confirm", "{\"rating\":" + ratings[i] + "}"),
                    "confirmed"));
        }
        redis.assertMatches(assertClaim(act(harness, user("a5"), a.get(4), "cancel", null), "cancelled"));

        // st-b (1 hour to fulfil): one expires, one is confirmed (4), one is cancelled.
        String b1 = claim(harness, "b1", "st-b-w1", 201).path("id").asText();
        String b2 = claim(harness, "b2", "st-b-w1", 201).path("id").asText();
        String b3 = claim(harness, "b3", "st-b-w1", 201).path("id").asText();
        assertClaim(act(harness, user("b2"), b2, "fulfil", null), "fulfilled");
        assertClaim(act(harness, user("b3"), b3, "cancel", null), "cancelled");
        harness.clock().advance(Duration.ofHours(2));
        harness.engine().expireNow();
        redis.assertMatches(assertClaim(harness.get("/api/claims/" + b1, ADMIN), "expired"));
        redis.assertMatches(assertClaim(act(harness, ADMIN, b2, "confirm", "{\"rating\":4}"), "confirmed"));

        JsonNode statsA = get(harness, "/api/stats?campaign=st-a");
        assertStats(statsA, 1, 1, 10, 4, 2, 1, 3, 1, 0, 3);
        assertEquals(2.0 / 3, statsA.path("satisfaction").asDouble(), 1e-9, statsA::toString);

        JsonNode statsB = get(harness, "/api/stats?campaign=st-b");
        assertStats(statsB, 1, 1, 5, 4, 0, 0, 1, 1, 1, 1);
        assertEquals(1.0, statsB.path("satisfaction").asDouble(), 1e-9, statsB::toString);

        JsonNode statsC = get(harness, "/api/stats?campaign=st-c");
        assertStats(statsC, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0);
        assertTrue(statsC.get("satisfaction").isNull(), statsC::toString);

        JsonNode overall = get(harness, "/api/stats");
        assertStats(overall, 3, 4, 17, 10, 2, 1, 4, 2, 1, 4);
        assertEquals(0.75, overall.path("satisfaction").asDouble(), 1e-9, overall::toString);
        // Active claims = claimed + fulfilled + confirmed = units - remaining.
        assertEquals(overall.path("units").asLong() - overall.path("remaining").asLong(),
                overall.path("claimed").asLong() + overall.path("fulfilled").asLong() + overall.path("confirmed").asLong());

        // What Redis holds agrees status by status.
        assertEquals(Map.of("CONFIRMED", 3L, "FULFILLED", 1L, "CANCELLED", 1L, "CLAIMED", 2L), storedStatuses("st-a"));
        assertEquals(Map.of("EXPIRED", 1L, "CONFIRMED", 1L, "CANCELLED", 1L), storedStatuses("st-b"));

        assertError(harness.get("/api/stats?campaign=no-such-campaign", null), 404, "not_found");
        // An empty value counts as absent: the overall stats.
        assertEquals(overall, get(harness, "/api/stats?campaign="));

        // API 6.13: "The response does not repeat the campaign id."
        assertEquals("st-a", statsA.path("campaignId").asText(), () -> "per-campaign stats name their campaign: " + statsA);
    }

    @Test
    void csvLedgerParsesBackToExactlyTheJsonLedger() throws Exception {
        createCampaign(harness, campaign("csv-1", 5, 168, "csv-1-w", 3, 2));
        createCampaign(harness, campaign("csv-other", 5, 168, "csv-other-w", 1));
        String tricky = " \"Radio\", she said, \"works!\"\nSecond line; with, commas\tand a tab — 谢谢 ";

        String c1 = claim(harness, "u1", "csv-1-w1", 201).path("id").asText();
        String c2 = claim(harness, "u2", "csv-1-w1", 201).path("id").asText();
        String c3 = claim(harness, "u3", "csv-1-w2", 201).path("id").asText();
        claim(harness, "u4", "csv-1-w2", 201);
        String c5 = claim(harness, "u.five@example", "csv-1-w1", 201).path("id").asText();
        claim(harness, "u1", "csv-other-w1", 201);

        assertClaim(act(harness, user("u1"), c1, "fulfil", null), "fulfilled");
        redis.assertMatches(assertClaim(act(harness, ADMIN, c1, "confirm",
                MAPPER.createObjectNode().put("rating", 5).put("comment", tricky).toString()), "confirmed"));
        redis.assertMatches(assertClaim(act(harness, user("u2"), c2, "cancel", null), "cancelled"));
        redis.assertMatches(assertClaim(act(harness, user("u3"), c3, "fulfil", null), "fulfilled"));
        assertClaim(act(harness, ADMIN, c5, "fulfil", null), "fulfilled");
        redis.assertMatches(assertClaim(act(harness, ADMIN, c5, "confirm", "{\"rating\":3}"), "confirmed"));

        HttpResponse<String> csv = harness.get("/api/campaigns/csv-1/claims?format=csv", ADMIN);
        assertEquals(200, csv.statusCode(), csv::body);
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(null));
        String text = csv.body();
        assertTrue(text.startsWith(COLUMNS + "\n"), () -> "header row: " + text);
        assertTrue(text.endsWith("\n"), "lines end in \\n");
        assertFalse(text.contains("\r"), "lines end in \\n, not \\r\\n");

        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class).with(schema)
                .readValues(text)) {
            rows = it.readAll();
        }
        JsonNode ledger = json(harness.get("/api/campaigns/csv-1/claims", ADMIN)).path("claims");
        assertEquals(5, ledger.size(), ledger::toString);
        assertEquals(ledger.size(), rows.size(), text);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            JsonNode claim = ledger.get(i);
            assertEquals(List.of(COLUMNS.split(",")), List.copyOf(row.keySet()), "column order");
            assertEquals(claim.path("id").asText(), row.get("claimId"));
            assertEquals("csv-1", row.get("campaignId"));
            assertEquals(claim.path("wishId").asText(), row.get("wishId"));
            assertEquals(claim.path("userId").asText(), row.get("userId"));
            assertEquals(claim.path("status").asText(), row.get("status"));
            for (String field : TIMES) {
                assertEquals(claim.path(field).asText(""), row.get(field), field + " of " + row);
            }
            assertEquals(claim.has("rating") ? claim.get("rating").asText() : "", row.get("rating"));
            assertEquals(claim.has("comment") ? claim.get("comment").asText() : "", row.get("comment"));
            redis.assertMatches(claim);
        }
        assertEquals(c1, rows.get(0).get("claimId"));
        assertEquals(tricky, rows.get(0).get("comment"), "the comment round-trips exactly");
        assertEquals("5", rows.get(0).get("rating"));
        assertEquals("", rows.get(1).get("fulfilledAt"));
        assertEquals("cancelled", rows.get(1).get("status"));
        assertEquals("u.five@example", rows.get(4).get("userId"));
        assertEquals("", rows.get(4).get("comment"));

        // The format value is case-insensitive; anything else gives JSON.
        assertEquals(text, harness.get("/api/campaigns/csv-1/claims?format=CSV", ADMIN).body());
        HttpResponse<String> other = harness.get("/api/campaigns/csv-1/claims?format=xml", ADMIN);
        assertEquals(ledger, json(other).path("claims"));
        // Organisers only; unknown campaign is 404.
        assertError(harness.get("/api/campaigns/csv-1/claims?format=csv", user("u1")), 403, "forbidden");
        assertError(harness.get("/api/campaigns/csv-1/claims?format=csv", null), 401, "unauthorized");
        assertError(harness.get("/api/campaigns/no-such/claims?format=csv", ADMIN), 404, "not_found");
    }

    @Test
    void csvQuotesOnlyValuesWithACommaQuoteOrLineBreak() throws Exception {
        createCampaign(harness, campaign("csv-plain", 1, 168, "csv-plain-w", 1));
        String id = claim(harness, "alice", "csv-plain-w1", 201).path("id").asText();
        assertClaim(act(harness, user("alice"), id, "fulfil", null), "fulfilled");
        JsonNode confirmed = assertClaim(act(harness, ADMIN, id, "confirm",
                "{\"rating\":5,\"comment\":\"She listens every morning\"}"), "confirmed");
        String text = harness.get("/api/campaigns/csv-plain/claims?format=csv", ADMIN).body();
        String expected = String.join(",", id, "csv-plain", "csv-plain-w1", "alice", "confirmed",
                confirmed.path("claimedAt").asText(), confirmed.path("fulfilledAt").asText(),
                confirmed.path("confirmedAt").asText(), "", "", "5", "She listens every morning");
        // API 6.4: "values quoted only when they contain a comma, quote or line break".
        assertEquals(COLUMNS + "\n" + expected + "\n", text);
    }

    private static void assertStats(JsonNode stats, long campaigns, long wishes, long units, long remaining,
                                    long claimed, long fulfilled, long confirmed, long cancelled, long expired,
                                    long rated) {
        String text = stats.toString();
        assertEquals(campaigns, stats.path("campaigns").asLong(-1), "campaigns in " + text);
        assertEquals(wishes, stats.path("wishes").asLong(-1), "wishes in " + text);
        assertEquals(units, stats.path("units").asLong(-1), "units in " + text);
        assertEquals(remaining, stats.path("remaining").asLong(-1), "remaining in " + text);
        assertEquals(claimed, stats.path("claimed").asLong(-1), "claimed in " + text);
        assertEquals(fulfilled, stats.path("fulfilled").asLong(-1), "fulfilled in " + text);
        assertEquals(confirmed, stats.path("confirmed").asLong(-1), "confirmed in " + text);
        assertEquals(cancelled, stats.path("cancelled").asLong(-1), "cancelled in " + text);
        assertEquals(expired, stats.path("expired").asLong(-1), "expired in " + text);
        assertEquals(rated, stats.path("rated").asLong(-1), "rated in " + text);
        assertTrue(stats.has("satisfaction"), "satisfaction is always present: " + text);
    }

    private Map<String, Long> storedStatuses(String campaignId) throws IOException, InterruptedException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (JsonNode claim : GrabSupport.redisClaims(harness.redis().uri(), campaignId).values()) {
            counts.merge(claim.path("status").asText(), 1L, Long::sum);
        }
        return counts;
    }
}
