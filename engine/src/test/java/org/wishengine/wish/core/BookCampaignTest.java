package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.create;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Campaign creation (ids, conflicts) and the read side of the book. */
class BookCampaignTest {

    private final Book book = new Book();

    // ------------------------------------------------------------ createCampaign

    @Test
    void shouldCreateCampaignWithExplicitIds() {
        Campaign draft = draft("c-2026-12", 1, 168, wish("w-001", 1), wish("w-002", 10));

        Outcome outcome = book.createCampaign(draft, BEFORE);

        assertEquals(Result.CREATED, outcome.result());
        assertTrue(outcome.result().changesState());
        assertNull(outcome.claim());
        assertNull(outcome.detail());
        Campaign created = outcome.campaign();
        assertEquals("c-2026-12", created.id());
        assertEquals(List.of("w-001", "w-002"), created.wishes().stream().map(WishSpec::id).toList());
        assertEquals(draft.wishes(), created.wishes());
        assertEquals(BEFORE, created.createdAt());
        assertEquals(draft.title(), created.title());
        assertEquals(OPENS, created.opensAt());
        assertEquals(1, created.perUserLimit());
        assertEquals(168, created.fulfilWithinHours());
        assertEquals(11, created.units());
        assertEquals(List.of(new WishEvent(WishEvent.Type.CAMPAIGN, null, "c-2026-12", null, 11, draft.title(), OPENS)),
                outcome.events(), "watchers hear of the new campaign with its title, opening and units");
        assertEquals("campaign", outcome.events().get(0).type().wireName());

        CampaignView view = book.campaign("c-2026-12");
        assertEquals(created, view.campaign());
        assertEquals(11, view.remaining());
        assertEquals(List.of("w-001", "w-002"), view.wishes().stream().map(WishView::id).toList());
        assertEquals(10, book.wish("w-002").remaining());
        assertEquals("c-2026-12", book.wish("w-002").campaignId());
    }

    @Test
    void shouldAssignCampaignAndWishIdsWhenMissing() {
        Campaign first = create(book, draft(null, 1, 24, wish(null, 1), wish(null, 2)));
        Campaign second = create(book, draft(null, 1, 24, wish(null, 3)));

        assertEquals("c-1", first.id());
        assertEquals(List.of("w-1", "w-2"), first.wishes().stream().map(WishSpec::id).toList());
        assertEquals("c-2", second.id());
        assertEquals(List.of("w-3"), second.wishes().stream().map(WishSpec::id).toList());
        // everything but the id is kept
        assertEquals(wish(null, 1).withId("w-1"), first.wishes().get(0));
        assertEquals(wish(null, 2).withId("w-2"), first.wishes().get(1));
        assertEquals("c-2", book.wish("w-3").campaignId());
    }

    @Test
    void shouldAssignOnlyTheMissingIdsInAMixedDraft() {
        Campaign created = create(book, draft("winter", 1, 24, wish(null, 1), wish("radio", 1), wish(null, 1)));

        assertEquals("winter", created.id());
        assertEquals(List.of("w-1", "radio", "w-2"), created.wishes().stream().map(WishSpec::id).toList());
    }

    @Test
    void shouldNeverAssignAnIdTakenExplicitly() {
        create(book, draft("c-1", 1, 24, wish("w-1", 1), wish("w-2", 1)));
        create(book, draft("c-2", 1, 24, wish("w-4", 1)));

        Campaign assigned = create(book, draft(null, 1, 24, wish(null, 1), wish(null, 1), wish(null, 1)));

        assertEquals("c-3", assigned.id());
        assertEquals(List.of("w-3", "w-5", "w-6"), assigned.wishes().stream().map(WishSpec::id).toList());
        assertEquals(6, book.wishes(WishFilter.ALL).size());
        assertEquals(3, book.campaigns().size());
    }

    @Test
    void shouldNotAssignAnIdThatAppearsExplicitlyLaterInTheSameDraft() {
        Campaign created = create(book, draft(null, 1, 24, wish(null, 1), wish("w-1", 1), wish(null, 1), wish("w-3", 1)));

        List<String> wishIds = created.wishes().stream().map(WishSpec::id).toList();
        assertEquals(List.of("w-2", "w-1", "w-4", "w-3"), wishIds);
        assertEquals(4, new HashSet<>(wishIds).size());
        assertEquals(4, book.wishes(WishFilter.ALL).size());
    }

    @Test
    void shouldRefuseTakenCampaignId() {
        create(book, draft("c-x", 1, 24, wish("w-a", 1)));

        Outcome outcome = book.createCampaign(draft("c-x", 1, 24, wish("w-b", 1)), BEFORE);

        assertEquals(Result.ALREADY_EXISTS, outcome.result());
        assertEquals("c-x", outcome.detail());
        assertNull(outcome.campaign());
        assertEquals(List.of(), outcome.events(), "a refused creation announces nothing");
        assertNull(outcome.claim());
        assertNull(book.wish("w-b"));
        assertEquals(1, book.campaigns().size());
        assertEquals(1, book.stats().units());
    }

    @Test
    void shouldRefuseAnExplicitIdThatWasAssignedBefore() {
        create(book, draft(null, 1, 24, wish(null, 1)));

        Outcome campaignTaken = book.createCampaign(draft("c-1", 1, 24, wish("fresh", 1)), BEFORE);
        Outcome wishTaken = book.createCampaign(draft("fresh-campaign", 1, 24, wish("w-1", 1)), BEFORE);

        assertEquals(Result.ALREADY_EXISTS, campaignTaken.result());
        assertEquals("c-1", campaignTaken.detail());
        assertEquals(Result.ALREADY_EXISTS, wishTaken.result());
        assertEquals("w-1", wishTaken.detail());
        assertNull(book.campaign("fresh-campaign"));
        assertNull(book.wish("fresh"));
    }

    @Test
    void shouldRefuseWishIdTakenInAnotherCampaign() {
        create(book, draft("c-a", 1, 24, wish("w-shared", 1)));

        Outcome outcome = book.createCampaign(draft("c-b", 1, 24, wish("w-new", 1), wish("w-shared", 2)), BEFORE);

        assertEquals(Result.ALREADY_EXISTS, outcome.result());
        assertEquals("w-shared", outcome.detail());
        assertNull(outcome.campaign());
        assertNull(book.campaign("c-b"));
        assertNull(book.wish("w-new"));
        assertEquals("c-a", book.wish("w-shared").campaignId());
        assertEquals(1, book.wish("w-shared").spec().quantity());
        assertEquals(1, book.stats().wishes());
    }

    @Test
    void shouldRefuseWishIdRepeatedWithinTheDraft() {
        Outcome outcome = book.createCampaign(draft("c-a", 1, 24, wish("w-1", 1), wish("w-2", 1), wish("w-1", 1)), BEFORE);

        assertEquals(Result.ALREADY_EXISTS, outcome.result());
        assertEquals("w-1", outcome.detail());
        assertNull(book.campaign("c-a"));
        assertNull(book.wish("w-2"));
        assertEquals(0, book.stats().campaigns());
    }

    @Test
    void shouldNotConsumeAssignedNumbersOnARefusedDraft() {
        assertEquals(Result.ALREADY_EXISTS,
                book.createCampaign(draft(null, 1, 24, wish(null, 1), wish("dup", 1), wish("dup", 1)), BEFORE).result());

        Campaign created = create(book, draft(null, 1, 24, wish(null, 1)));

        assertEquals("c-1", created.id());
        assertEquals("w-1", created.wishes().get(0).id());
    }

    @Test
    void shouldStampCreationWithTheBookClockAndNeverTheSameTimeTwice() {
        Campaign first = create(book, draft(null, 1, 24, wish(null, 1)), BEFORE + 5_000);
        Campaign second = create(book, draft(null, 1, 24, wish(null, 1)), BEFORE + 1_000);

        assertEquals(BEFORE + 5_000, first.createdAt());
        assertEquals(BEFORE + 5_001, second.createdAt(), "creation times are unique so order survives recovery");
    }

    // ------------------------------------------------------------ reads

    @Test
    void shouldAnswerNullOrEmptyForUnknownIds() {
        create(book, draft("c-a", 1, 24, wish("w-a", 1)));

        assertNull(book.wish("nope"));
        assertNull(book.campaign("nope"));
        assertNull(book.claim("cl-1"));
        assertNull(book.claimsOfCampaign("nope"));
        assertNull(book.stats("nope"));
        assertEquals(List.of(), book.claimsOf("nobody"));
        assertEquals(0, book.activeClaims("nope", "nobody"));
        assertEquals(0, book.activeClaims("c-a", "nobody"));
        assertEquals(List.of(), book.claimsOfCampaign("c-a"));
        assertEquals(List.of(), book.wishes(new WishFilter("nope", null, null, false)));
    }

    @Test
    void shouldListCampaignsInCreationOrder() {
        create(book, draft("zeta", 1, 24, wish("w-z", 1)));
        create(book, draft("alpha", 1, 24, wish("w-a", 1)));
        create(book, draft(null, 1, 24, wish(null, 1)));

        assertEquals(List.of("zeta", "alpha", "c-1"), book.campaigns().stream().map(v -> v.campaign().id()).toList());
    }

    @Test
    void shouldShowWishViewWithRemainingAndOpening() {
        create(book, draft("c-a", 2, 24, wish("w-a", 3)));
        claimed(book, "w-a", "u1", OPENS);

        WishView view = book.wish("w-a");

        assertEquals("w-a", view.id());
        assertEquals("c-a", view.campaignId());
        assertEquals(2, view.remaining());
        assertEquals(OPENS, view.opensAt());
        assertEquals(wish("w-a", 3), view.spec());
    }

    @Test
    void shouldShowCampaignViewWithItsWishesAndRemainingUnits() {
        create(book, draft("c-a", 3, 24, wish("w-a", 3), wish("w-b", 1)));
        create(book, draft("c-b", 3, 24, wish("w-c", 5)));
        claimed(book, "w-a", "u1", OPENS);
        claimed(book, "w-b", "u1", OPENS);

        CampaignView view = book.campaign("c-a");

        assertEquals(2, view.remaining());
        assertEquals(List.of(book.wish("w-a"), book.wish("w-b")), view.wishes());
        assertEquals(5, book.campaign("c-b").remaining());
        assertEquals(List.of(view, book.campaign("c-b")), book.campaigns());
    }

    @Test
    void shouldFilterWishesByCampaignCategoryLocationAndAvailability() {
        create(book, draft("c-a", 5, 24,
                wish("a1", 1, "elderly", "Zhujing/Dongxing"),
                wish("a2", 2, "children", "Zhujing/Xingtang"),
                wish("a3", 1, "Elderly", null)));
        create(book, draft("c-b", 5, 24,
                wish("b1", 1, "children", "Fengjing"),
                wish("b2", 1, null, "zhujing/east")));
        claimed(book, "a1", "u1", OPENS);
        claimed(book, "b1", "u1", OPENS);
        claimed(book, "a2", "u1", OPENS);

        assertEquals(List.of("a1", "a2", "a3", "b1", "b2"), wishIds(WishFilter.ALL));
        assertEquals(List.of("b1", "b2"), wishIds(new WishFilter("c-b", null, null, false)));
        assertEquals(List.of("a1", "a3"), wishIds(new WishFilter(null, "ELDERLY", null, false)));
        assertEquals(List.of("a2", "b1"), wishIds(new WishFilter(null, "children", null, false)));
        assertEquals(List.of("a1", "a2", "b2"), wishIds(new WishFilter(null, null, "ZHUJING", false)));
        assertEquals(List.of("a1"), wishIds(new WishFilter(null, null, "dongx", false)));
        assertEquals(List.of("a2", "a3", "b2"), wishIds(new WishFilter(null, null, null, true)));
        assertEquals(List.of("a2"), wishIds(new WishFilter("c-a", "children", "xingtang", true)));
        assertEquals(List.of(), wishIds(new WishFilter("c-b", "elderly", null, false)));
        assertEquals(1, book.wishes(new WishFilter(null, null, null, true)).get(0).remaining());
    }

    @Test
    void shouldTreatWishesOfTheSameCampaignInDraftOrder() {
        create(book, draft("c-a", 5, 24, wish("z", 1), wish("m", 1), wish("a", 1)));

        assertEquals(List.of("z", "m", "a"), wishIds(new WishFilter("c-a", null, null, false)));
    }

    private List<String> wishIds(WishFilter filter) {
        List<String> ids = new ArrayList<>();
        for (WishView view : book.wishes(filter)) {
            ids.add(view.id());
        }
        return ids;
    }

    @Test
    void shouldCountCampaignsWishesAndUnitsInStats() {
        create(book, draft("c-a", 5, 24, wish("a1", 3), wish("a2", 2)));
        create(book, draft("c-b", 5, 24, wish("b1", 7)));

        Stats all = book.stats();

        assertEquals(new Stats(2, 3, 12, 12, 0, 0, 0, 0, 0, 0, 0), all);
        assertTrue(Double.isNaN(all.satisfaction()));
        assertEquals(new Stats(1, 2, 5, 5, 0, 0, 0, 0, 0, 0, 0), book.stats("c-a"));
        assertEquals(new Stats(1, 1, 7, 7, 0, 0, 0, 0, 0, 0, 0), book.stats("c-b"));
    }
}
