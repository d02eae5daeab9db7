package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Result;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.http.ApiJsonBodies;

/**
 * An org's own campaigns, counted from its subtree statistics as a cluster node reads them before
 * a retirement: the org's totals less its children's rows, open while a unit is free or a claim
 * is unsettled.
 */
class OrgHoldingsTest {

    private static final long OPENS = 1_800_000_000_000L;

    private final Book book = new Book();

    private void publish(String id, String org) {
        Campaign draft = new Campaign(id, "Campaign " + id, OPENS, 1, 168, 0L,
                List.of(new WishSpec(id + "-w", "Wish", 1, "elderly", null, null, null)), null, org);
        assertEquals(Result.CREATED, book.createCampaign(draft, OPENS - 1, 0, null).result());
    }

    @Test
    void shouldCountAnOrgsOwnCampaignsAndSeeWhichAreOpen() {
        book.createOrg("town", "Town", null, null);
        book.createOrg("comm", "Community", "town", null);
        publish("own", "town");
        publish("below", "comm");
        publish("below-2", "comm");
        // The town's own campaign is settled to the end: its one unit confirmed.
        String claim = book.claim("own-w", "alice", OPENS + 1).claim().id();
        book.fulfil(claim, "alice", OPENS + 2);
        book.confirm(claim, 5, null, OPENS + 3);

        OrgHoldings holdings = new OrgHoldings()
                .add("town", ApiJsonBodies.orgStats(book.orgStats("town")))
                .add("comm", ApiJsonBodies.orgStats(book.orgStats("comm")));

        assertEquals(1, holdings.campaigns("town"), "its children's campaigns are not its own");
        assertEquals(2, holdings.campaigns("comm"));
        assertEquals(0, holdings.campaigns("elsewhere"));
        assertEquals(Set.of("comm"), holdings.open(), "the town's own campaign is settled");
    }

    @Test
    void shouldRefuseABodyThatIsNotSubtreeStatistics() {
        OrgHoldings holdings = new OrgHoldings();
        assertThrows(IllegalArgumentException.class,
                () -> holdings.add("town", "{\"campaigns\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> holdings.add("town", "not json".getBytes(StandardCharsets.UTF_8)));
    }
}
