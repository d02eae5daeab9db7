package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small value types of the core. */
class CoreValuesTest {

    @Test
    void shouldTreatClaimedFulfilledAndConfirmedAsActive() {
        Set<ClaimStatus> active = EnumSet.noneOf(ClaimStatus.class);
        for (ClaimStatus status : ClaimStatus.values()) {
            if (status.isActive()) {
                active.add(status);
            }
        }

        assertEquals(EnumSet.of(ClaimStatus.CLAIMED, ClaimStatus.FULFILLED, ClaimStatus.CONFIRMED), active);
    }

    @Test
    void shouldRoundTripStatusWireNames() {
        for (ClaimStatus status : ClaimStatus.values()) {
            assertEquals(status.name().toLowerCase(java.util.Locale.ROOT), status.wireName());
            assertEquals(status, ClaimStatus.fromWire(status.wireName()));
        }
        assertEquals(ClaimStatus.CANCELLED, ClaimStatus.fromWire("CANCELLED"));
        assertThrows(IllegalArgumentException.class, () -> ClaimStatus.fromWire("lost"));
    }

    @Test
    void shouldMarkOnlyCreatedUpdatedAndEnteredAsChangingState() {
        List<Result> changing = new ArrayList<>();
        for (Result result : Result.values()) {
            if (result.changesState()) {
                changing.add(result);
            }
        }

        assertEquals(List.of(Result.CREATED, Result.UPDATED, Result.ENTERED), changing);
    }

    @Test
    void shouldComputeSatisfactionAsTheShareOfGoodRatings() {
        assertTrue(Double.isNaN(new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).satisfaction()));
        assertEquals(0.75, new Stats(1, 1, 4, 0, 0, 0, 4, 0, 0, 4, 3).satisfaction(), 1e-12);
        assertEquals(0.0, new Stats(1, 1, 4, 0, 0, 0, 4, 0, 0, 4, 0).satisfaction(), 1e-12);
    }

    @Test
    void shouldSumUnitsAndConvertTheFulfilmentWindow() {
        Campaign campaign = draft("c", 1, 168, wish("a", 1), wish("b", 100_000), wish("c", 7));

        assertEquals(100_008, campaign.units());
        assertEquals(168L * 3_600_000L, campaign.fulfilWithinMillis());
        assertEquals(0L, draft("d", 1, 0, wish("x", 1)).fulfilWithinMillis());
    }

    @Test
    void shouldKeepACampaignsWishesImmutable() {
        List<WishSpec> wishes = new ArrayList<>(List.of(wish("a", 1)));
        Campaign campaign = new Campaign("c", "t", 0, 1, 1, 0, wishes);
        wishes.add(wish("b", 1));

        assertEquals(1, campaign.wishes().size());
        assertThrows(UnsupportedOperationException.class, () -> campaign.wishes().add(wish("c", 1)));
    }

    @Test
    void shouldMatchAllWishesWithTheEmptyFilter() {
        WishView view = new WishView(new WishSpec("w", "t", 1, null, null, null, null), "c", 0, 0);

        assertTrue(WishFilter.ALL.matches(view));
        assertFalse(new WishFilter(null, null, null, true).matches(view));
        assertFalse(new WishFilter(null, "any", null, false).matches(view));
        assertFalse(new WishFilter(null, null, "any", false).matches(view));
        assertEquals("w", view.id());
    }

    /** Names the visitor method a reply lands on, so a test can see the double dispatch. */
    private static final class KindOfReply implements Reply.Visitor<String> {
        public String claim(Outcome outcome) { return "claim " + outcome.result(); }
        public String creation(Outcome outcome) { return "creation " + outcome.result(); }
        public String transition(Outcome outcome) { return "transition " + outcome.result(); }
        public String wish(String wishId, WishView wish) { return "wish " + wishId + " " + (wish != null); }
        public String wishes(WishPage page) { return "wishes " + page.wishes().size(); }
        public String campaign(String campaignId, CampaignView campaign) { return "campaign " + campaignId + " " + (campaign != null); }
        public String campaigns(List<CampaignView> campaigns) { return "campaigns " + campaigns.size(); }
        public String claims(List<Claim> claims) { return "claims " + claims.size(); }
        public String campaignClaims(String campaignId, List<Claim> claims) { return "campaignClaims " + campaignId + " " + claims.size(); }
        public String stats(String campaignId, Stats stats) { return "stats " + campaignId + " " + stats.campaigns(); }
        public String expiry(Reply.Expiry expiry) { return "expiry " + expiry.expired().size(); }
        public String internal(Reply.Internal internal) { return "internal " + internal.campaignId() + " " + internal.applied(); }
        public String draws(Reply.Draws draws) { return "draws " + draws.claims().size(); }
        public String entries(List<Entry> entries) { return "entries " + entries.size(); }
        public String draw(String campaignId, DrawView draw) { return "draw " + campaignId + " " + (draw != null); }
        public String org(OrgChange change) { return "org " + change.result(); }
        public String orgs(List<Org> orgs) { return "orgs " + orgs.size(); }
        public String orgStats(String orgId, SubtreeStats stats) { return "orgStats " + orgId + " " + (stats != null); }
        public String auditScope(Reply.AuditScopeFound scope) { return "auditScope " + scope.orgId() + " " + scope.found(); }
        public String forbidden(Reply.Forbidden forbidden) { return "forbidden " + forbidden.kind() + " " + forbidden.id(); }
    }

    @Test
    void shouldAnswerEveryCommandWithTheReplyOfItsKind() {
        Book book = new Book();
        List<Command> commands = List.of(
                new Command.CreateCampaign(draft("c", 0, 1, 1, wish("w", 1)), 1),
                new Command.ClaimWish("w", "u", 2),
                new Command.Fulfil("cl-1", null, 4),
                new Command.Confirm("cl-1", 5, "ok", 5),
                new Command.Cancel("cl-1", "u", 3),
                new Command.Expire(6),
                new Command.GetWish("w", 7),
                new Command.ListWishes(WishFilter.ALL, 0, WishPage.DEFAULT_LIMIT, 8),
                new Command.GetCampaign("c", 9),
                new Command.ListCampaigns(10),
                new Command.GetClaim("cl-1", "someone-else", 11),
                new Command.UserClaims("u", 12),
                new Command.CampaignClaims("c", 13),
                new Command.GetStats(null, 14),
                new Command.DrawDue(14),
                new Command.UserEntries("u", 14),
                new Command.GetDraw("c", 14),
                new Command.Drop("c", 15),
                new Command.Drop("c", 16),
                new Command.Adopt(draft("c", 0, 1, 1, wish("w", 1)).withIds("c", List.of(wish("w", 1)), 1), List.of(), 17),
                new Command.CreateOrg("town", "Town", null, null, 18),
                new Command.RenameOrg("town", "Town 2", null, 19),
                new Command.LoadOrgs(List.of(new Org("comm", "Community", "town")), null, 20),
                new Command.ListOrgs(null, 21),
                new Command.OrgStats("town", null, 22),
                new Command.CampaignClaims("c", "town", 23),
                new Command.RetireOrg("comm", null, 24),
                new Command.AuditScope("town", null, 25));

        List<String> kinds = new ArrayList<>();
        for (Command command : commands) {
            kinds.add(command.apply(book).accept(new KindOfReply()));
        }
        assertEquals(List.of("creation CREATED", "claim CREATED", "transition UPDATED", "transition UPDATED",
                "transition INVALID_STATE", "expiry 0", "wish w true", "wishes 1", "campaign c true", "campaigns 1",
                "transition FORBIDDEN", "claims 1", "campaignClaims c 1", "stats null 1", "draws 0", "entries 0",
                "draw c true", "internal c true",
                "internal c false", "internal c true", "org CREATED", "org UPDATED", "org UPDATED", "orgs 2",
                "orgStats town true", "forbidden campaign c", "org UPDATED",
                "auditScope town true"), kinds);
    }

    @Test
    void shouldCarryTheChangesAndEventsOfADecisionAndNoneOfARead() {
        Book book = new Book();
        Reply created = new Command.CreateCampaign(draft("c", 0, 1, 1, wish("w", 1)), 1).apply(book);
        assertEquals(List.of(new WishEvent(WishEvent.Type.CAMPAIGN, null, "c", null, 1, "Campaign c", 0)),
                created.events(), "a new campaign is announced with its title and opening");
        Reply claimed = new Command.ClaimWish("w", "u", 2).apply(book);
        List<Object> changes = new ArrayList<>();
        ChangeSink sink = new ChangeSink() {
            public void claimChanged(Claim claim) { changes.add(claim.id() + " " + claim.status()); }
            public void campaignCreated(Campaign campaign) { changes.add(campaign.id()); }
            public void entryChanged(Entry entry) { changes.add(entry.id() + " " + entry.outcome()); }
            public void orgChanged(Org org) { changes.add("org " + org.id()); }
        };
        claimed.changes(sink);
        assertEquals(List.of("cl-1 CLAIMED"), changes);
        assertEquals(List.of(WishEvent.Type.CLAIMED, WishEvent.Type.SOLD_OUT),
                claimed.events().stream().map(WishEvent::type).toList(), "the book decides sold out");

        changes.clear();
        Reply soldOut = new Command.ClaimWish("w", "v", 3).apply(book);
        soldOut.changes(sink);
        new Command.GetWish("w", 4).apply(book).changes(sink);
        assertEquals(List.of(), changes);
        assertEquals(List.of(), soldOut.events());
    }
}
