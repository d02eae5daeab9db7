package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.ClaimLifecycleSupport.ADMIN;
import static org.wishengine.wish.it.ClaimLifecycleSupport.act;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertClaim;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertInvalidState;
import static org.wishengine.wish.it.ClaimLifecycleSupport.campaign;
import static org.wishengine.wish.it.ClaimLifecycleSupport.claim;
import static org.wishengine.wish.it.ClaimLifecycleSupport.get;
import static org.wishengine.wish.it.ClaimLifecycleSupport.millis;
import static org.wishengine.wish.it.ClaimLifecycleSupport.remaining;
import static org.wishengine.wish.it.GrabSupport.createCampaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Claim expiry (API 6.14) driven by the harness's adjustable clock: the tests never sleep. The
 * periodic tick is an hour away (see the base class), so only the start-up tick and
 * {@code expireNow()} run.
 */
@Timeout(60)
class ExpiryIT extends ClaimLifecycleSupport.ManualExpiryEngine {

    private static final long HOUR = Duration.ofHours(1).toMillis();

    private JsonNode readAs(String claimId, String status) throws Exception {
        return assertClaim(harness.get("/api/claims/" + claimId, ADMIN), status);
    }

    @Test
    void claimStillClaimedAfterTheWindowExpiresAndItsUnitComesBack() throws Exception {
        createCampaign(harness, campaign("ex-1", 1, 1, "ex-1-w", 1, 1));
        JsonNode a = claim(harness, "u1", "ex-1-w1", 201);
        String aId = a.path("id").asText();
        JsonNode b = claim(harness, "u2", "ex-1-w2", 201);
        String bId = b.path("id").asText();
        assertClaim(act(harness, harness.userToken("u2"), bId, "fulfil", null), "fulfilled");
        assertEquals(0, remaining(harness, "ex-1-w1"));

        // Inside the window nothing happens.
        harness.clock().advance(Duration.ofMinutes(40));
        harness.engine().expireNow();
        readAs(aId, "claimed");
        assertEquals("CLAIMED", redis.get("ex-1", aId).path("status").asText());
        assertEquals(0, remaining(harness, "ex-1-w1"));
        assertClaim(harness.get("/api/claims/" + aId, harness.userToken("u1")), "claimed");

        // Past fulfilWithinHours (1 h) the tick expires it.
        harness.clock().advance(Duration.ofMinutes(21));
        harness.engine().expireNow();
        JsonNode expired = readAs(aId, "expired");
        assertTrue(expired.has("expiredAt"), expired::toString);
        assertEquals(a.path("claimedAt"), expired.path("claimedAt"));
        assertTrue(millis(expired, "expiredAt") >= millis(expired, "claimedAt") + HOUR, expired::toString);
        assertFalse(expired.has("cancelledAt") || expired.has("fulfilledAt") || expired.has("confirmedAt"),
                expired::toString);
        JsonNode stored = redis.assertMatches(expired);
        assertEquals("EXPIRED", stored.path("status").asText());

        // The unit is back, and the claimer's count in the campaign dropped.
        assertEquals(1, remaining(harness, "ex-1-w1"));
        assertEquals(1, get(harness, "/api/campaigns/ex-1").path("remaining").asInt());
        JsonNode stats = get(harness, "/api/stats?campaign=ex-1");
        assertEquals(1, stats.path("expired").asLong(), stats::toString);
        assertEquals(0, stats.path("claimed").asLong(), stats::toString);
        assertEquals(1, stats.path("fulfilled").asLong(), stats::toString);
        assertEquals(1, get(harness, "/api/stats").path("expired").asLong());

        // The fulfilled claim did not expire.
        JsonNode fulfilled = readAs(bId, "fulfilled");
        redis.assertMatches(fulfilled);
        assertFalse(fulfilled.has("expiredAt"), fulfilled::toString);

        // expired is final.
        assertInvalidState(act(harness, harness.userToken("u1"), aId, "fulfil", null), "expired");
        assertInvalidState(act(harness, harness.userToken("u1"), aId, "cancel", null), "expired");
        assertInvalidState(act(harness, ADMIN, aId, "confirm", "{\"rating\":5}"), "expired");

        // Anyone, the same user included, may grab the unit again (limit 1 per campaign: u1's count is 0).
        JsonNode again = claim(harness, "u1", "ex-1-w1", 201);
        assertNotEquals(aId, again.path("id").asText());
        redis.assertMatches(again);
        assertEquals("EXPIRED", redis.get("ex-1", aId).path("status").asText());

        // A later tick changes nothing that is already settled; the new claim has its own window.
        harness.clock().advance(Duration.ofMinutes(59));
        harness.engine().expireNow();
        readAs(again.path("id").asText(), "claimed");
        assertEquals(expired, readAs(aId, "expired"));
        assertEquals(fulfilled, readAs(bId, "fulfilled"));
    }

    @Test
    void fulfilledAndConfirmedClaimsNeverExpire() throws Exception {
        createCampaign(harness, campaign("ex-2", 2, 1, "ex-2-w", 2));
        String f = claim(harness, "u1", "ex-2-w1", 201).path("id").asText();
        String c = claim(harness, "u2", "ex-2-w1", 201).path("id").asText();
        assertClaim(act(harness, harness.userToken("u1"), f, "fulfil", null), "fulfilled");
        assertClaim(act(harness, ADMIN, c, "fulfil", null), "fulfilled");
        assertClaim(act(harness, ADMIN, c, "confirm", "{\"rating\":5}"), "confirmed");

        harness.clock().advance(Duration.ofDays(30));
        harness.engine().expireNow();

        redis.assertMatches(readAs(f, "fulfilled"));
        redis.assertMatches(readAs(c, "confirmed"));
        assertEquals(0, remaining(harness, "ex-2-w1"));
        assertEquals(0, get(harness, "/api/stats").path("expired").asLong());
        // A claim fulfilled late is still confirmable.
        assertClaim(act(harness, ADMIN, f, "confirm", "{\"rating\":3}"), "confirmed");
    }

    @Test
    void claimThatRanOutWhileTheEngineWasDownExpiresAtStartUp() throws Exception {
        createCampaign(harness, campaign("ex-3", 1, 1, "ex-3-w", 1, 1));
        JsonNode a = claim(harness, "u1", "ex-3-w1", 201);
        String aId = a.path("id").asText();
        String bId = claim(harness, "u2", "ex-3-w2", 201).path("id").asText();

        harness.stopEngine();
        harness.clock().advance(Duration.ofMinutes(90));
        harness.startEngine();

        // No expireNow(): the start-up tick did it, before any request was answered.
        JsonNode expired = readAs(aId, "expired");
        readAs(bId, "expired");
        assertTrue(millis(expired, "expiredAt") >= millis(a, "claimedAt") + HOUR, expired::toString);
        redis.assertMatches(expired);
        assertEquals(1, remaining(harness, "ex-3-w1"));
        assertEquals(1, remaining(harness, "ex-3-w2"));
        assertEquals(2, get(harness, "/api/stats?campaign=ex-3").path("expired").asLong());
        claim(harness, "u3", "ex-3-w1", 201);
    }

    @Test
    void restartInTheMiddleOfTheLifecycleKeepsStatusesAndTimers() throws Exception {
        createCampaign(harness, campaign("ex-4", 5, 1, "ex-4-w", 5));
        String claimed = claim(harness, "u1", "ex-4-w1", 201).path("id").asText();
        String fulfilled = claim(harness, "u2", "ex-4-w1", 201).path("id").asText();
        String confirmed = claim(harness, "u3", "ex-4-w1", 201).path("id").asText();
        String cancelled = claim(harness, "u4", "ex-4-w1", 201).path("id").asText();
        assertClaim(act(harness, harness.userToken("u2"), fulfilled, "fulfil", null), "fulfilled");
        assertClaim(act(harness, harness.userToken("u3"), confirmed, "fulfil", null), "fulfilled");
        assertClaim(act(harness, ADMIN, confirmed, "confirm", "{\"rating\":4,\"comment\":\"ok\"}"), "confirmed");
        assertClaim(act(harness, harness.userToken("u4"), cancelled, "cancel", null), "cancelled");
        JsonNode claimedBefore = readAs(claimed, "claimed");

        // 40 minutes into the hour, restart.
        harness.clock().advance(Duration.ofMinutes(40));
        harness.stopEngine();
        harness.startEngine();
        assertEquals(claimedBefore, readAs(claimed, "claimed"), "the start-up tick must not expire it yet");
        readAs(fulfilled, "fulfilled");
        JsonNode confirmedAfter = readAs(confirmed, "confirmed");
        assertEquals("ok", confirmedAfter.path("comment").asText());
        readAs(cancelled, "cancelled");
        assertEquals(2, remaining(harness, "ex-4-w1"));
        // A claim made after the restart starts its own window.
        String late = claim(harness, "u5", "ex-4-w1", 201).path("id").asText();

        // 70 minutes after the first claims (30 after the restart): the timer kept its start.
        harness.clock().advance(Duration.ofMinutes(30));
        harness.engine().expireNow();
        JsonNode expired = readAs(claimed, "expired");
        redis.assertMatches(expired);
        redis.assertMatches(readAs(fulfilled, "fulfilled"));
        redis.assertMatches(readAs(confirmed, "confirmed"));
        redis.assertMatches(readAs(cancelled, "cancelled"));
        redis.assertMatches(readAs(late, "claimed"));
        assertEquals(2, remaining(harness, "ex-4-w1"));
        JsonNode stats = get(harness, "/api/stats?campaign=ex-4");
        assertEquals(1, stats.path("expired").asLong(), stats::toString);
        assertEquals(1, stats.path("cancelled").asLong(), stats::toString);
        assertEquals(1, stats.path("claimed").asLong(), stats::toString);

        // And the post-restart claim expires on its own schedule.
        harness.clock().advance(Duration.ofMinutes(31));
        harness.engine().expireNow();
        redis.assertMatches(readAs(late, "expired"));
        assertEquals(3, remaining(harness, "ex-4-w1"));
    }
}
