package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/** Recovery round trips and whole-book comparisons shared by the recovery and randomized tests. */
final class BookStateAssertions {

    private BookStateAssertions() {
    }

    /** Every campaign of the book, in listing order. */
    static List<Campaign> campaignsOf(Book book) {
        List<Campaign> campaigns = new ArrayList<>();
        for (CampaignView view : book.campaigns()) {
            campaigns.add(view.campaign());
        }
        return campaigns;
    }

    /** Every claim of the book (every status), campaign by campaign. */
    static List<Claim> claimsOf(Book book) {
        List<Claim> claims = new ArrayList<>();
        for (Campaign campaign : campaignsOf(book)) {
            claims.addAll(book.claimsOfCampaign(campaign.id()));
        }
        return claims;
    }

    /**
     * What a restart does: reads every org, campaign and claim of {@code original} and restores them
     * into a fresh book in an order shuffled by {@code random} (campaigns before claims, as the
     * store does), then calls {@link Book#recovered()}.
     */
    static Book recover(Book original, Random random) {
        List<Campaign> campaigns = campaignsOf(original);
        List<Claim> claims = claimsOf(original);
        Collections.shuffle(campaigns, random);
        Collections.shuffle(claims, random);
        List<Org> orgs = new ArrayList<>(original.orgs(null).value());
        Collections.shuffle(orgs, random);
        Book fresh = new Book();
        for (Org org : orgs) {
            fresh.restore(org);
        }
        for (Campaign campaign : campaigns) {
            fresh.restore(campaign);
        }
        for (Claim claim : claims) {
            assertTrue(fresh.restore(claim), () -> "restore " + claim);
        }
        fresh.recovered();
        return fresh;
    }

    /**
     * Asserts that two books hold the same state as seen through every read: campaigns and
     * wishes (with remaining units), every claim, per-user claim lists in order, per-campaign
     * claim lists in order, per-user active counts and stats. Campaign listing order is not
     * compared here.
     */
    static void assertSameState(Book expected, Book actual) {
        Map<String, CampaignView> expectedCampaigns = byId(expected.campaigns());
        assertEquals(expectedCampaigns, byId(actual.campaigns()), "campaigns");
        assertEquals(wishesById(expected), wishesById(actual), "wishes");
        assertEquals(expected.stats(), actual.stats(), "stats");
        assertEquals(expected.orgs(null), actual.orgs(null), "organiser tree");
        assertEquals(expected.orgStats(null), actual.orgStats(null), "district statistics");
        for (Org org : expected.orgs(null).value()) {
            assertEquals(expected.orgStats(org.id()), actual.orgStats(org.id()), () -> "statistics of " + org.id());
        }
        Set<String> users = new TreeSet<>();
        for (String campaignId : expectedCampaigns.keySet()) {
            assertEquals(expected.stats(campaignId), actual.stats(campaignId), () -> "stats of " + campaignId);
            List<Claim> claims = expected.claimsOfCampaign(campaignId);
            assertEquals(claims, actual.claimsOfCampaign(campaignId), () -> "claims of campaign " + campaignId);
            for (Claim claim : claims) {
                users.add(claim.userId());
                assertEquals(claim, actual.claim(claim.id()));
                WishView wish = expected.wish(claim.wishId());
                assertEquals(wish, actual.wish(claim.wishId()));
            }
        }
        for (String user : users) {
            assertEquals(expected.claimsOf(user), actual.claimsOf(user), () -> "claims of user " + user);
            for (String campaignId : expectedCampaigns.keySet()) {
                assertEquals(expected.activeClaims(campaignId, user), actual.activeClaims(campaignId, user),
                        () -> "active claims of " + user + " in " + campaignId);
            }
        }
    }

    private static Map<String, CampaignView> byId(List<CampaignView> views) {
        Map<String, CampaignView> byId = new HashMap<>();
        for (CampaignView view : views) {
            byId.put(view.campaign().id(), view);
        }
        assertEquals(views.size(), byId.size(), "campaign ids are unique");
        return byId;
    }

    private static Map<String, WishView> wishesById(Book book) {
        Map<String, WishView> byId = new HashMap<>();
        for (WishView view : book.wishes(WishFilter.ALL)) {
            byId.put(view.id(), view);
        }
        return byId;
    }
}
