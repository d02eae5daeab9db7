package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every organiser command, issued through {@link Command} as the writer issues it, in and out of
 * the acting organiser's scope: inside it decides as for the district administrator; outside it
 * is {@code forbidden} and changes nothing.
 *
 * <p>The district: {@code district} → {@code town-a} → {@code comm-a1}, and {@code town-b};
 * campaign {@code ca} of {@code comm-a1}, {@code cb} of {@code town-b}, {@code cx} of no org.
 */
class BookOrgScopeTest {

    private static final String A = "town-a";
    private static final String B = "town-b";

    private final Book book = new Book();
    /** A claimed and a fulfilled claim in each campaign, by its key. */
    private String claimedA;
    private String fulfilledA;
    private String claimedB;
    private String fulfilledB;
    private String claimedX;
    private String fulfilledX;

    @BeforeEach
    void district() {
        for (Command command : List.of(new Command.CreateOrg("district", "金山区", null, null, 1),
                new Command.CreateOrg(A, "朱泾镇", "district", null, 2),
                new Command.CreateOrg("comm-a1", "Community A1", A, null, 3),
                new Command.CreateOrg(B, "枫泾镇", "district", null, 4))) {
            Reply reply = command.apply(book);
            assertTrue(reply.changedState(), () -> command + " -> " + reply);
        }
        create("ca", "comm-a1", A);
        create("cb", B, B);
        create("cx", null, null);
        claimedA = claimed(book, "ca-1", "u1", OPENS).id();
        fulfilledA = fulfilled("ca-2", "u2");
        claimedB = claimed(book, "cb-1", "u1", OPENS).id();
        fulfilledB = fulfilled("cb-2", "u2");
        claimedX = claimed(book, "cx-1", "u1", OPENS).id();
        fulfilledX = fulfilled("cx-2", "u2");
    }

    private void create(String id, String org, String scope) {
        Campaign draft = draft(id, 2, 1, wish(id + "-1", 2), wish(id + "-2", 2)).withOrg(org);
        Outcome outcome = ((Reply.CampaignCreation) new Command.CreateCampaign(draft, BEFORE, 0, scope)
                .apply(book)).outcome();
        assertEquals(Result.CREATED, outcome.result(), () -> "create " + id + " as " + scope + " -> " + outcome);
    }

    private String fulfilled(String wishId, String userId) {
        String id = claimed(book, wishId, userId, OPENS).id();
        assertEquals(Result.UPDATED, book.fulfil(id, userId, OPENS + 1).result());
        return id;
    }

    private Outcome transition(Command command) {
        return ((Reply.ClaimTransition) command.apply(book)).outcome();
    }

    private Result publish(String id, String org, String scope) {
        Campaign draft = draft(id, 1, 1, wish(id + "-w", 1)).withOrg(org);
        return ((Reply.CampaignCreation) new Command.CreateCampaign(draft, OPENS, 0, scope).apply(book))
                .outcome().result();
    }

    @Test
    void shouldPublishOnlyUnderTheOwnOrgOrBelowIt() {
        assertEquals(Result.CREATED, publish("p1", A, A), "its own org");
        assertEquals(Result.CREATED, publish("p2", "comm-a1", A), "below it");
        assertEquals(Result.FORBIDDEN, publish("p3", B, A), "a sibling's");
        assertEquals(Result.FORBIDDEN, publish("p4", "district", A), "its parent's");
        assertEquals(Result.FORBIDDEN, publish("p5", null, A), "the whole district's");
        assertEquals(Result.FORBIDDEN, publish("p6", "nowhere", A), "an unknown org is within no scope");
        assertEquals(Result.CREATED, publish("p7", B, "district"), "the district's organiser reaches every town");
        assertEquals(Result.FORBIDDEN, publish("p8", null, "district"),
                "a campaign of no org is the administrator's alone");
        assertEquals(Result.CREATED, publish("p9", null, null), "the administrator publishes anywhere");
        assertEquals(Result.CREATED, publish("p10", "comm-a1", null));
        for (String refused : List.of("p3", "p4", "p5", "p6", "p8")) {
            assertEquals(null, book.campaign(refused), refused + " was not created");
        }
    }

    @Test
    void shouldRefuseAnUnknownOrRetiredOrgAtPublish() {
        Outcome unknown = book.createCampaign(draft("u1", 1, 1, wish("u1-w", 1)).withOrg("nowhere"), OPENS, 0, null);
        assertEquals(Result.UNKNOWN_ORG, unknown.result());
        assertEquals("nowhere", unknown.detail());
        assertFalse(unknown.result().changesState());

        assertEquals(OrgResult.CREATED, book.createOrg("town-c", "Town C", "district", null).result());
        assertEquals(OrgResult.UPDATED, book.retireOrg("town-c", null).result());
        assertEquals(Result.ORG_RETIRED, publish("r1", "town-c", null));
        assertEquals(Result.ORG_RETIRED, publish("r2", "town-c", "district"), "its organisers cannot either");
        assertEquals(Result.ORG_RETIRED, publish("r3", "town-c", "town-c"));
        assertEquals(Result.FORBIDDEN, publish("r4", "town-c", A), "outside the scope comes first");
        assertEquals(null, book.campaign("u1"));
        assertEquals(null, book.wish("r1-w"));
    }

    @Test
    void shouldCancelFulfilConfirmAndReadOnlyClaimsWithinTheScope() {
        assertEquals(Result.FORBIDDEN, transition(new Command.Cancel(claimedB, null, A, OPENS + 2)).result());
        assertEquals(Result.FORBIDDEN, transition(new Command.Fulfil(claimedB, null, A, OPENS + 2)).result());
        assertEquals(Result.FORBIDDEN, transition(new Command.Confirm(fulfilledB, 5, "ok", A, OPENS + 2)).result());
        assertEquals(Result.FORBIDDEN, transition(new Command.GetClaim(claimedB, null, A, OPENS + 2)).result());
        assertEquals(Result.FORBIDDEN, transition(new Command.Cancel(claimedX, null, A, OPENS + 2)).result());
        assertEquals(Result.FORBIDDEN, transition(new Command.Confirm(fulfilledX, 5, "ok", "district", OPENS + 2))
                .result(), "a claim of no org is the administrator's alone");
        assertEquals(ClaimStatus.CLAIMED, book.claim(claimedB).status(), "nothing changed");
        assertEquals(ClaimStatus.FULFILLED, book.claim(fulfilledB).status());
        assertEquals(ClaimStatus.CLAIMED, book.claim(claimedX).status());
        assertEquals(ClaimStatus.FULFILLED, book.claim(fulfilledX).status());
        assertEquals(Result.NOT_FOUND, transition(new Command.Cancel("cl-999", null, A, OPENS + 2)).result());

        assertEquals(Result.FOUND, transition(new Command.GetClaim(claimedA, null, A, OPENS + 3)).result());
        assertEquals(Result.UPDATED, transition(new Command.Confirm(fulfilledA, 4, "ok", A, OPENS + 3)).result());
        assertEquals(Result.UPDATED, transition(new Command.Fulfil(claimedA, null, "comm-a1", OPENS + 3)).result());
        Claim second = claimed(book, "ca-1", "u3", OPENS + 4);
        assertEquals(Result.UPDATED, transition(new Command.Cancel(second.id(), null, "district", OPENS + 5))
                .result());
        assertEquals(Result.FORBIDDEN, transition(new Command.Fulfil(claimedA, null, B, OPENS + 6)).result());
    }

    @Test
    void shouldLetTheAdministratorActOnEveryClaim() {
        for (String claimed : List.of(claimedA, claimedB, claimedX)) {
            assertEquals(Result.FOUND, transition(new Command.GetClaim(claimed, null, null, OPENS + 2)).result());
            assertEquals(Result.UPDATED, transition(new Command.Fulfil(claimed, null, null, OPENS + 2)).result());
        }
        for (String fulfilled : List.of(fulfilledA, fulfilledB, fulfilledX)) {
            assertEquals(Result.UPDATED, transition(new Command.Confirm(fulfilled, 5, null, OPENS + 3)).result());
        }
        Claim again = claimed(book, "cb-1", "u9", OPENS + 4);
        assertEquals(Result.UPDATED, transition(new Command.Cancel(again.id(), null, OPENS + 5)).result(),
                "the old constructor acts as the administrator");
    }

    @Test
    void shouldFilterTheWallByAnOrgAndEverythingBelowIt() {
        assertEquals(List.of("ca-1", "ca-2", "cb-1", "cb-2"), wallOf("district"));
        assertEquals(List.of("ca-1", "ca-2"), wallOf(A), "a town shows its communities' wishes");
        assertEquals(List.of("ca-1", "ca-2"), wallOf("comm-a1"));
        assertEquals(List.of("cb-1", "cb-2"), wallOf(B));
        assertEquals(List.of(), wallOf("nowhere"));
        assertEquals(6, book.wishes(WishFilter.ALL, 0, 100).wishes().size(), "no org: every wish");
    }

    private List<String> wallOf(String org) {
        return book.wishes(new WishFilter(null, null, null, false, org), 0, 100).wishes().stream()
                .map(w -> w.spec().id()).toList();
    }

    @Test
    void shouldLeaveUsersAsTheyWere() {
        assertEquals(Result.FORBIDDEN, transition(new Command.Cancel(claimedB, "someone-else", OPENS + 2)).result());
        assertEquals(Result.UPDATED, transition(new Command.Cancel(claimedB, "u1", OPENS + 2)).result(),
                "a user's own claim, whatever org its campaign has");
        assertEquals(Result.UPDATED, transition(new Command.Cancel(claimedX, "u1", A, OPENS + 2)).result(),
                "a scope means nothing to a user's command");
    }

    @Test
    void shouldListCampaignClaimsAndStatsOnlyWithinTheScope() {
        Reply outside = new Command.CampaignClaims("cb", A, OPENS + 2).apply(book);
        assertEquals(new Reply.Forbidden("campaign", "cb"), outside);
        assertFalse(outside.changedState());
        assertEquals(new Reply.Forbidden("campaign", "cx"), new Command.CampaignClaims("cx", "district", OPENS).apply(book));
        Reply inside = new Command.CampaignClaims("ca", A, OPENS + 2).apply(book);
        assertEquals(List.of(claimedA, fulfilledA), BookFixtures.ids(((Reply.CampaignClaimList) inside).claims()));
        assertTrue(((Reply.CampaignClaimList) new Command.CampaignClaims("nothing", A, OPENS).apply(book)).notFound());
        assertEquals(2, ((Reply.CampaignClaimList) new Command.CampaignClaims("cx", OPENS).apply(book)).claims().size());

        assertEquals(new Reply.Forbidden("campaign", "cb"), new Command.GetStats("cb", A, OPENS).apply(book));
        Stats ca = ((Reply.StatsFound) new Command.GetStats("ca", A, OPENS).apply(book)).stats();
        assertEquals(book.stats("ca"), ca);
        Stats townA = ((Reply.StatsFound) new Command.GetStats(null, A, OPENS).apply(book)).stats();
        assertEquals(ca, townA, "without a campaign: the totals of the scope's subtree");
        Stats all = ((Reply.StatsFound) new Command.GetStats(null, null, OPENS).apply(book)).stats();
        assertEquals(book.stats(), all);
        assertEquals(3, all.campaigns());
        assertEquals(new Reply.Forbidden("org", "nowhere"), new Command.GetStats(null, "nowhere", OPENS).apply(book),
                "a scope the tree does not hold reaches nothing");
    }

    @Test
    void shouldReadOrgStatsAndTheTreeOnlyWithinTheScope() {
        Function<Command, Reply> run = command -> command.apply(book);
        assertEquals(new Reply.Forbidden("org", B), run.apply(new Command.OrgStats(B, A, OPENS)));
        assertEquals(new Reply.Forbidden("org", "district"), run.apply(new Command.OrgStats("district", A, OPENS)));
        assertEquals(new Reply.Forbidden("org", "nowhere"), run.apply(new Command.OrgStats("nowhere", A, OPENS)),
                "an organiser cannot tell an unknown org from another's");
        assertTrue(run.apply(new Command.OrgStats("nowhere", null, OPENS)).notFound(), "the administrator can");

        SubtreeStats own = ((Reply.OrgStatsFound) run.apply(new Command.OrgStats(null, A, OPENS))).stats();
        assertEquals(A, own.org().id(), "no org asked: the scope's own");
        assertEquals(1, own.totals().campaigns());
        assertEquals(List.of("comm-a1"), own.children().stream().map(row -> row.org().id()).toList());
        SubtreeStats district = ((Reply.OrgStatsFound) run.apply(new Command.OrgStats(null, null, OPENS))).stats();
        assertEquals(null, district.org());
        assertEquals(book.stats(), district.totals(), "the district counts the campaign of no org too");
        assertEquals(List.of("district"), district.children().stream().map(row -> row.org().id()).toList());
        SubtreeStats root = ((Reply.OrgStatsFound) run.apply(new Command.OrgStats("district", "district", OPENS)))
                .stats();
        assertEquals(2, root.totals().campaigns(), "the root org has every campaign but the one of no org");
        assertEquals(List.of(A, B), root.children().stream().map(row -> row.org().id()).toList());

        assertEquals(List.of(A, "comm-a1"), ((Reply.OrgListing) run.apply(new Command.ListOrgs(A, OPENS))).orgs()
                .stream().map(Org::id).toList());
        assertEquals(4, ((Reply.OrgListing) run.apply(new Command.ListOrgs(null, OPENS))).orgs().size());
        assertEquals(new Reply.Forbidden("org", "nowhere"), run.apply(new Command.ListOrgs("nowhere", OPENS)));
    }

    @Test
    void shouldEditTheTreeOnlyBelowTheOwnOrg() {
        OrgChange inside = edit(new Command.CreateOrg("point-1", "Point", "comm-a1", A, OPENS));
        assertEquals(OrgResult.CREATED, inside.result(), "below its own org");
        assertEquals(OrgResult.CREATED, edit(new Command.CreateOrg("comm-a2", "A2", A, A, OPENS)).result(),
                "directly under its own org");
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.CreateOrg("comm-b2", "B2", B, A, OPENS)).result());
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.CreateOrg("root-2", "R", null, A, OPENS)).result(),
                "a root is the administrator's alone");
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.CreateOrg("x", "X", "nowhere", A, OPENS)).result());

        assertEquals(OrgResult.UPDATED, edit(new Command.RenameOrg("comm-a1", "Renamed", A, OPENS)).result());
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.RenameOrg(A, "Self", A, OPENS)).result(),
                "not its own org");
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.RenameOrg(B, "Other", A, OPENS)).result());
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.RenameOrg("nowhere", "N", A, OPENS)).result());

        assertEquals(OrgResult.UPDATED, edit(new Command.RetireOrg("point-1", A, OPENS)).result());
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.RetireOrg(A, A, OPENS)).result());
        assertEquals(OrgResult.FORBIDDEN, edit(new Command.RetireOrg(B, A, OPENS)).result());

        assertEquals(OrgResult.FORBIDDEN, edit(new Command.LoadOrgs(List.of(new Org("comm-a3", "A3", A)), A, OPENS))
                .result(), "a whole tree is the administrator's alone");
        assertEquals(OrgResult.UPDATED, edit(new Command.LoadOrgs(List.of(new Org("comm-a3", "A3", A)), null, OPENS))
                .result());
        assertEquals(OrgResult.UPDATED, edit(new Command.RenameOrg(A, "Renamed by the district", null, OPENS))
                .result());

        assertEquals("Renamed", book.org("comm-a1").name());
        assertEquals("枫泾镇", book.org(B).name(), "no refused edit changed anything");
        assertEquals(null, book.org("comm-b2"));
        assertFalse(book.org(B).retired());
    }

    @Test
    void shouldHandTreeEditsToTheCommitAndRefusalsNot() {
        List<Org> committed = new ArrayList<>();
        ChangeSink sink = new ChangeSink() {
            public void claimChanged(Claim claim) { throw new AssertionError(claim); }
            public void campaignCreated(Campaign campaign) { throw new AssertionError(campaign); }
            public void entryChanged(Entry entry) { throw new AssertionError(entry); }
            public void orgChanged(Org org) { committed.add(org); }
        };
        Reply created = new Command.CreateOrg("comm-a2", "A2", A, A, OPENS).apply(book);
        assertTrue(created.changedState());
        created.changes(sink);
        Reply refused = new Command.CreateOrg("comm-b2", "B2", B, A, OPENS).apply(book);
        assertFalse(refused.changedState());
        refused.changes(sink);
        Reply unchanged = new Command.RenameOrg("comm-a2", "A2", null, OPENS).apply(book);
        assertFalse(unchanged.changedState(), "the same name: nothing to commit");
        unchanged.changes(sink);
        Reply loaded = new Command.LoadOrgs(List.of(new Org("comm-a2", "A2", B), new Org("comm-b3", "B3", B)), null,
                OPENS).apply(book);
        assertTrue(loaded.changedState());
        loaded.changes(sink);
        assertEquals(List.of(new Org("comm-a2", "A2", A), new Org("comm-a2", "A2", B), new Org("comm-b3", "B3", B)),
                committed);
        assertNotNull(book.org("comm-b3"));
    }

    private OrgChange edit(Command command) {
        return ((Reply.OrgEdit) command.apply(book)).change();
    }
}
