package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.create;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paged wish listings: {@link Book#wishes(WishFilter, int, int)} and the cursor of {@link WishPage}. */
class BookPagingTest {

    private final Book book = new Book();

    /** Listing order: a1..a4 (campaign c-a), b1..b3 (c-b), c1..c2 (c-c); 9 wishes, positions 0..8. */
    @BeforeEach
    void createCampaigns() {
        create(book, draft("c-a", 10, 24, wish("a1", 1, "elderly", "Zhujing"), wish("a2", 1, "children", "Zhujing"),
                wish("a3", 2, "elderly", "Fengjing"), wish("a4", 1, "children", "Zhujing")));
        create(book, draft("c-b", 10, 24, wish("b1", 1, "elderly", "Zhujing"), wish("b2", 1, "elderly", "Zhujing"),
                wish("b3", 1, "children", "Fengjing")));
        create(book, draft("c-c", 10, 24, wish("c1", 1, "elderly", "Zhujing"), wish("c2", 3, "children", "Zhujing")));
    }

    @Test
    void shouldPageThroughEveryWishInListingOrder() {
        WishPage first = book.wishes(WishFilter.ALL, 0, 4);
        assertEquals(List.of("a1", "a2", "a3", "a4"), ids(first));
        assertEquals("4", first.nextCursor());

        WishPage middle = book.wishes(WishFilter.ALL, first.next(), 4);
        assertEquals(List.of("b1", "b2", "b3", "c1"), ids(middle));
        assertEquals(8, middle.next());

        WishPage last = book.wishes(WishFilter.ALL, middle.next(), 4);
        assertEquals(List.of("c2"), ids(last));
        assertEquals(-1, last.next());
        assertNull(last.nextCursor());
    }

    @Test
    void shouldEndWithoutCursorWhenThePageHoldsExactlyTheRest() {
        WishPage all = book.wishes(WishFilter.ALL, 0, 9);

        assertEquals(9, all.wishes().size());
        assertNull(all.nextCursor());
        assertEquals(List.of("c1", "c2"), ids(book.wishes(WishFilter.ALL, 7, 2)));
        assertEquals(-1, book.wishes(WishFilter.ALL, 7, 2).next());
    }

    @Test
    void shouldPointTheCursorAtTheNextMatchOfAFilter() {
        WishFilter elderly = new WishFilter(null, "elderly", null, false);

        WishPage first = book.wishes(elderly, 0, 2);
        assertEquals(List.of("a1", "a3"), ids(first));
        assertEquals(4, first.next()); // b1, skipping a4
        WishPage second = book.wishes(elderly, first.next(), 2);
        assertEquals(List.of("b1", "b2"), ids(second));
        assertEquals(7, second.next()); // c1, skipping b3
        WishPage last = book.wishes(elderly, second.next(), 2);
        assertEquals(List.of("c1"), ids(last));
        assertEquals(-1, last.next());

        assertEquals(book.wishes(elderly), concat(first, second, last));
        WishFilter fengjingChildren = new WishFilter(null, "children", "fengjing", false);
        assertEquals(List.of("b3"), ids(book.wishes(fengjingChildren, 0, 1)));
        assertEquals(-1, book.wishes(fengjingChildren, 0, 1).next());
    }

    @Test
    void shouldPageWithinOneCampaignOnly() {
        WishFilter campaignB = new WishFilter("c-b", null, null, false);

        WishPage first = book.wishes(campaignB, 0, 2);
        assertEquals(List.of("b1", "b2"), ids(first));
        assertEquals(6, first.next());
        WishPage last = book.wishes(campaignB, first.next(), 2);
        assertEquals(List.of("b3"), ids(last));
        assertEquals(-1, last.next());

        // A cursor outside the campaign starts at its first wish, or past its last one: nothing.
        assertEquals(List.of("b1", "b2"), ids(book.wishes(campaignB, 1, 2)));
        assertEquals(List.of(), ids(book.wishes(campaignB, 8, 2)));
        assertEquals(List.of("c2"), ids(book.wishes(new WishFilter("c-c", "children", null, false), 0, 5)));
        assertEquals(new WishPage(List.of(), -1), book.wishes(new WishFilter("nope", null, null, false), 0, 5));
    }

    @Test
    void shouldKeepTheCursorStableWhileWishesAreClaimedAndCampaignsCreated() {
        WishFilter available = new WishFilter(null, null, null, true);
        WishPage first = book.wishes(available, 0, 3);
        assertEquals(List.of("a1", "a2", "a3"), ids(first));
        assertEquals(3, first.next());

        // Between the pages: wishes already seen sell out, one ahead sells out, a campaign is added.
        claimed(book, "a1", "u1", OPENS);
        claimed(book, "a2", "u2", OPENS);
        claimed(book, "b1", "u3", OPENS);
        create(book, draft("c-d", 10, 24, wish("d1", 1)));

        WishPage second = book.wishes(available, first.next(), 3);
        assertEquals(List.of("a4", "b2", "b3"), ids(second));
        WishPage last = book.wishes(available, second.next(), 3);
        assertEquals(List.of("c1", "c2", "d1"), ids(last));
        assertEquals(-1, last.next());
        assertEquals(2, book.wishes(WishFilter.ALL, 2, 1).wishes().get(0).remaining()); // a3, unclaimed
    }

    @Test
    void shouldServeTheSamePagesAfterRecovery() {
        claimed(book, "b2", "u1", OPENS);
        List<Campaign> campaigns = new ArrayList<>();
        for (CampaignView view : book.campaigns()) {
            campaigns.add(view.campaign());
        }
        Collections.reverse(campaigns); // the store hands them back in its own order
        Book fresh = new Book();
        campaigns.forEach(fresh::restore);
        fresh.restore(book.claim("cl-1"));
        fresh.recovered();

        for (int cursor = 0; cursor < 9; cursor++) {
            assertEquals(book.wishes(WishFilter.ALL, cursor, 2), fresh.wishes(WishFilter.ALL, cursor, 2));
            WishFilter campaignB = new WishFilter("c-b", null, null, true);
            assertEquals(book.wishes(campaignB, cursor, 1), fresh.wishes(campaignB, cursor, 1));
        }
    }

    @Test
    void shouldRefuseACursorPastTheLastWish() {
        assertNull(book.wishes(WishFilter.ALL, 9, 5));
        assertNull(book.wishes(WishFilter.ALL, 1_000_000, 5));
        assertNull(book.wishes(WishFilter.ALL, -1, 5));
        assertEquals(List.of("c2"), ids(book.wishes(WishFilter.ALL, 8, 5)));
        assertEquals(new WishPage(List.of(), -1), new Book().wishes(WishFilter.ALL, 0, 5));
        assertNull(new Book().wishes(WishFilter.ALL, 1, 5));
    }

    @Test
    void shouldReadOnlyCanonicalDecimals() {
        assertEquals(0, WishPage.decimal("0"));
        assertEquals(42, WishPage.decimal("42"));
        assertEquals(999_999_999, WishPage.decimal("999999999"));
        for (String bad : new String[] {null, "", "-1", "+1", "007", "00", "1e3", " 1", "1 ", "0x10", "abc",
                "1000000000", "99999999999999999999", "٣"}) {
            assertEquals(-1, WishPage.decimal(bad), bad);
        }
        assertEquals("7", new WishPage(List.of(), 7).nextCursor());
        assertEquals(7, WishPage.decimal(new WishPage(List.of(), 7).nextCursor()));
    }

    @Test
    void shouldRefuseAListingCommandOutOfBounds() {
        assertEquals(WishPage.MAX_LIMIT, new Command.ListWishes(WishFilter.ALL, 0, WishPage.MAX_LIMIT, 1).limit());
        assertThrows(IllegalArgumentException.class, () -> new Command.ListWishes(WishFilter.ALL, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Command.ListWishes(WishFilter.ALL, 0, WishPage.MAX_LIMIT + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Command.ListWishes(WishFilter.ALL, -1, 10, 1));
    }

    private static List<String> ids(WishPage page) {
        return page.wishes().stream().map(WishView::id).toList();
    }

    private static List<WishView> concat(WishPage... pages) {
        List<WishView> all = new ArrayList<>();
        for (WishPage page : pages) {
            all.addAll(page.wishes());
        }
        return all;
    }
}
