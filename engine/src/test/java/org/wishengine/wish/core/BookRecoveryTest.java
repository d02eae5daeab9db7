package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
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
import static org.wishengine.wish.core.BookStateAssertions.assertSameState;
import static org.wishengine.wish.core.BookStateAssertions.campaignsOf;
import static org.wishengine.wish.core.BookStateAssertions.claimsOf;
import static org.wishengine.wish.core.BookStateAssertions.recover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** restore(campaign), restore(claim), recovered(): a restarted book equals the one before. */
class BookRecoveryTest {

    private static final long LAST_EVENT = OPENS + 5 * HOUR + 1;

    private Book original;

    @BeforeEach
    void setUp() {
        original = scenario();
    }

    /**
     * Three campaigns (one with assigned ids, one opening later) and claims in every status,
     * including cancel-and-reclaim and expire-and-reclaim of the same wish by the same user and
     * several claims stamped in the same millisecond.
     */
    static Book scenario() {
        Book book = new Book();
        create(book, draft("winter", 2, 2, wish("radio", 1), wish("bags", 3), wish("books", 2)), BEFORE);
        create(book, draft(null, 1, 1, wish(null, 2), wish(null, 1)), BEFORE + 1); // c-1: w-1, w-2
        create(book, draft("later", OPENS + 5 * HOUR, 1, 3, wish("late", 2)), BEFORE + 2);

        Claim a1 = claimed(book, "radio", "alice", OPENS); // cl-1: confirmed, rated 5
        Claim b1 = claimed(book, "bags", "bob", OPENS); // cl-2: cancelled
        claimed(book, "w-1", "carol", OPENS); // cl-3: expired
        Claim a2 = claimed(book, "w-2", "alice", OPENS); // cl-4: fulfilled
        claimed(book, "bags", "dave", OPENS + 10); // cl-5: claimed
        updated(book.fulfil(a1.id(), "alice", OPENS + 20));
        updated(book.confirm(a1.id(), 5, "lovely", OPENS + 30));
        updated(book.cancel(b1.id(), "bob", OPENS + 40));
        claimed(book, "bags", "bob", OPENS + 50); // cl-6: claimed again after cancelling
        updated(book.fulfil(a2.id(), "alice", OPENS + 60));
        Claim e1 = claimed(book, "books", "erin", OPENS + 70); // cl-7: confirmed, rated 2
        updated(book.fulfil(e1.id(), null, OPENS + 80));
        updated(book.confirm(e1.id(), 2, "broken", OPENS + 90));
        assertEquals(List.of("cl-3"), ids(expire(book, OPENS + HOUR)));
        claimed(book, "w-1", "carol", OPENS + HOUR + 1); // cl-8: claimed again after expiry
        claimed(book, "late", "frank", OPENS + 5 * HOUR); // cl-9
        claimed(book, "books", "carol", OPENS + 5 * HOUR); // cl-10, same millisecond
        Claim g1 = claimed(book, "w-1", "gina", OPENS + 5 * HOUR + 1); // cl-11: cancelled by an organiser
        updated(book.cancel(g1.id(), null, LAST_EVENT));
        return book;
    }

    @Test
    void shouldHaveAScenarioWithEveryStatus() {
        TreeSet<ClaimStatus> statuses = new TreeSet<>();
        for (Claim claim : claimsOf(original)) {
            statuses.add(claim.status());
        }
        assertEquals(new TreeSet<>(List.of(ClaimStatus.values())), statuses);
        assertEquals(11, claimsOf(original).size());
    }

    @Test
    void shouldRecoverTheSameStateFromShuffledCampaignsAndClaims() {
        for (int seed = 0; seed < 25; seed++) {
            Book fresh = recover(original, new Random(seed));

            assertSameState(original, fresh);
        }
    }

    @Test
    void shouldRecoverRemainingUnitsActiveCountsAndStats() {
        Book fresh = recover(original, new Random(42));

        assertEquals(0, remaining(fresh, "radio"));
        assertEquals(1, remaining(fresh, "bags"));
        assertEquals(0, remaining(fresh, "books"));
        assertEquals(1, remaining(fresh, "w-1"));
        assertEquals(0, remaining(fresh, "w-2"));
        assertEquals(1, remaining(fresh, "late"));
        assertEquals(2, fresh.activeClaims("c-1", "alice") + fresh.activeClaims("winter", "alice"));
        assertEquals(1, fresh.activeClaims("winter", "bob"));
        assertEquals(1, fresh.activeClaims("winter", "carol"));
        assertEquals(1, fresh.activeClaims("c-1", "carol"));
        assertEquals(0, fresh.activeClaims("c-1", "gina"));
        // campaigns, wishes, units, remaining, claimed, fulfilled, confirmed, cancelled, expired, rated, satisfied
        assertEquals(new Stats(3, 6, 11, 3, 5, 1, 2, 2, 1, 2, 1), fresh.stats());
        assertEquals(new Stats(1, 3, 6, 1, 3, 0, 2, 1, 0, 2, 1), fresh.stats("winter"));
        assertEquals(original.stats(), fresh.stats());
    }

    @Test
    void shouldRecoverEachUsersClaimsInTheOrderTheyWereMade() {
        Book fresh = recover(original, new Random(7));

        assertEquals(List.of("cl-1", "cl-4"), ids(fresh.claimsOf("alice")));
        assertEquals(List.of("cl-2", "cl-6"), ids(fresh.claimsOf("bob")));
        assertEquals(List.of("cl-3", "cl-8", "cl-10"), ids(fresh.claimsOf("carol")));
        assertEquals(List.of("cl-1", "cl-2", "cl-5", "cl-6", "cl-7", "cl-10"), ids(fresh.claimsOfCampaign("winter")));
        assertEquals(List.of("cl-3", "cl-4", "cl-8", "cl-11"), ids(fresh.claimsOfCampaign("c-1")));
        assertEquals(original.claimsOf("carol"), fresh.claimsOf("carol"));
    }

    @Test
    void shouldOrderClaimsOfTheSameMillisecondByNumber() {
        Book many = new Book();
        List<WishSpec> specs = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            specs.add(wish("w" + i, 1));
        }
        create(many, new Campaign("c", "same ms", OPENS, 20, 1, 0, specs));
        for (int i = 1; i <= 12; i++) {
            claimed(many, "w" + i, "user", OPENS);
        }

        Book fresh = recover(many, new Random(3));

        // cl-2 < cl-10 by number, not as text
        assertEquals(List.of("cl-1", "cl-2", "cl-3", "cl-4", "cl-5", "cl-6", "cl-7", "cl-8", "cl-9", "cl-10", "cl-11",
                "cl-12"), ids(fresh.claimsOf("user")));
        assertEquals(ids(many.claimsOfCampaign("c")), ids(fresh.claimsOfCampaign("c")));
    }

    @Test
    void shouldContinueClaimIdsAboveTheRestoredOnes() {
        Book fresh = recover(original, new Random(11));

        Outcome next = fresh.claim("bags", "henry", OPENS + 6 * HOUR);

        assertEquals(Result.CREATED, next.result());
        assertEquals("cl-12", next.claim().id());
        assertEquals(original.claim("bags", "henry", OPENS + 6 * HOUR), next);
    }

    @Test
    void shouldContinueClaimIdsAboveTheHighestRestoredEvenIfItWasCancelled() {
        Book book = new Book();
        create(book, draft("c", 5, 1, wish("w", 5)));
        Claim first = claimed(book, "w", "a", OPENS);
        Claim last = claimed(book, "w", "b", OPENS + 1);
        updated(book.cancel(last.id(), "b", OPENS + 2));

        Book fresh = recover(book, new Random(5));

        assertEquals("cl-3", claimed(fresh, "w", "c", OPENS + 3).id());
        assertEquals("cl-1", first.id());
    }

    @Test
    void shouldContinueAssignedCampaignAndWishIds() {
        Book fresh = recover(original, new Random(13));

        Campaign inFresh = create(fresh, draft(null, 1, 1, wish(null, 1), wish(null, 1)), OPENS);
        Campaign inOriginal = create(original, draft(null, 1, 1, wish(null, 1), wish(null, 1)), OPENS);

        assertEquals("c-2", inFresh.id());
        assertEquals(List.of("w-3", "w-4"), inFresh.wishes().stream().map(WishSpec::id).toList());
        assertEquals(inOriginal, inFresh);
    }

    @Test
    void shouldNeverAssignAnIdThatAnExplicitRestoredIdLooksLike() {
        Book fresh = new Book();
        fresh.restore(new Campaign("c-9", "explicit", OPENS, 1, 1, BEFORE,
                List.of(wish("w-12", 1), wish("w-007", 1), wish("w-99999999999999999999", 1), wish("w-x1", 1))));
        fresh.restore(new Campaign("c-0004", "explicit", OPENS, 1, 1, BEFORE, List.of(wish("w-", 1))));
        fresh.recovered();

        Campaign assigned = create(fresh, draft(null, 1, 1, wish(null, 1)), BEFORE);

        assertEquals("c-10", assigned.id());
        assertEquals("w-13", assigned.wishes().get(0).id());
        assertEquals(Result.ALREADY_EXISTS, fresh.createCampaign(draft("c-9", 1, 1, wish("new", 1)), BEFORE).result());
        assertEquals(Result.ALREADY_EXISTS,
                fresh.createCampaign(draft("new", 1, 1, wish("w-007", 1)), BEFORE).result());
    }

    @Test
    void shouldStillExpireRestoredClaims() {
        Book fresh = recover(original, new Random(17));

        List<Claim> expiredOriginal = expire(original, OPENS + 6 * HOUR);
        List<Claim> expiredFresh = expire(fresh, OPENS + 6 * HOUR);

        // winter (2h): cl-5, cl-6; c-1 (1h): cl-8; not cl-10 (winter, 1h old) nor cl-9 (later, 3h)
        assertEquals(new TreeSet<>(List.of("cl-5", "cl-6", "cl-8")), new TreeSet<>(ids(expiredFresh)));
        assertEquals(new TreeSet<>(ids(expiredOriginal)), new TreeSet<>(ids(expiredFresh)));
        for (Claim claim : expiredFresh) {
            assertEquals(ClaimStatus.EXPIRED, claim.status());
            assertEquals(OPENS + 6 * HOUR, claim.expiredAt());
        }
        assertSameState(original, fresh);
        assertEquals(3, remaining(fresh, "bags"));
        assertEquals(0, fresh.activeClaims("winter", "bob"));
        assertEquals(Result.CREATED, fresh.claim("bags", "bob", OPENS + 6 * HOUR).result());
    }

    @Test
    void shouldExpireRestoredClaimsInClaimOrderWhateverTheRestoreOrder() {
        Book book = new Book();
        create(book, draft("c", 5, 2, wish("w", 5)));
        for (int i = 0; i < 5; i++) {
            claimed(book, "w", "user-" + i, OPENS + i * HOUR);
        }

        for (int i = 0; i < 30; i++) {
            int seed = i;
            Book fresh = recover(book, new Random(seed));

            // due: claimed at OPENS, OPENS+1h, OPENS+2h (window 2h); not OPENS+3h, OPENS+4h
            List<Claim> changed = expire(fresh, OPENS + 4 * HOUR);

            assertEquals(List.of("cl-1", "cl-2", "cl-3"), ids(changed), () -> "restore order seed " + seed);
            assertEquals(List.of("cl-4"), ids(expire(fresh, OPENS + 5 * HOUR)));
        }
    }

    @Test
    void shouldAnswerRepeatSoldOutAndLimitOnRestoredClaims() {
        Book fresh = recover(original, new Random(19));

        Outcome repeatConfirmed = fresh.claim("radio", "alice", OPENS + 6 * HOUR);
        assertEquals(Result.REPEAT, repeatConfirmed.result());
        assertEquals(original.claim("cl-1"), repeatConfirmed.claim());
        assertEquals(Result.REPEAT, fresh.claim("bags", "bob", OPENS + 6 * HOUR).result());
        assertEquals("cl-6", fresh.claim("bags", "bob", OPENS + 6 * HOUR).claim().id());
        assertEquals(Result.SOLD_OUT, fresh.claim("books", "zed", OPENS + 6 * HOUR).result());
        assertEquals(Result.LIMIT_REACHED, fresh.claim("w-1", "alice", OPENS + 6 * HOUR).result());
        // carol's expired claim cl-3 does not count, her new cl-8 does
        assertEquals(Result.REPEAT, fresh.claim("w-1", "carol", OPENS + 6 * HOUR).result());
        // winter limit 2: carol holds cl-10 only
        assertEquals(Result.CREATED, fresh.claim("bags", "carol", OPENS + 6 * HOUR).result());
        assertEquals(2, fresh.activeClaims("winter", "carol"));
        assertEquals(Result.SOLD_OUT, fresh.claim("bags", "zed", OPENS + 6 * HOUR).result());
    }

    @Test
    void shouldLetRestoredClaimsMoveOn() {
        Book fresh = recover(original, new Random(23));

        Claim cancelled = updated(fresh.cancel("cl-5", "dave", OPENS + 6 * HOUR));
        Claim fulfilled = updated(fresh.fulfil("cl-6", "bob", OPENS + 6 * HOUR));
        Claim confirmed = updated(fresh.confirm("cl-4", 4, "good", OPENS + 6 * HOUR));

        assertEquals(ClaimStatus.CANCELLED, cancelled.status());
        assertEquals(ClaimStatus.FULFILLED, fulfilled.status());
        assertEquals(ClaimStatus.CONFIRMED, confirmed.status());
        assertEquals(2, remaining(fresh, "bags"));
        assertEquals(Result.INVALID_STATE, fresh.cancel("cl-2", "bob", OPENS + 6 * HOUR).result());
        assertEquals(Result.INVALID_STATE, fresh.fulfil("cl-3", "carol", OPENS + 6 * HOUR).result());
        assertEquals(Result.FORBIDDEN, fresh.cancel("cl-8", "alice", OPENS + 6 * HOUR).result());
        assertEquals(3, fresh.stats().rated());
        assertEquals(2, fresh.stats().satisfied());
    }

    @Test
    void shouldKeepTheClockOfTheRestoredState() {
        Book fresh = recover(original, new Random(29));

        Claim late = claimed(fresh, "late", "henry", OPENS + 5 * HOUR);
        Campaign campaign = create(fresh, draft(null, 1, 1, wish(null, 1)), BEFORE);

        assertEquals(LAST_EVENT, late.claimedAt());
        assertEquals(LAST_EVENT, campaign.createdAt());
    }

    @Test
    void shouldTakeTheClockFromARestoredCampaign() {
        Book fresh = new Book();
        fresh.restore(new Campaign("c", "t", OPENS, 1, 1, OPENS + HOUR, List.of(wish("w", 1))));
        fresh.recovered();

        assertEquals(OPENS + HOUR, claimed(fresh, "w", "u", OPENS).claimedAt());
    }

    @Test
    void shouldIgnoreARestoredClaimOfAnUnknownWish() {
        Book fresh = new Book();
        fresh.restore(new Campaign("c", "t", OPENS, 1, 1, BEFORE, List.of(wish("w", 1))));
        Claim orphan = new Claim("cl-50", "gone", "c", "u", ClaimStatus.CLAIMED, OPENS, 0, 0, 0, 0, 0, null);

        assertFalse(fresh.restore(orphan));
        fresh.recovered();

        assertNull(fresh.claim("cl-50"));
        assertEquals(List.of(), fresh.claimsOf("u"));
        assertEquals(new Stats(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), fresh.stats());
        assertEquals("cl-1", claimed(fresh, "w", "u", OPENS).id());
    }

    @Test
    void shouldRecoverAnEmptyBook() {
        Book fresh = recover(new Book(), new Random(1));

        assertEquals(List.of(), fresh.campaigns());
        assertEquals(new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), fresh.stats());
        assertEquals(List.of(), expire(fresh, OPENS));
    }

    @Test
    void shouldRecoverTwiceInARow() {
        Book once = recover(original, new Random(31));
        Book twice = recover(once, new Random(37));

        assertSameState(original, twice);
        Outcome next = twice.claim("late", "henry", OPENS + 7 * HOUR);
        assertEquals("cl-12", next.claim().id());
        assertEquals(original.claim("late", "henry", OPENS + 7 * HOUR), next);
    }

    /**
     * The store reads campaigns back in its own (hash) order. Before a restart the book lists
     * campaigns, and wishes across campaigns, in creation order; after it they should come back in
     * the same order, or GET /api/campaigns and GET /api/wishes reorder on every restart.
     */
    @Test
    void shouldListCampaignsInCreationOrderAfterRecovery() {
        List<Campaign> campaigns = campaignsOf(original);
        List<Claim> claims = claimsOf(original);
        Collections.reverse(campaigns);
        Book fresh = new Book();
        campaigns.forEach(fresh::restore);
        claims.forEach(fresh::restore);
        fresh.recovered();

        assertEquals(List.of("winter", "c-1", "later"), campaignsOf(fresh).stream().map(Campaign::id).toList());
        assertEquals(original.campaigns(), fresh.campaigns());
        assertEquals(original.wishes(WishFilter.ALL), fresh.wishes(WishFilter.ALL));
        assertTrue(campaignsOf(original).get(0).createdAt() < campaignsOf(original).get(1).createdAt());
    }

    /**
     * Campaigns are stamped with the book clock, so two created in the same millisecond share a
     * createdAt; ordering by createdAt alone leaves them in the store's order. Assigned ids carry
     * their creation order (c-1 before c-2), so they can break the tie.
     */
    @Test
    void shouldListCampaignsCreatedInTheSameMillisecondInCreationOrderAfterRecovery() {
        Book book = new Book();
        for (int i = 0; i < 12; i++) {
            create(book, draft(null, 1, 1, wish(null, 1)), BEFORE);
        }
        List<String> created = campaignsOf(book).stream().map(Campaign::id).toList();
        List<Campaign> campaigns = campaignsOf(book);
        Collections.reverse(campaigns);
        Book fresh = new Book();
        campaigns.forEach(fresh::restore);
        fresh.recovered();

        assertEquals(created, campaignsOf(fresh).stream().map(Campaign::id).toList());
    }
}
