package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.HOUR;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.create;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.ids;
import static org.wishengine.wish.core.BookFixtures.remaining;
import static org.wishengine.wish.core.BookFixtures.updated;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every outcome of {@link Book#claim}. */
class BookClaimTest {

    private final Book book = new Book();
    private Campaign winter;

    @BeforeEach
    void setUp() {
        // perUserLimit 2 over three wishes
        winter = create(book, draft("winter", 2, 24, wish("radio", 1), wish("bags", 3), wish("books", 2)));
        create(book, draft("spring", 1, 24, wish("kite", 2), wish("bike", 1)));
    }

    @Test
    void shouldCreateClaimWhenOpen() {
        Outcome outcome = book.claim("bags", "alice", OPENS + 10);

        assertEquals(Result.CREATED, outcome.result());
        assertTrue(outcome.result().changesState());
        assertNull(outcome.campaign());
        assertNull(outcome.detail());
        Claim claim = outcome.claim();
        assertEquals(new Claim("cl-1", "bags", "winter", "alice", ClaimStatus.CLAIMED, OPENS + 10, 0, 0, 0, 0, 0, null),
                claim);
        assertEquals(claim, book.claim("cl-1"));
        assertEquals(2, remaining(book, "bags"));
        assertEquals(1, book.activeClaims("winter", "alice"));
        assertEquals(0, book.activeClaims("spring", "alice"));
        assertEquals(List.of(claim), book.claimsOf("alice"));
        assertEquals(List.of(claim), book.claimsOfCampaign("winter"));
        assertEquals(List.of(), book.claimsOfCampaign("spring"));
        assertEquals(5, book.campaign("winter").remaining());
    }

    @Test
    void shouldAcceptClaimExactlyAtOpening() {
        Outcome outcome = book.claim("radio", "alice", OPENS);

        assertEquals(Result.CREATED, outcome.result());
        assertEquals(OPENS, outcome.claim().claimedAt());
    }

    @Test
    void shouldRefuseClaimBeforeOpening() {
        Stats before = book.stats();

        Outcome outcome = book.claim("radio", "alice", OPENS - 1);

        assertEquals(Result.NOT_OPEN, outcome.result());
        assertFalse(outcome.result().changesState());
        assertNull(outcome.claim());
        assertEquals(winter, outcome.campaign());
        assertEquals(OPENS, outcome.campaign().opensAt());
        assertEquals(1, remaining(book, "radio"));
        assertEquals(0, book.activeClaims("winter", "alice"));
        assertEquals(List.of(), book.claimsOf("alice"));
        assertEquals(before, book.stats());
    }

    @Test
    void shouldRefuseClaimBeforeOpeningOfALaterCampaignWhileAnotherIsOpen() {
        Campaign later = create(book, draft("later", OPENS + 2 * HOUR, 1, 24, wish("late-wish", 1)));
        claimed(book, "radio", "alice", OPENS + HOUR);

        Outcome outcome = book.claim("late-wish", "alice", OPENS + HOUR);

        assertEquals(Result.NOT_OPEN, outcome.result());
        assertEquals(later, outcome.campaign());
        assertEquals(Result.CREATED, book.claim("late-wish", "alice", OPENS + 2 * HOUR).result());
    }

    @Test
    void shouldReturnNotFoundForUnknownWish() {
        Outcome outcome = book.claim("no-such-wish", "alice", OPENS);

        assertSame(Outcome.NOT_FOUND, outcome);
        assertEquals(Result.NOT_FOUND, outcome.result());
        assertNull(outcome.claim());
        assertEquals(List.of(), book.claimsOf("alice"));
    }

    @Test
    void shouldReturnTheSameClaimUnchangedOnRepeat() {
        Claim first = claimed(book, "bags", "alice", OPENS);

        Outcome again = book.claim("bags", "alice", OPENS + HOUR);

        assertEquals(Result.REPEAT, again.result());
        assertFalse(again.result().changesState());
        assertEquals(first, again.claim());
        assertEquals(OPENS, again.claim().claimedAt());
        assertEquals(2, remaining(book, "bags"));
        assertEquals(1, book.activeClaims("winter", "alice"));
        assertEquals(List.of(first), book.claimsOf("alice"));
        assertEquals(1, book.stats().claimed());
    }

    @Test
    void shouldRepeatRatherThanSellOutForTheHolderOfTheLastUnit() {
        Claim held = claimed(book, "radio", "alice", OPENS);

        assertEquals(Result.SOLD_OUT, book.claim("radio", "bob", OPENS).result());
        Outcome again = book.claim("radio", "alice", OPENS);

        assertEquals(Result.REPEAT, again.result());
        assertEquals(held, again.claim());
    }

    @Test
    void shouldRepeatRatherThanRefuseAtTheLimit() {
        Claim radio = claimed(book, "radio", "alice", OPENS);
        claimed(book, "bags", "alice", OPENS);

        Outcome again = book.claim("radio", "alice", OPENS);

        assertEquals(Result.REPEAT, again.result());
        assertEquals(radio, again.claim());
    }

    @Test
    void shouldRepeatWithTheCurrentStatusOfAFulfilledOrConfirmedClaim() {
        Claim claim = claimed(book, "bags", "alice", OPENS);
        Claim fulfilled = updated(book.fulfil(claim.id(), "alice", OPENS + 1));

        assertEquals(fulfilled, book.claim("bags", "alice", OPENS + 2).claim());
        assertEquals(Result.REPEAT, book.claim("bags", "alice", OPENS + 2).result());

        Claim confirmed = updated(book.confirm(claim.id(), 5, "thanks", OPENS + 3));
        Outcome again = book.claim("bags", "alice", OPENS + 4);

        assertEquals(Result.REPEAT, again.result());
        assertEquals(confirmed, again.claim());
        assertEquals(ClaimStatus.CONFIRMED, again.claim().status());
    }

    @Test
    void shouldRefuseClaimWhenSoldOut() {
        claimed(book, "books", "alice", OPENS);
        claimed(book, "books", "bob", OPENS);
        Stats before = book.stats();

        Outcome outcome = book.claim("books", "carol", OPENS);

        assertSame(Outcome.SOLD_OUT, outcome);
        assertNull(outcome.claim());
        assertEquals(0, remaining(book, "books"));
        assertEquals(0, book.activeClaims("winter", "carol"));
        assertEquals(List.of(), book.claimsOf("carol"));
        assertEquals(before, book.stats());
    }

    @Test
    void shouldRefuseClaimBeyondThePerUserLimitAcrossWishesOfTheCampaign() {
        claimed(book, "radio", "alice", OPENS);
        claimed(book, "bags", "alice", OPENS);
        Stats before = book.stats();

        Outcome outcome = book.claim("books", "alice", OPENS);

        assertSame(Outcome.LIMIT_REACHED, outcome);
        assertNull(outcome.claim());
        assertEquals(2, remaining(book, "books"));
        assertEquals(2, book.activeClaims("winter", "alice"));
        assertEquals(2, book.claimsOf("alice").size());
        assertEquals(before, book.stats());
        // others are unaffected
        assertEquals(Result.CREATED, book.claim("books", "bob", OPENS).result());
    }

    @Test
    void shouldCountFulfilledAndConfirmedClaimsTowardsTheLimit() {
        Claim radio = claimed(book, "radio", "alice", OPENS);
        Claim bags = claimed(book, "bags", "alice", OPENS);
        updated(book.fulfil(radio.id(), "alice", OPENS + 1));
        updated(book.fulfil(bags.id(), null, OPENS + 1));
        updated(book.confirm(bags.id(), 4, null, OPENS + 2));

        assertEquals(Result.LIMIT_REACHED, book.claim("books", "alice", OPENS + 3).result());
    }

    @Test
    void shouldKeepLimitsPerCampaign() {
        claimed(book, "radio", "alice", OPENS);
        claimed(book, "bags", "alice", OPENS);

        Outcome spring = book.claim("kite", "alice", OPENS);

        assertEquals(Result.CREATED, spring.result());
        assertEquals("spring", spring.claim().campaignId());
        assertEquals(1, book.activeClaims("spring", "alice"));
        assertEquals(2, book.activeClaims("winter", "alice"));
        assertEquals(Result.LIMIT_REACHED, book.claim("bike", "alice", OPENS).result());
        assertEquals(Result.LIMIT_REACHED, book.claim("books", "alice", OPENS).result());
    }

    @Test
    void shouldNumberClaimsInOrderAcrossCampaigns() {
        Claim a = claimed(book, "radio", "alice", OPENS);
        Claim b = claimed(book, "kite", "bob", OPENS);
        book.claim("radio", "carol", OPENS); // sold out: no number used
        book.claim("missing", "carol", OPENS); // not found: no number used
        Claim c = claimed(book, "bags", "carol", OPENS);

        assertEquals(List.of("cl-1", "cl-2", "cl-3"), List.of(a.id(), b.id(), c.id()));
        assertEquals(List.of("cl-1", "cl-3"), ids(book.claimsOfCampaign("winter")));
        assertEquals(List.of("cl-2"), ids(book.claimsOfCampaign("spring")));
    }

    @Test
    void shouldListAUsersClaimsInTheOrderTheyWereMade() {
        Claim first = claimed(book, "bags", "alice", OPENS);
        Claim second = claimed(book, "kite", "alice", OPENS + 1);
        claimed(book, "bags", "bob", OPENS + 2);
        Claim third = claimed(book, "books", "alice", OPENS + 3);

        assertEquals(List.of(first, second, third), book.claimsOf("alice"));
        assertEquals(List.of("cl-1", "cl-3", "cl-4"), ids(book.claimsOfCampaign("winter")));
    }

    @Test
    void shouldGiveEveryUnitToADifferentUserUntilSoldOut() {
        for (int i = 0; i < 3; i++) {
            claimed(book, "bags", "user-" + i, OPENS);
        }

        assertEquals(0, remaining(book, "bags"));
        assertEquals(Result.SOLD_OUT, book.claim("bags", "user-3", OPENS).result());
        assertEquals(3, book.stats("winter").claimed());
        assertEquals(0, book.stats("spring").claimed());
        assertNotEquals(book.stats(), book.stats("winter"));
    }
}
