package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;
import static org.wishengine.wish.core.BookStateAssertions.assertSameState;
import static org.wishengine.wish.core.BookStateAssertions.recover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Book#drop} and {@link Book#adopt}: a dropped campaign leaves no trace, and adopting it
 * back from a snapshot of its claims gives the book it had, seen through every read.
 */
class BookAdoptDropTest {

    private static final int CAMPAIGNS = 5;
    private static final int WISHES = 8;
    private static final int USERS = 60;
    private static final long MINUTE = 60_000L;

    @Test
    void shouldForgetADroppedCampaignAndGetEverythingBackByAdoptingIt() {
        Random random = new Random(16_2026L);
        Book book = new Book();
        Driver driver = new Driver(book, random);
        driver.steps(4_000);
        String dropped = "camp-2";
        Views before = Views.of(book);
        Campaign campaign = book.campaign(dropped).campaign();
        List<Claim> snapshot = book.claimsOfCampaign(dropped);
        assertTrue(snapshot.size() > 100, "the run made " + snapshot.size() + " claims in " + dropped);
        // The same book without the campaign, built independently: recovered from the others only.
        Book without = withoutCampaign(book, dropped);
        // A twin to compare decisions with after the adoption (recovery equals the original).
        Book twin = recover(book, new Random(3));

        assertTrue(book.drop(dropped));
        assertFalse(book.drop(dropped));
        assertGone(book, campaign, snapshot);
        Views.of(without).assertSame(Views.of(book)); // the book as if the campaign had never been there
        assertEquals(recount(book), book.stats());

        book.adopt(campaign, snapshot);
        before.assertSame(Views.of(book));
        // Expiry queues, per-user limits and numbering carry on alike.
        driver.twin = twin;
        driver.steps(2_000);
        assertSameState(twin, book);
        Views.of(twin).assertSame(Views.of(book));
    }

    @Test
    void shouldReplaceWhatTheBookHeldWhenAdoptingACampaignItHas() {
        Random random = new Random(5L);
        Book book = new Book();
        Driver driver = new Driver(book, random);
        driver.steps(1_500);
        Views before = Views.of(book);
        Campaign campaign = book.campaign("camp-0").campaign();
        List<Claim> snapshot = book.claimsOfCampaign("camp-0");

        driver.only = "camp-0";
        driver.steps(300); // the book's own copy moves on; the store's (the snapshot) did not
        book.adopt(campaign, snapshot);

        before.assertSame(Views.of(book));
    }

    @Test
    void shouldRefuseToAdoptClaimsOrWishesOfAnotherCampaignAndChangeNothing() {
        Book book = new Book();
        Driver driver = new Driver(book, new Random(11L));
        driver.steps(500);
        Views before = Views.of(book);
        Campaign first = book.campaign("camp-0").campaign();
        Claim foreign = book.claimsOfCampaign("camp-1").get(0);
        Claim moved = new Claim(foreign.id(), first.wishes().get(0).id(), "camp-0", foreign.userId(),
                foreign.status(), foreign.claimedAt(), foreign.fulfilledAt(), foreign.confirmedAt(),
                foreign.cancelledAt(), foreign.expiredAt(), foreign.rating(), foreign.comment());
        Campaign stealing = new Campaign("camp-new", "t", OPENS, 1, 1, BEFORE,
                List.of(book.campaign("camp-1").campaign().wishes().get(0)));

        assertThrows(IllegalArgumentException.class, () -> book.adopt(first, List.of(foreign)));
        assertThrows(IllegalArgumentException.class, () -> book.adopt(first, List.of(moved)));
        assertThrows(IllegalArgumentException.class, () -> book.adopt(stealing, List.of()));
        before.assertSame(Views.of(book));
    }

    @Test
    void shouldAdoptIntoABookNumberedInBlocksAndDropItsBlocks() {
        List<String> wants = new ArrayList<>();
        Book node = Book.numberedInBlocks(1, wants::add);
        Book source = new Book();
        Driver driver = new Driver(source, new Random(99L));
        driver.steps(800);
        Map<String, List<Claim>> claims = new LinkedHashMap<>();
        for (CampaignView view : source.campaigns()) {
            claims.put(view.campaign().id(), source.claimsOfCampaign(view.campaign().id()));
            node.adopt(view.campaign(), claims.get(view.campaign().id()));
        }
        Views.of(source).assertSame(Views.of(node));
        node.grantBlock("camp-3", 40);

        assertTrue(node.drop("camp-3"));
        assertFalse(node.grantBlock("camp-3", 41), "a grant that arrives after the drop");
        node.adopt(source.campaign("camp-3").campaign(), claims.get("camp-3"));
        Views.of(source).assertSame(Views.of(node));
    }

    /** Every read of a dropped campaign finds nothing. */
    private static void assertGone(Book book, Campaign campaign, List<Claim> claims) {
        assertNull(book.campaign(campaign.id()));
        assertNull(book.claimsOfCampaign(campaign.id()));
        assertNull(book.stats(campaign.id()));
        assertEquals(List.of(), book.wishes(new WishFilter(campaign.id(), null, null, false)));
        for (WishSpec wish : campaign.wishes()) {
            assertNull(book.wish(wish.id()));
            assertEquals(-1, book.remaining(wish.id()));
            assertSame(Outcome.NOT_FOUND, book.claim(wish.id(), "someone", OPENS + 1_000 * MINUTE));
        }
        for (Claim claim : claims) {
            assertNull(book.claim(claim.id()));
            assertSame(Outcome.NOT_FOUND, book.readClaim(claim.id(), null));
            assertSame(Outcome.NOT_FOUND, book.cancel(claim.id(), null, OPENS + 1_000 * MINUTE));
            assertEquals(0, book.activeClaims(campaign.id(), claim.userId()));
            for (Claim mine : book.claimsOf(claim.userId())) {
                assertFalse(mine.campaignId().equals(campaign.id()), mine.id());
            }
        }
    }

    private static Book withoutCampaign(Book book, String campaignId) {
        Book fresh = new Book();
        for (CampaignView view : book.campaigns()) {
            if (!view.campaign().id().equals(campaignId)) {
                fresh.restore(view.campaign());
                for (Claim claim : book.claimsOfCampaign(view.campaign().id())) {
                    assertTrue(fresh.restore(claim));
                }
            }
        }
        fresh.recovered();
        return fresh;
    }

    /** The totals recounted from the book's campaigns and claims. */
    private static Stats recount(Book book) {
        long units = 0;
        long wishes = 0;
        long[] byStatus = new long[ClaimStatus.values().length];
        long active = 0;
        long satisfied = 0;
        for (CampaignView view : book.campaigns()) {
            units += view.campaign().units();
            wishes += view.campaign().wishes().size();
            for (Claim claim : book.claimsOfCampaign(view.campaign().id())) {
                byStatus[claim.status().ordinal()]++;
                active += claim.status().isActive() ? 1 : 0;
                satisfied += claim.status() == ClaimStatus.CONFIRMED && claim.rating() >= CampaignRules.SATISFIED_RATING
                        ? 1 : 0;
            }
        }
        long confirmed = byStatus[ClaimStatus.CONFIRMED.ordinal()];
        return new Stats(book.campaigns().size(), wishes, units, units - active, byStatus[ClaimStatus.CLAIMED.ordinal()],
                byStatus[ClaimStatus.FULFILLED.ordinal()], confirmed, byStatus[ClaimStatus.CANCELLED.ordinal()],
                byStatus[ClaimStatus.EXPIRED.ordinal()], confirmed, satisfied);
    }

    /** Everything the book answers, read through its public reads, in their order. */
    private record Views(List<CampaignView> campaigns, List<WishView> wishes, List<WishPage> pages, Stats stats,
                         Map<String, Stats> statsByCampaign, Map<String, List<Claim>> claimsByCampaign,
                         Map<String, List<Claim>> claimsByUser, Map<String, Integer> active) {

        static Views of(Book book) {
            Map<String, Stats> stats = new HashMap<>();
            Map<String, List<Claim>> byCampaign = new HashMap<>();
            Map<String, List<Claim>> byUser = new HashMap<>();
            Map<String, Integer> active = new HashMap<>();
            for (CampaignView view : book.campaigns()) {
                String id = view.campaign().id();
                stats.put(id, book.stats(id));
                byCampaign.put(id, book.claimsOfCampaign(id));
                for (int u = 0; u < USERS; u++) {
                    active.put(id + "/" + user(u), book.activeClaims(id, user(u)));
                }
                for (Claim claim : byCampaign.get(id)) {
                    assertEquals(claim, book.claim(claim.id()));
                }
            }
            for (int u = 0; u < USERS; u++) {
                byUser.put(user(u), book.claimsOf(user(u)));
            }
            List<WishPage> pages = new ArrayList<>();
            for (int cursor = 0; cursor >= 0; ) {
                WishPage page = book.wishes(WishFilter.ALL, cursor, 7);
                pages.add(page);
                cursor = page.next();
            }
            return new Views(book.campaigns(), book.wishes(WishFilter.ALL), pages, book.stats(), stats, byCampaign,
                    byUser, active);
        }

        /** Equal views, compared part by part so that a failure names the part. */
        void assertSame(Views actual) {
            assertEquals(campaigns, actual.campaigns, "campaigns");
            assertEquals(wishes, actual.wishes, "wishes");
            assertEquals(pages, actual.pages, "pages of wishes");
            assertEquals(stats, actual.stats, "stats");
            assertEquals(statsByCampaign, actual.statsByCampaign, "stats by campaign");
            assertEquals(claimsByCampaign, actual.claimsByCampaign, "claims by campaign");
            assertEquals(claimsByUser, actual.claimsByUser, "claims by user");
            assertEquals(active, actual.active, "active claims by campaign and user");
        }
    }

    private static String user(int u) {
        return "user-" + u;
    }

    /**
     * Random claims, cancels, fulfils, confirms and expiry ticks over a few campaigns, with a
     * clock that moves on every step (so that claims are ordered by time alone). With a twin,
     * every command goes to both books and must be decided alike.
     */
    private static final class Driver {

        final Book book;
        final Random random;
        final List<String> wishIds = new ArrayList<>();
        final List<String> claimIds = new ArrayList<>();
        final Map<String, String> campaignOfWish = new HashMap<>();
        Book twin;
        /** When set, only this campaign's wishes and claims are touched. */
        String only;
        long now = OPENS - 10 * MINUTE;

        Driver(Book book, Random random) {
            this.book = book;
            this.random = random;
            for (int c = 0; c < CAMPAIGNS; c++) {
                List<WishSpec> wishes = new ArrayList<>();
                for (int w = 0; w < WISHES; w++) {
                    wishes.add(wish("wish-" + c + "-" + w, 1 + random.nextInt(4)));
                    campaignOfWish.put("wish-" + c + "-" + w, "camp-" + c);
                    wishIds.add("wish-" + c + "-" + w);
                }
                Campaign draft = new Campaign("camp-" + c, "c", OPENS + c * 5 * MINUTE, 1 + random.nextInt(3),
                        1 + random.nextInt(2), 0, wishes);
                assertEquals(Result.CREATED, book.createCampaign(draft, BEFORE + c).result());
            }
        }

        void steps(int count) {
            for (int i = 0; i < count; i++) {
                now += 1 + random.nextInt(30_000);
                int kind = random.nextInt(100);
                String user = user(random.nextInt(USERS));
                if (kind < 55 || claimIds.isEmpty()) {
                    String wishId = pick(wishIds);
                    Outcome outcome = apply(b -> b.claim(wishId, user, now));
                    if (outcome.result() == Result.CREATED) {
                        claimIds.add(outcome.claim().id());
                    }
                } else if (kind < 95) {
                    String claimId = pick(claimIds);
                    Claim claim = book.claim(claimId);
                    String actor = random.nextBoolean() ? null : claim.userId();
                    if (kind < 70) {
                        apply(b -> b.cancel(claimId, actor, now));
                    } else if (kind < 85) {
                        apply(b -> b.fulfil(claimId, actor, now));
                    } else {
                        int rating = 1 + random.nextInt(5);
                        apply(b -> b.confirm(claimId, rating, rating > 3 ? "good" : null, now));
                    }
                } else if (only == null) {
                    List<Claim> expired = book.expire(now).expired();
                    if (twin != null) {
                        assertEquals(expired, twin.expire(now).expired(), "expiry at step " + i);
                    }
                }
            }
        }

        private String pick(List<String> ids) {
            while (true) {
                String id = ids.get(random.nextInt(ids.size()));
                if (only == null || only.equals(campaignOfWish.getOrDefault(id, campaignOfClaim(id)))) {
                    return id;
                }
            }
        }

        private String campaignOfClaim(String claimId) {
            Claim claim = book.claim(claimId);
            return claim == null ? null : claim.campaignId();
        }

        private Outcome apply(java.util.function.Function<Book, Outcome> command) {
            Outcome outcome = command.apply(book);
            if (twin != null) {
                assertEquals(outcome, command.apply(twin));
            }
            return outcome;
        }
    }
}
