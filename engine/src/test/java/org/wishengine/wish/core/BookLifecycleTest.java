package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.HOUR;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.create;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.expire;
import static org.wishengine.wish.core.BookFixtures.ids;
import static org.wishengine.wish.core.BookFixtures.remaining;
import static org.wishengine.wish.core.BookFixtures.updated;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cancel, fulfil, confirm, expire; stats; the book's clock. */
class BookLifecycleTest {

    private static final long WINTER_WINDOW = 2 * HOUR;
    private static final long SPRING_WINDOW = HOUR;

    private final Book book = new Book();

    @BeforeEach
    void setUp() {
        create(book, draft("winter", 1, 2, wish("radio", 1), wish("bags", 3)));
        create(book, draft("spring", 2, 1, wish("kite", 2), wish("bike", 1)));
    }

    // ------------------------------------------------------------ cancel

    @Test
    void shouldCancelOwnClaimAndReturnTheUnitToThePool() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        Outcome outcome = book.cancel(claim.id(), "alice", OPENS + 5);

        assertEquals(Result.UPDATED, outcome.result());
        assertTrue(outcome.result().changesState());
        Claim cancelled = outcome.claim();
        assertEquals(new Claim(claim.id(), "radio", "winter", "alice", ClaimStatus.CANCELLED, OPENS, 0, 0, OPENS + 5, 0,
                0, null), cancelled);
        assertEquals(cancelled, book.claim(claim.id()));
        assertEquals(1, remaining(book, "radio"));
        assertEquals(0, book.activeClaims("winter", "alice"));
        assertEquals(List.of(cancelled), book.claimsOf("alice"));
        assertEquals(List.of(cancelled), book.claimsOfCampaign("winter"));
        assertEquals(0, book.stats("winter").claimed());
        assertEquals(1, book.stats("winter").cancelled());
        assertEquals(4, book.stats("winter").remaining());
        // the unit is really free: someone else can take it
        assertEquals(Result.CREATED, book.claim("radio", "bob", OPENS + 6).result());
    }

    @Test
    void shouldLetTheSameUserClaimAgainAfterCancellingWithANewClaim() {
        Claim first = claimed(book, "radio", "alice", OPENS);
        Claim cancelled = updated(book.cancel(first.id(), "alice", OPENS + 1));

        Outcome again = book.claim("radio", "alice", OPENS + 2);

        assertEquals(Result.CREATED, again.result());
        assertEquals("cl-2", again.claim().id());
        assertEquals(ClaimStatus.CLAIMED, again.claim().status());
        assertEquals(OPENS + 2, again.claim().claimedAt());
        assertEquals(List.of(cancelled, again.claim()), book.claimsOf("alice"));
        assertEquals(1, book.activeClaims("winter", "alice"));
        assertEquals(0, remaining(book, "radio"));
        // and the repeat now answers with the new claim
        assertEquals(again.claim(), book.claim("radio", "alice", OPENS + 3).claim());
    }

    @Test
    void shouldLowerThePerUserCountWhenCancelling() {
        Claim radio = claimed(book, "radio", "alice", OPENS);
        assertEquals(Result.LIMIT_REACHED, book.claim("bags", "alice", OPENS).result());

        updated(book.cancel(radio.id(), "alice", OPENS + 1));

        assertEquals(0, book.activeClaims("winter", "alice"));
        assertEquals(Result.CREATED, book.claim("bags", "alice", OPENS + 2).result());
        assertEquals(1, book.activeClaims("winter", "alice"));
    }

    @Test
    void shouldForbidCancellingAnotherUsersClaim() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        Outcome outcome = book.cancel(claim.id(), "mallory", OPENS + 1);

        assertSame(Outcome.FORBIDDEN, outcome);
        assertFalse(outcome.result().changesState());
        assertNull(outcome.claim());
        assertEquals(claim, book.claim(claim.id()));
        assertEquals(0, remaining(book, "radio"));
        assertEquals(1, book.activeClaims("winter", "alice"));
    }

    @Test
    void shouldLetAnOrganiserCancelAnyClaim() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        Claim cancelled = updated(book.cancel(claim.id(), null, OPENS + 1));

        assertEquals(ClaimStatus.CANCELLED, cancelled.status());
        assertEquals("alice", cancelled.userId());
        assertEquals(1, remaining(book, "radio"));
        assertEquals(0, book.activeClaims("winter", "alice"));
    }

    @Test
    void shouldAnswerNotFoundWhenCancellingAnUnknownClaim() {
        assertSame(Outcome.NOT_FOUND, book.cancel("cl-404", "alice", OPENS));
        assertSame(Outcome.NOT_FOUND, book.cancel("cl-404", null, OPENS));
    }

    @Test
    void shouldNameAClaimOnlyByItsExactId() {
        // Ids reach the book from URL paths: "cl-01" once found cl-1, so one claim had many names.
        Claim claim = claimed(book, "bags", "alice", OPENS);
        assertEquals("cl-1", claim.id());
        for (String alias : new String[] {"cl-01", "cl-0001", "cl-+1", "cl--1", "cl-1 ", "CL-1", "cl-", "cl-0",
            "cl-0000000001", "%63l-1", "cl-1.0"}) {
            assertNull(book.claim(alias), alias);
            assertSame(Outcome.NOT_FOUND, book.cancel(alias, "alice", OPENS + 1), alias);
            assertSame(Outcome.NOT_FOUND, book.fulfil(alias, null, OPENS + 1), alias);
            assertSame(Outcome.NOT_FOUND, book.confirm(alias, 5, null, OPENS + 1), alias);
        }
        assertEquals(claim, book.claim("cl-1"), "the alias attempts changed nothing");
        assertEquals(2, remaining(book, "bags"));
    }

    @Test
    void shouldRefuseCancellingFromEveryStatusButClaimed() {
        assertRefusedFromEveryStatusBut(ClaimStatus.CLAIMED, (b, id) -> b.cancel(id, "alice", OPENS + 50));
        assertRefusedFromEveryStatusBut(ClaimStatus.CLAIMED, (b, id) -> b.cancel(id, null, OPENS + 50));
    }

    @Test
    void shouldForbidAnotherUserBeforeCheckingTheStatus() {
        Claim claim = claimed(book, "radio", "alice", OPENS);
        updated(book.cancel(claim.id(), "alice", OPENS + 1));

        assertSame(Outcome.FORBIDDEN, book.cancel(claim.id(), "mallory", OPENS + 2));
        assertSame(Outcome.FORBIDDEN, book.fulfil(claim.id(), "mallory", OPENS + 2));
    }

    // ------------------------------------------------------------ fulfil

    @Test
    void shouldFulfilOwnClaimKeepingTheUnit() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        Outcome outcome = book.fulfil(claim.id(), "alice", OPENS + 7);

        assertEquals(Result.UPDATED, outcome.result());
        Claim fulfilled = outcome.claim();
        assertEquals(new Claim(claim.id(), "radio", "winter", "alice", ClaimStatus.FULFILLED, OPENS, OPENS + 7, 0, 0, 0,
                0, null), fulfilled);
        assertEquals(fulfilled, book.claim(claim.id()));
        assertEquals(0, remaining(book, "radio"));
        assertEquals(1, book.activeClaims("winter", "alice"));
        assertEquals(List.of(fulfilled), book.claimsOf("alice"));
        Stats stats = book.stats("winter");
        assertEquals(0, stats.claimed());
        assertEquals(1, stats.fulfilled());
        assertEquals(3, stats.remaining());
    }

    @Test
    void shouldLetAnOrganiserFulfilAnyClaim() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        assertEquals(ClaimStatus.FULFILLED, updated(book.fulfil(claim.id(), null, OPENS + 1)).status());
    }

    @Test
    void shouldForbidFulfillingAnotherUsersClaim() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        assertSame(Outcome.FORBIDDEN, book.fulfil(claim.id(), "bob", OPENS + 1));
        assertEquals(claim, book.claim(claim.id()));
    }

    @Test
    void shouldAnswerNotFoundWhenFulfillingAnUnknownClaim() {
        assertSame(Outcome.NOT_FOUND, book.fulfil("cl-404", "alice", OPENS));
        assertSame(Outcome.NOT_FOUND, book.fulfil("cl-404", null, OPENS));
    }

    @Test
    void shouldRefuseFulfillingFromEveryStatusButClaimed() {
        assertRefusedFromEveryStatusBut(ClaimStatus.CLAIMED, (b, id) -> b.fulfil(id, "alice", OPENS + 50));
        assertRefusedFromEveryStatusBut(ClaimStatus.CLAIMED, (b, id) -> b.fulfil(id, null, OPENS + 50));
    }

    // ------------------------------------------------------------ confirm

    @Test
    void shouldConfirmAFulfilledClaimWithRatingAndComment() {
        Claim claim = claimed(book, "radio", "alice", OPENS);
        updated(book.fulfil(claim.id(), "alice", OPENS + 1));

        Outcome outcome = book.confirm(claim.id(), 5, "Grandma loves it", OPENS + 2);

        assertEquals(Result.UPDATED, outcome.result());
        Claim confirmed = outcome.claim();
        assertEquals(new Claim(claim.id(), "radio", "winter", "alice", ClaimStatus.CONFIRMED, OPENS, OPENS + 1,
                OPENS + 2, 0, 0, 5, "Grandma loves it"), confirmed);
        assertEquals(confirmed, book.claim(claim.id()));
        assertEquals(0, remaining(book, "radio"));
        assertEquals(1, book.activeClaims("winter", "alice"));
        Stats stats = book.stats("winter");
        assertEquals(0, stats.fulfilled());
        assertEquals(1, stats.confirmed());
        assertEquals(1, stats.rated());
        assertEquals(1, stats.satisfied());
    }

    @Test
    void shouldConfirmWithoutAComment() {
        Claim claim = claimed(book, "radio", "alice", OPENS);
        updated(book.fulfil(claim.id(), "alice", OPENS + 1));

        Claim confirmed = updated(book.confirm(claim.id(), 1, null, OPENS + 2));

        assertEquals(1, confirmed.rating());
        assertNull(confirmed.comment());
    }

    @Test
    void shouldAnswerNotFoundWhenConfirmingAnUnknownClaim() {
        assertSame(Outcome.NOT_FOUND, book.confirm("cl-404", 5, "x", OPENS));
    }

    @Test
    void shouldRefuseConfirmingFromEveryStatusButFulfilled() {
        assertRefusedFromEveryStatusBut(ClaimStatus.FULFILLED, (b, id) -> b.confirm(id, 2, "again", OPENS + 50));
    }

    @Test
    void shouldNotOverwriteTheRatingOfAConfirmedClaim() {
        Claim claim = claimed(book, "radio", "alice", OPENS);
        updated(book.fulfil(claim.id(), "alice", OPENS + 1));
        Claim confirmed = updated(book.confirm(claim.id(), 5, "great", OPENS + 2));

        Outcome again = book.confirm(claim.id(), 1, "bad", OPENS + 3);

        assertEquals(Result.INVALID_STATE, again.result());
        assertEquals(confirmed, again.claim());
        assertEquals(confirmed, book.claim(claim.id()));
        assertEquals(1, book.stats().rated());
        assertEquals(1, book.stats().satisfied());
    }

    // ------------------------------------------------------------ expire

    @Test
    void shouldNotExpireBeforeTheWindowEnds() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        assertEquals(List.of(), expire(book, OPENS + WINTER_WINDOW - 1));

        assertEquals(claim, book.claim(claim.id()));
        assertEquals(0, remaining(book, "radio"));
    }

    @Test
    void shouldExpireExactlyAtTheEndOfTheWindow() {
        Claim claim = claimed(book, "radio", "alice", OPENS);

        List<Claim> changed = expire(book, OPENS + WINTER_WINDOW);

        Claim expired = new Claim(claim.id(), "radio", "winter", "alice", ClaimStatus.EXPIRED, OPENS, 0, 0, 0,
                OPENS + WINTER_WINDOW, 0, null);
        assertEquals(List.of(expired), changed);
        assertEquals(expired, book.claim(claim.id()));
        assertEquals(1, remaining(book, "radio"));
        assertEquals(0, book.activeClaims("winter", "alice"));
        assertEquals(List.of(expired), book.claimsOf("alice"));
        assertEquals(1, book.stats().expired());
        assertEquals(0, book.stats().claimed());
        assertEquals(book.stats().units(), book.stats().remaining());
    }

    @Test
    void shouldExpireSoonerByTheSpeedupOfASoakBook() {
        Book soak = new Book(3_600);
        create(soak, draft("winter", 1, 2, wish("radio", 1)));
        Claim claim = claimed(soak, "radio", "alice", OPENS);

        // two hours at 3,600 times: two seconds
        assertEquals(List.of(), expire(soak, OPENS + 1_999));
        assertEquals(List.of(claim.id()), ids(expire(soak, OPENS + 2_000)));
        assertEquals(1, remaining(soak, "radio"));
        assertEquals(2, soak.campaign("winter").campaign().fulfilWithinHours(),
                "the campaign still says what it was given");
    }

    @Test
    void shouldRefuseASpeedupBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Book(0));
    }

    @Test
    void shouldNotExpireFulfilledOrConfirmedClaims() {
        Claim fulfilled = updated(book.fulfil(claimed(book, "bags", "alice", OPENS).id(), "alice", OPENS + 1));
        Claim confirmedOne = claimed(book, "bags", "bob", OPENS);
        updated(book.fulfil(confirmedOne.id(), "bob", OPENS + 1));
        Claim confirmed = updated(book.confirm(confirmedOne.id(), 3, null, OPENS + 2));

        assertEquals(List.of(), expire(book, OPENS + 100 * HOUR));

        assertEquals(fulfilled, book.claim(fulfilled.id()));
        assertEquals(confirmed, book.claim(confirmed.id()));
        assertEquals(1, remaining(book, "bags"));
    }

    @Test
    void shouldSkipCancelledClaimsWhenExpiring() {
        Claim cancelled = updated(book.cancel(claimed(book, "bags", "alice", OPENS).id(), "alice", OPENS + 1));
        Claim later = claimed(book, "bags", "bob", OPENS + 2);

        List<Claim> changed = expire(book, OPENS + 2 + WINTER_WINDOW);

        assertEquals(List.of(later.id()), ids(changed));
        assertEquals(cancelled, book.claim(cancelled.id()));
        assertEquals(1, book.stats().cancelled());
        assertEquals(1, book.stats().expired());
        assertEquals(3, remaining(book, "bags"));
    }

    @Test
    void shouldExpireExactlyTheDueClaimsAcrossCampaigns() {
        Claim w1 = claimed(book, "bags", "alice", OPENS);
        Claim s1 = claimed(book, "kite", "alice", OPENS);
        Claim w2 = claimed(book, "bags", "bob", OPENS + HOUR);
        Claim s2 = claimed(book, "kite", "bob", OPENS + HOUR);
        Claim s3 = claimed(book, "bike", "bob", OPENS + HOUR + 1);
        Claim fulfilled = claimed(book, "radio", "carol", OPENS);
        updated(book.fulfil(fulfilled.id(), "carol", OPENS + 1));
        Claim cancelled = claimed(book, "bags", "dave", OPENS);
        updated(book.cancel(cancelled.id(), "dave", OPENS + 1));

        // winter window 2h, spring window 1h; at OPENS + 2h: w1 (2h old), s1 (2h), s2 (1h); not w2 (1h < 2h),
        // not s3 (1h - 1ms)
        List<Claim> changed = expire(book, OPENS + 2 * HOUR);

        assertEquals(List.of(w1.id(), s1.id(), s2.id()), ids(changed));
        for (Claim claim : changed) {
            assertEquals(ClaimStatus.EXPIRED, claim.status());
            assertEquals(OPENS + 2 * HOUR, claim.expiredAt());
            assertEquals(claim, book.claim(claim.id()));
        }
        assertEquals(ClaimStatus.CLAIMED, book.claim(w2.id()).status());
        assertEquals(ClaimStatus.CLAIMED, book.claim(s3.id()).status());

        List<Claim> next = expire(book, OPENS + 3 * HOUR);

        assertEquals(List.of(w2.id(), s3.id()), ids(next));
        assertEquals(5, book.stats().expired());
        assertEquals(1, book.stats().fulfilled());
        assertEquals(1, book.stats().cancelled());
        assertEquals(0, book.stats().claimed());
        assertEquals(book.stats().units() - 1, book.stats().remaining());
    }

    @Test
    void shouldExpireAClaimQueuedBehindAFulfilledOne() {
        Claim first = claimed(book, "bags", "alice", OPENS);
        updated(book.fulfil(first.id(), "alice", OPENS + 1));
        Claim second = claimed(book, "bags", "bob", OPENS + 2);

        assertEquals(List.of(second.id()), ids(expire(book, OPENS + 2 + WINTER_WINDOW)));
    }

    @Test
    void shouldAnnounceEachExpiredClaimWithTheUnitsLeftRightAfterIt() {
        Claim first = claimed(book, "bags", "alice", OPENS);
        Claim second = claimed(book, "bags", "bob", OPENS);
        int before = book.remaining("bags");

        Reply.Expiry expiry = book.expire(OPENS + WINTER_WINDOW);

        assertEquals(List.of(first.id(), second.id()), ids(expiry.expired()));
        assertEquals(List.of(
                new WishEvent(WishEvent.Type.RELEASED, "bags", first.campaignId(), first.id(), before + 1),
                new WishEvent(WishEvent.Type.RELEASED, "bags", second.campaignId(), second.id(), before + 2)),
                expiry.events());
        assertEquals(Reply.Expiry.NONE, book.expire(OPENS + WINTER_WINDOW), "nothing is left to expire");
    }

    @Test
    void shouldExpireEachClaimOnlyOnce() {
        claimed(book, "radio", "alice", OPENS);

        assertEquals(1, expire(book, OPENS + WINTER_WINDOW).size());
        assertEquals(List.of(), expire(book, OPENS + WINTER_WINDOW));
        assertEquals(List.of(), expire(book, OPENS + 10 * WINTER_WINDOW));
        assertEquals(1, book.stats().expired());
        assertEquals(1, remaining(book, "radio"));
    }

    @Test
    void shouldLetTheUserClaimAgainAfterExpiry() {
        Claim first = claimed(book, "radio", "alice", OPENS);
        Claim expired = expire(book, OPENS + WINTER_WINDOW).get(0);

        Outcome again = book.claim("radio", "alice", OPENS + WINTER_WINDOW + 1);

        assertEquals(Result.CREATED, again.result());
        assertEquals("cl-2", again.claim().id());
        assertEquals(List.of(expired, again.claim()), book.claimsOf("alice"));
        assertEquals(first.id(), expired.id());
        assertEquals(1, book.activeClaims("winter", "alice"));
    }

    @Test
    void shouldNotExpireOnAnEmptyBook() {
        assertEquals(List.of(), expire(new Book(), OPENS));
        assertEquals(List.of(), expire(book, OPENS + 1000 * HOUR));
    }

    // ------------------------------------------------------------ stats

    @Test
    void shouldCountStatsOverallAndPerCampaign() {
        // winter: radio(1) bags(3); spring: kite(2) bike(1) -> 7 units
        Claim a = claimed(book, "bags", "u1", OPENS);
        Claim b = claimed(book, "bags", "u2", OPENS);
        Claim c = claimed(book, "bags", "u3", OPENS);
        Claim d = claimed(book, "radio", "u4", OPENS);
        Claim e = claimed(book, "kite", "u1", OPENS);
        Claim f = claimed(book, "kite", "u2", OPENS);
        Claim g = claimed(book, "bike", "u3", OPENS + HOUR);
        for (Claim claim : List.of(a, b, c, e)) {
            updated(book.fulfil(claim.id(), claim.userId(), OPENS + 10));
        }
        updated(book.confirm(a.id(), 5, null, OPENS + 20));
        updated(book.confirm(b.id(), 4, "ok", OPENS + 20));
        updated(book.confirm(c.id(), 3, "meh", OPENS + 20));
        updated(book.confirm(e.id(), 1, "late", OPENS + 20));
        updated(book.cancel(d.id(), "u4", OPENS + 30));
        assertEquals(List.of(f.id()), ids(expire(book, OPENS + HOUR + 30)));
        Claim h = claimed(book, "radio", "u5", OPENS + HOUR + 40);
        assertEquals(ClaimStatus.CLAIMED, book.claim(g.id()).status());

        Stats winter = book.stats("winter");
        Stats spring = book.stats("spring");
        Stats all = book.stats();

        // campaigns, wishes, units, remaining, claimed, fulfilled, confirmed, cancelled, expired, rated, satisfied
        assertEquals(new Stats(1, 2, 4, 0, 1, 0, 3, 1, 0, 3, 2), winter);
        assertEquals(new Stats(1, 2, 3, 1, 1, 0, 1, 0, 1, 1, 0), spring);
        assertEquals(new Stats(2, 4, 7, 1, 2, 0, 4, 1, 1, 4, 2), all);
        assertEquals(2.0 / 3, winter.satisfaction(), 1e-12);
        assertEquals(0.0, spring.satisfaction(), 1e-12);
        assertEquals(0.5, all.satisfaction(), 1e-12);
        assertEquals(all.remaining(), book.campaign("winter").remaining() + book.campaign("spring").remaining());
        assertEquals(ClaimStatus.CLAIMED, h.status());
    }

    @Test
    void shouldCountFulfilledClaimsUntilConfirmed() {
        Claim a = claimed(book, "bags", "u1", OPENS);
        updated(book.fulfil(a.id(), "u1", OPENS + 1));

        assertEquals(1, book.stats().fulfilled());
        assertEquals(0, book.stats().rated());
        assertTrue(Double.isNaN(book.stats().satisfaction()));
        assertTrue(Double.isNaN(book.stats("spring").satisfaction()));
    }

    // ------------------------------------------------------------ clock

    @Test
    void shouldNeverStampEarlierThanAPreviousCommand() {
        Claim late = claimed(book, "bags", "alice", OPENS + 10 * HOUR);
        Claim early = claimed(book, "bags", "bob", OPENS + HOUR);

        assertEquals(OPENS + 10 * HOUR, early.claimedAt());
        Claim fulfilled = updated(book.fulfil(early.id(), "bob", OPENS));
        assertEquals(OPENS + 10 * HOUR, fulfilled.fulfilledAt());
        Claim confirmed = updated(book.confirm(early.id(), 4, null, OPENS + 2));
        assertEquals(OPENS + 10 * HOUR, confirmed.confirmedAt());
        Claim cancelled = updated(book.cancel(late.id(), "alice", OPENS + 3));
        assertEquals(OPENS + 10 * HOUR, cancelled.cancelledAt());
        Campaign campaign = create(book, draft(null, 1, 1, wish(null, 1)), OPENS);
        assertEquals(OPENS + 10 * HOUR, campaign.createdAt());
        // and time moves on normally afterwards
        assertEquals(OPENS + 11 * HOUR, claimed(book, "kite", "carol", OPENS + 11 * HOUR).claimedAt());
    }

    @Test
    void shouldListClaimsInSettlementOrderEvenWhenStampsDisagree() {
        Claim first = claimed(book, "bags", "alice", OPENS + 5);
        Claim second = claimed(book, "kite", "alice", OPENS + 1);
        Claim third = claimed(book, "bags", "bob", OPENS + 3);

        assertEquals(List.of(first, second), book.claimsOf("alice"));
        assertEquals(List.of(first, third), book.claimsOfCampaign("winter"));
        assertEquals(OPENS + 5, second.claimedAt());
        assertEquals(OPENS + 5, third.claimedAt());
    }

    @Test
    void shouldExpireByTheBookClockWhenTheTickIsStampedLate() {
        Claim old = claimed(book, "bags", "alice", OPENS);
        Claim recent = claimed(book, "bags", "bob", OPENS + WINTER_WINDOW);

        List<Claim> changed = expire(book, OPENS + HOUR);

        assertEquals(List.of(old.id()), ids(changed));
        assertEquals(OPENS + WINTER_WINDOW, changed.get(0).expiredAt());
        assertEquals(recent, book.claim(recent.id()));
    }

    // ------------------------------------------------------------ helpers

    /**
     * Puts a claim of alice's in each status and checks that {@code command} is refused with
     * INVALID_STATE (and the current claim) for every status but {@code allowed}, changing nothing.
     */
    private static void assertRefusedFromEveryStatusBut(ClaimStatus allowed, BiFunction<Book, String, Outcome> command) {
        for (ClaimStatus status : ClaimStatus.values()) {
            if (status == allowed) {
                continue;
            }
            Book fresh = new Book();
            create(fresh, draft("winter", 1, 2, wish("radio", 1)));
            Claim claim = inStatus(fresh, status);
            Stats before = fresh.stats();
            int remainingBefore = remaining(fresh, "radio");
            int activeBefore = fresh.activeClaims("winter", "alice");

            Outcome outcome = command.apply(fresh, claim.id());

            assertEquals(Result.INVALID_STATE, outcome.result(), () -> "from " + status);
            assertFalse(outcome.result().changesState());
            assertEquals(claim, outcome.claim(), () -> "from " + status);
            assertEquals(claim, fresh.claim(claim.id()), () -> "from " + status);
            assertEquals(before, fresh.stats(), () -> "from " + status);
            assertEquals(remainingBefore, remaining(fresh, "radio"));
            assertEquals(activeBefore, fresh.activeClaims("winter", "alice"));
        }
    }

    private static Claim inStatus(Book book, ClaimStatus status) {
        Claim claim = claimed(book, "radio", "alice", OPENS);
        return switch (status) {
            case CLAIMED -> claim;
            case FULFILLED -> updated(book.fulfil(claim.id(), "alice", OPENS + 1));
            case CONFIRMED -> {
                updated(book.fulfil(claim.id(), "alice", OPENS + 1));
                yield updated(book.confirm(claim.id(), 4, "fine", OPENS + 2));
            }
            case CANCELLED -> updated(book.cancel(claim.id(), "alice", OPENS + 1));
            case EXPIRED -> expire(book, OPENS + 2 * HOUR).get(0);
        };
    }
}
