package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The audit records the book's decisions carry (API.md 6.18), as the commit collects them: every
 * organiser action that changed the book yields exactly one record with who, what and where; a
 * claimer's own cancel or fulfil, a refusal and an edit that changed nothing yield none.
 */
class BookAuditTest {

    private static final String A = "town-a";
    private static final String B = "town-b";

    private final Book book = new Book();

    /** The records one command hands to the commit. */
    private List<AuditRecord> audited(Command command) {
        List<AuditRecord> records = new ArrayList<>();
        command.apply(book).changes(new ChangeSink() {
            public void claimChanged(Claim claim) { }
            public void campaignCreated(Campaign campaign) { }
            public void entryChanged(Entry entry) { }
            public void orgChanged(Org org) { }
            @Override
            public void audited(AuditRecord record) { records.add(record); }
        });
        return records;
    }

    private AuditRecord one(Command command) {
        List<AuditRecord> records = audited(command);
        assertEquals(1, records.size(), () -> command + " -> " + records);
        return records.get(0);
    }

    private void district() {
        assertEquals(new AuditRecord(1, "admin", "org-create", "district", null, "district", "金山区"),
                one(new Command.CreateOrg("district", "金山区", null, null, 1)));
        assertEquals(new AuditRecord(2, "admin", "org-create", A, null, A, "朱泾镇 under district"),
                one(new Command.CreateOrg(A, "朱泾镇", "district", null, 2)));
        one(new Command.CreateOrg(B, "枫泾镇", "district", null, 3));
    }

    private String claim(String wishId, String user) {
        return claimed(book, wishId, user, OPENS).id();
    }

    @Test
    void shouldRecordEachOrganiserActionOnceWithWhoWhatAndWhere() {
        district();
        assertEquals(new AuditRecord(4, "organiser:" + A, "org-create", "comm-a1", null, "comm-a1",
                        "Community A1 under " + A),
                one(new Command.CreateOrg("comm-a1", "Community A1", A, A, 4)), "a scoped organiser adds a child");
        assertEquals(new AuditRecord(5, "organiser:" + A, "org-rename", "comm-a1", null, "comm-a1", "C A1"),
                one(new Command.RenameOrg("comm-a1", "C A1", A, 5)));

        Campaign draft = draft("ca", 2, 1, wish("ca-1", 3), wish("ca-2", 3)).withOrg("comm-a1");
        assertEquals(new AuditRecord(BEFORE, "organiser:" + A, "publish", "comm-a1", "ca", "ca", "2 wishes"),
                one(new Command.CreateCampaign(draft, BEFORE, 0, A)));

        String cancelled = claim("ca-1", "u1");
        assertEquals(new AuditRecord(OPENS + 1, "organiser:" + A, "cancel", "comm-a1", "ca", cancelled, null),
                one(new Command.Cancel(cancelled, null, A, OPENS + 1)), "cancel on behalf");
        String delivered = claim("ca-2", "u2");
        assertEquals(new AuditRecord(OPENS + 2, "admin", "fulfil", "comm-a1", "ca", delivered, null),
                one(new Command.Fulfil(delivered, null, null, OPENS + 2)), "fulfil on behalf, by the administrator");
        assertEquals(new AuditRecord(OPENS + 3, "organiser:comm-a1", "confirm", "comm-a1", "ca", delivered, "rating 4"),
                one(new Command.Confirm(delivered, 4, "thanks", "comm-a1", OPENS + 3)));

        assertEquals(new AuditRecord(OPENS + 4, "admin", "org-load", "district", null, "district", "2 orgs"),
                one(new Command.LoadOrgs(List.of(new Org("comm-b1", "B1", B), new Org("comm-a2", "A2", A)), null,
                        OPENS + 4)), "a load is recorded once, on the lowest org above all it loaded");
        assertEquals(new AuditRecord(OPENS + 5, "organiser:" + B, "org-retire", "comm-b1", null, "comm-b1", null),
                one(new Command.RetireOrg("comm-b1", B, OPENS + 5)));
    }

    @Test
    void shouldRecordNothingForTheClaimersOwnStepsRefusalsAndEditsThatChangeNothing() {
        district();
        assertEquals(List.of(), audited(new Command.CreateCampaign(
                draft("cb", 2, 1, wish("cb-1", 3)).withOrg(B), BEFORE, 0, A)), "publishing outside the scope");
        one(new Command.CreateCampaign(draft("cb", 2, 1, wish("cb-1", 3)).withOrg(B), BEFORE, 0, B));
        String mine = claim("cb-1", "u1");
        assertEquals(List.of(), audited(new Command.Fulfil(mine, "u1", null, OPENS + 1)), "the claimer's own fulfil");
        String again = claim("cb-1", "u2");
        assertEquals(List.of(), audited(new Command.Cancel(again, "u2", null, OPENS + 2)), "the claimer's own cancel");
        String third = claim("cb-1", "u3");
        assertEquals(List.of(), audited(new Command.Cancel(third, null, A, OPENS + 3)), "cancel outside the scope");
        assertEquals(List.of(), audited(new Command.Cancel(third, "someone-else", null, OPENS + 3)), "not the claimer");
        assertEquals(List.of(), audited(new Command.Confirm(third, 5, null, B, OPENS + 4)), "not yet fulfilled");
        assertEquals(List.of(), audited(new Command.RenameOrg(B, "枫泾镇", null, OPENS + 5)), "the same name");
        assertEquals(List.of(), audited(new Command.CreateOrg(B, "again", "district", null, OPENS + 6)), "taken id");
        assertEquals(List.of(), audited(new Command.RetireOrg(A, B, OPENS + 7)), "outside the scope");
        assertEquals(List.of(), audited(new Command.GetClaim(third, null, B, OPENS + 8)), "a read");
    }

    @Test
    void shouldNameTheOrgsOfTheSubtreeAnAuditReadCovers() {
        district();
        one(new Command.CreateOrg("comm-a1", "Community A1", A, null, 4));
        assertEquals(new Reply.AuditScopeFound(A, true, Set.of(A, "comm-a1")),
                new Command.AuditScope(A, null, 5).apply(book), "the administrator, one town");
        assertEquals(new Reply.AuditScopeFound(null, true, Set.of(A, "comm-a1")),
                new Command.AuditScope(null, A, 5).apply(book), "a town organiser's own subtree by default");
        assertEquals(new Reply.AuditScopeFound(null, true, null),
                new Command.AuditScope(null, null, 5).apply(book), "the administrator without an org: everything");
        assertEquals(new Reply.Forbidden("org", B), new Command.AuditScope(B, A, 5).apply(book), "another town");
        assertEquals(new Reply.Forbidden("org", "nowhere"), new Command.AuditScope("nowhere", A, 5).apply(book));
        Reply unknown = new Command.AuditScope("nowhere", null, 5).apply(book);
        assertTrue(unknown.notFound(), "an org the administrator asks for that does not exist");
        assertFalse(new Command.AuditScope("comm-a1", A, 5).apply(book).notFound());
    }
}
