package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Result;
import org.wishengine.wish.core.Stats;
import org.wishengine.wish.core.ListingKey;
import org.wishengine.wish.core.WishFilter;
import org.wishengine.wish.core.WishPage;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.http.ApiJsonBodies;

/**
 * One book holds every campaign and says what one engine answers; the campaigns are then dealt
 * to three nodes (and a fourth that owns none), each node's local answer is the engine's own JSON
 * of its share, and the merge of those answers must be exactly the one engine's answer.
 */
class ListingMergeTest {

    private static final long OPENS = 1_800_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final int NODES = 4; // node 3 owns nothing
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Book book = new Book();
    private final List<String> campaignIds = new ArrayList<>();

    @BeforeEach
    void fillTheBook() {
        for (int c = 0; c < 11; c++) {
            String explicit = c == 4 ? "winter" : null; // an organiser-chosen id among c-N ones
            List<WishSpec> wishes = List.of(wish("w" + c + "a", 3), wish("w" + c + "b", 2));
            Campaign draft = new Campaign(explicit, "Campaign " + c, OPENS, 5, 168, 0L, wishes);
            Outcome created = book.createCampaign(draft, OPENS - 60 * MINUTE + c * 1_000L + (c % 3) * 7);
            assertEquals(Result.CREATED, created.result());
            campaignIds.add(created.campaign().id());
        }
        // Alice claims across campaigns, several in one millisecond; some claims go on to be rated.
        int[] ratings = {5, 3, 4, 2, 5, 0, 1, 0, 4, 0, 5};
        for (int c = 0; c < 11; c++) {
            long at = OPENS + (c / 3) * MINUTE; // three claims per millisecond
            Claim claim = claim("w" + c + "a", "alice", at);
            claim("w" + c + "b", "bob", at);
            if (ratings[c] > 0) {
                assertEquals(Result.UPDATED, book.fulfil(claim.id(), "alice", at + MINUTE).result());
                assertEquals(Result.UPDATED, book.confirm(claim.id(), ratings[c], null, at + 2 * MINUTE).result());
            } else if (c == 7) {
                assertEquals(Result.UPDATED, book.cancel(claim.id(), "alice", at + MINUTE).result());
            }
        }
    }

    @Test
    void shouldListEveryNodesCampaignsAsOneEngineDoes() {
        List<byte[]> parts = new ArrayList<>();
        for (int node : new int[] {2, 0, 3, 1}) { // answers arrive in any order
            parts.add(ApiJsonBodies.campaigns(filter(book.campaigns(), c -> nodeOf(c.campaign().id()) == node)));
        }

        byte[] merged = ListingMerge.campaigns(parts);

        assertSameJson(ApiJsonBodies.campaigns(book.campaigns()), merged);
    }

    /**
     * Each node's book holds its share of the campaigns (adopted, as a takeover does); a walk over
     * the combined listing, page by page with the merged cursor, must see exactly the one engine's
     * wishes in the one engine's order, whatever the page size and filter.
     */
    @Test
    void shouldWalkEveryNodesWishesInTheOneEngineOrder() {
        List<Book> nodes = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            nodes.add(new Book());
        }
        for (CampaignView view : book.campaigns()) {
            nodes.get(nodeOf(view.campaign().id())).adopt(view.campaign(), book.claimsOfCampaign(view.campaign().id()));
        }
        for (WishFilter filter : List.of(WishFilter.ALL, new WishFilter(null, null, null, true))) {
            List<String> expected = new ArrayList<>();
            book.wishes(filter, 0, WishPage.MAX_LIMIT).wishes().forEach(w -> expected.add(w.spec().id()));
            for (int limit : new int[] {1, 3, 7, 100}) {
                List<String> walked = new ArrayList<>();
                ListingKey from = ListingKey.FIRST;
                for (int page = 0; page < 100 && from != null; page++) {
                    List<byte[]> parts = new ArrayList<>();
                    for (Book node : nodes) {
                        parts.add(ApiJsonBodies.wishes(node.wishesFrom(filter, from, limit)));
                    }
                    JsonNode merged = read(ListingMerge.wishes(parts, limit));
                    merged.get("wishes").forEach(w -> walked.add(w.get("id").asText()));
                    assertTrue(merged.get("wishes").size() == limit || !merged.has("nextCursor"),
                            "a short page is the last");
                    from = merged.has("nextCursor") ? ListingKey.parse(merged.get("nextCursor").asText()) : null;
                }
                assertEquals(expected, walked, "limit " + limit + ", filter " + filter);
            }
        }
    }

    @Test
    void shouldListAUsersEntriesOfEveryNodeOldestFirstTellingCampaignsApart() {
        // Entry ids count arrivals within a campaign: two campaigns both have an en-1.
        List<org.wishengine.wish.core.Entry> all = List.of(
                entry("en-1", "c-a", 1_000), entry("en-2", "c-a", 1_001), entry("en-1", "c-b", 1_001),
                entry("en-7", "c-c", 2_000));
        List<byte[]> parts = List.of(ApiJsonBodies.entries(List.of(all.get(3), all.get(2))),
                ApiJsonBodies.entries(List.of(all.get(0), all.get(1))), ApiJsonBodies.entries(List.of(all.get(2))));

        byte[] merged = ListingMerge.entries(parts);

        assertSameJson(ApiJsonBodies.entries(all), merged);
    }

    private static org.wishengine.wish.core.Entry entry(String id, String campaignId, long enteredAt) {
        return new org.wishengine.wish.core.Entry(id, campaignId, "w-" + campaignId, "alice", enteredAt, 9_000,
                org.wishengine.wish.core.EntryOutcome.PENDING, 0, null, null);
    }

    @Test
    void shouldListAUsersClaimsOfEveryNodeOldestFirst() {
        List<byte[]> parts = new ArrayList<>();
        for (int node : new int[] {1, 3, 2, 0}) {
            parts.add(ApiJsonBodies.claims(filter(book.claimsOf("alice"), c -> nodeOf(c.campaignId()) == node)));
        }

        byte[] merged = ListingMerge.claims(parts);

        assertSameJson(ApiJsonBodies.claims(book.claimsOf("alice")), merged);
        assertEquals(11, read(merged).get("claims").size());
    }

    @Test
    void shouldSumStatsAndRecomputeSatisfactionFromEachNodesShare() {
        List<byte[]> parts = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            parts.add(ApiJsonBodies.stats(statsOfNode(node), null));
        }

        byte[] merged = ListingMerge.stats(parts);

        byte[] oneEngine = ApiJsonBodies.stats(book.stats(), null);
        assertSameJson(oneEngine, merged);
        JsonNode stats = read(merged);
        assertEquals(8, stats.get("rated").asLong());
        assertEquals(5.0 / 8, stats.get("satisfaction").asDouble()); // 5, 4, 5, 4, 5 of 5, 3, 4, 2, 5, 1, 4, 5
    }

    @Test
    void shouldSumAnOrgsSubtreeAndItsChildrenOverTheNodesAsOneEngineDoes() {
        // Every node holds the whole tree; the campaigns of its orgs are dealt out over the nodes.
        Book all = new Book();
        List<Book> nodes = List.of(new Book(), new Book(), new Book());
        for (Book each : concat(all, nodes)) {
            each.createOrg("district", "District", null, null);
            each.createOrg("town-a", "Town A", "district", null);
            each.createOrg("town-b", "Town B", "district", null);
            each.createOrg("comm-a1", "Community A1", "town-a", null);
            each.createOrg("comm-a2", "Community A2", "town-a", null);
        }
        String[] orgs = {"comm-a1", "town-a", "town-b", "comm-a2", "comm-a1", "town-b", "comm-a1"};
        int[] ratings = {5, 2, 0, 4, 1, 5, 0};
        for (int c = 0; c < orgs.length; c++) {
            Campaign draft = new Campaign("o" + c, "Org campaign " + c, OPENS, 2, 168, 0L,
                    List.of(wish("o" + c + "a", 3), wish("o" + c + "b", 1)), null, orgs[c]);
            long at = OPENS + c * MINUTE;
            for (Book each : List.of(all, nodes.get(c % nodes.size()))) {
                assertEquals(Result.CREATED, each.createCampaign(draft, OPENS - MINUTE + c, 0, null).result());
                String id = each.claim("o" + c + "a", "alice", at).claim().id();
                each.claim("o" + c + "b", "bob", at);
                if (ratings[c] > 0) {
                    each.fulfil(id, "alice", at + 1);
                    each.confirm(id, ratings[c], null, at + 2);
                }
            }
        }
        for (String org : List.of("district", "town-a", "comm-a1")) {
            List<byte[]> parts = new ArrayList<>();
            for (Book node : nodes) {
                parts.add(ApiJsonBodies.orgStats(node.orgStats(org)));
            }
            assertSameJson(ApiJsonBodies.orgStats(all.orgStats(org)), ListingMerge.orgStats(parts));
        }
        JsonNode town = read(ListingMerge.orgStats(List.of(ApiJsonBodies.orgStats(nodes.get(0).orgStats("town-a")),
                ApiJsonBodies.orgStats(nodes.get(1).orgStats("town-a")))));
        assertEquals(List.of("comm-a1", "comm-a2"), town.get("children").findValuesAsText("org"));
    }

    private static List<Book> concat(Book first, List<Book> rest) {
        List<Book> books = new ArrayList<>(rest);
        books.add(0, first);
        return books;
    }

    @Test
    void shouldSaySatisfactionIsNullWhileNothingIsRated() {
        Stats unrated = new Stats(2, 4, 10, 7, 3, 0, 0, 1, 0, 0, 0);

        JsonNode merged = read(ListingMerge.stats(List.of(ApiJsonBodies.stats(unrated, null),
                ApiJsonBodies.stats(new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), null))));

        assertTrue(merged.get("satisfaction").isNull(), merged.toString());
        assertEquals(2, merged.get("campaigns").asLong());
        assertEquals(7, merged.get("remaining").asLong());
    }

    @Test
    void shouldRefuseToMergeOneCampaignsStats() {
        byte[] one = ApiJsonBodies.stats(book.stats(campaignIds.get(0)), campaignIds.get(0));

        assertThrows(IllegalArgumentException.class, () -> ListingMerge.stats(List.of(one)));
    }

    @Test
    void shouldOrderCampaignsCreatedInOneMillisecondOnTwoNodesByNumber() {
        // Two nodes may create campaigns in the same millisecond; c-9 was numbered before c-10.
        CampaignView ten = CampaignView.fresh(new Campaign("c-10", "Ten", OPENS, 1, 24, OPENS - MINUTE,
                List.of(wish("w-1", 1))));
        CampaignView nine = CampaignView.fresh(new Campaign("c-9", "Nine", OPENS, 1, 24, OPENS - MINUTE,
                List.of(wish("w-2", 1))));
        CampaignView earlier = CampaignView.fresh(new Campaign("c-11", "Earlier", OPENS, 1, 24, OPENS - 2 * MINUTE,
                List.of(wish("w-3", 1))));

        JsonNode merged = read(ListingMerge.campaigns(List.of(ApiJsonBodies.campaigns(List.of(ten)),
                ApiJsonBodies.campaigns(List.of(earlier, nine)))));

        assertEquals(List.of("c-11", "c-9", "c-10"), ids(merged.get("campaigns")));
    }

    @Test
    void shouldListACampaignTwoNodesAnsweredForOnce() {
        CampaignView handedOver = book.campaign(campaignIds.get(3));
        CampaignView other = book.campaign(campaignIds.get(5));

        JsonNode merged = read(ListingMerge.campaigns(List.of(ApiJsonBodies.campaigns(List.of(handedOver, other)),
                ApiJsonBodies.campaigns(List.of(handedOver)))));

        assertEquals(List.of(campaignIds.get(3), campaignIds.get(5)), ids(merged.get("campaigns")));
    }

    @Test
    void shouldOrderClaimsOfOneMillisecondByClaimNumber() {
        Claim later = new Claim("cl-2049", "w-1", "c-1", "alice", ClaimStatus.CLAIMED, OPENS, 0, 0, 0, 0, 0, null);
        Claim earlier = new Claim("cl-1030", "w-2", "c-2", "alice", ClaimStatus.CLAIMED, OPENS, 0, 0, 0, 0, 0, null);
        Claim first = new Claim("cl-3000", "w-3", "c-3", "alice", ClaimStatus.CLAIMED, OPENS - 1, 0, 0, 0, 0, 0, null);

        JsonNode merged = read(ListingMerge.claims(List.of(ApiJsonBodies.claims(List.of(later)),
                ApiJsonBodies.claims(List.of(first, earlier)))));

        assertEquals(List.of("cl-3000", "cl-1030", "cl-2049"), ids(merged.get("claims")));
    }

    @Test
    void shouldAnswerAnEmptyListingWhenNoNodeHasAnything() {
        assertEquals("{\"campaigns\":[]}", new String(ListingMerge.campaigns(
                List.of(ApiJsonBodies.campaigns(List.of()), ApiJsonBodies.campaigns(List.of()))), StandardCharsets.UTF_8));
    }

    // --- helpers

    private int nodeOf(String campaignId) {
        return campaignIds.indexOf(campaignId) % 3;
    }

    /** What a node owning its share of the campaigns counts: the sum of those campaigns' totals. */
    private Stats statsOfNode(int node) {
        long[] sum = new long[11];
        for (String id : campaignIds) {
            if (nodeOf(id) == node) {
                Stats s = book.stats(id);
                long[] each = {s.campaigns(), s.wishes(), s.units(), s.remaining(), s.claimed(), s.fulfilled(),
                    s.confirmed(), s.cancelled(), s.expired(), s.rated(), s.satisfied()};
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += each[i];
                }
            }
        }
        return new Stats(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9], sum[10]);
    }

    private Claim claim(String wishId, String userId, long at) {
        Outcome outcome = book.claim(wishId, userId, at);
        assertEquals(Result.CREATED, outcome.result(), () -> userId + " claims " + wishId + " -> " + outcome);
        return outcome.claim();
    }

    private static WishSpec wish(String id, int quantity) {
        return new WishSpec(id, "Wish " + id, quantity, "elderly", null, null, null);
    }

    private static <T> List<T> filter(List<T> all, Predicate<T> keep) {
        return all.stream().filter(keep).toList();
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(entry -> ids.add(entry.get("id").asText()));
        return ids;
    }

    /** Byte for byte: the merge must not change how a value is written either. */
    private static void assertSameJson(byte[] expected, byte[] actual) {
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
