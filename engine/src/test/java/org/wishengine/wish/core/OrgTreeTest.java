package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.HOUR;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.updated;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edits of the organiser tree: ids, parents, cycles, retiring, loading a whole tree, recovery. */
class OrgTreeTest {

    private final OrgTree tree = new OrgTree();

    /** district → town-a (→ comm-a1, comm-a2), town-b (→ comm-b1). */
    private void district() {
        assertEquals(OrgResult.CREATED, tree.add("district", "金山区", null).result());
        assertEquals(OrgResult.CREATED, tree.add("town-a", "朱泾镇", "district").result());
        assertEquals(OrgResult.CREATED, tree.add("town-b", "Town B", "district").result());
        assertEquals(OrgResult.CREATED, tree.add("comm-a2", "Community A2", "town-a").result());
        assertEquals(OrgResult.CREATED, tree.add("comm-a1", "Community A1", "town-a").result());
        assertEquals(OrgResult.CREATED, tree.add("comm-b1", "Community B1", "town-b").result());
    }

    private static List<String> ids(List<Org> orgs) {
        List<String> ids = new ArrayList<>();
        for (Org org : orgs) {
            ids.add(org.id());
        }
        return ids;
    }

    @Test
    void shouldAddOrgsUnderTheirParentsAndAnswerScopesPathsAndChildren() {
        OrgChange created = tree.add("district", "金山区", null);
        assertEquals(new OrgChange(OrgResult.CREATED, new Org("district", "金山区", null), null,
                List.of(new Org("district", "金山区", null))), created, "the new org is what the store gets");
        tree.add("town-a", "朱泾镇", "district");
        tree.add("town-b", "Town B", "district");
        tree.add("comm-a2", "Community A2", "town-a");
        tree.add("comm-a1", "Community A1", "town-a");
        tree.add("comm-b1", "Community B1", "town-b");

        assertEquals(List.of("district", "town-a", "comm-a1"), ids(tree.path("comm-a1")));
        assertEquals(List.of(), tree.path("nowhere"));
        assertEquals(List.of("comm-a1", "comm-a2"), ids(tree.children("town-a")), "siblings in id order");
        assertEquals(List.of("district"), ids(tree.children(null)), "the roots");
        assertNull(tree.children("nowhere"));
        assertEquals(List.of("district", "town-a", "comm-a1", "comm-a2", "town-b", "comm-b1"),
                ids(tree.subtree(null)), "parents before children");
        assertEquals(List.of("town-b", "comm-b1"), ids(tree.subtree("town-b")));

        assertTrue(tree.isWithin("comm-a1", "comm-a1"), "an org is within its own scope");
        assertTrue(tree.isWithin("comm-a1", "town-a"));
        assertTrue(tree.isWithin("comm-a1", "district"));
        assertFalse(tree.isWithin("comm-a1", "town-b"), "not a sibling's");
        assertFalse(tree.isWithin("town-a", "comm-a1"), "not below");
        assertTrue(tree.isWithin("comm-b1", null), "the administrator sees everything");
        assertTrue(tree.isWithin(null, null));
        assertFalse(tree.isWithin(null, "district"), "a campaign of no org is the administrator's alone");
        assertFalse(tree.isWithin("nowhere", "district"), "an unknown org is within no scope");
        assertFalse(tree.isWithin("comm-a1", "nowhere"));
    }

    @Test
    void shouldRefuseTakenIdsUnknownAndRetiredParents() {
        district();
        OrgChange taken = tree.add("town-a", "again", "district");
        assertEquals(OrgResult.ALREADY_EXISTS, taken.result());
        assertEquals("town-a", taken.detail());
        assertEquals(List.of(), taken.changed());
        assertEquals("朱泾镇", tree.get("town-a").name(), "the org keeps its name");

        OrgChange orphan = tree.add("comm-x", "X", "town-x");
        assertEquals(OrgResult.UNKNOWN_PARENT, orphan.result());
        assertEquals("town-x", orphan.detail());
        assertNull(tree.get("comm-x"));

        assertEquals(OrgResult.UPDATED, tree.retire("comm-b1").result());
        assertEquals(OrgResult.RETIRED_PARENT, tree.add("point-1", "Point", "comm-b1").result());
        assertEquals(OrgResult.ALREADY_EXISTS, tree.add("comm-b1", "Reused", "town-b").result(),
                "a retired org keeps its id for good");
        assertEquals(6, tree.size());
    }

    @Test
    void shouldRenameAnyOrgAndReportNoChangeForTheSameName() {
        district();
        OrgChange renamed = tree.rename("town-b", "枫泾镇");
        assertEquals(OrgResult.UPDATED, renamed.result());
        assertEquals(List.of(new Org("town-b", "枫泾镇", "district")), renamed.changed());
        assertEquals(List.of(), tree.rename("town-b", "枫泾镇").changed(), "nothing to commit");
        assertEquals(OrgResult.UNKNOWN_ORG, tree.rename("nowhere", "x").result());
        tree.retire("comm-b1");
        assertEquals(new Org("comm-b1", "Old B1", "town-b", true), tree.rename("comm-b1", "Old B1").org(),
                "a retired org may be renamed and stays retired");
    }

    @Test
    void shouldRetireOnlyAnOrgWithoutLiveChildren() {
        district();
        OrgChange refused = tree.retire("town-a");
        assertEquals(OrgResult.HAS_CHILDREN, refused.result());
        assertEquals("comm-a1", refused.detail(), "names a live child");
        assertFalse(tree.get("town-a").retired());

        assertEquals(OrgResult.UPDATED, tree.retire("comm-a1").result());
        assertEquals(OrgResult.UPDATED, tree.retire("comm-a2").result());
        OrgChange retired = tree.retire("town-a");
        assertEquals(List.of(new Org("town-a", "朱泾镇", "district", true)), retired.changed(),
                "retired children do not hold their parent back");
        assertEquals(List.of(), tree.retire("town-a").changed(), "retiring twice changes nothing");
        assertEquals(OrgResult.UNKNOWN_ORG, tree.retire("nowhere").result());
        assertTrue(tree.isWithin("comm-a1", "town-a"), "a retired org keeps its scope over what it had");
    }

    @Test
    void shouldRefuseToRetireAnOrgWithAnOpenCampaignUntilEveryUnitIsSettled() {
        Book book = new Book();
        book.createOrg("district", "District", null, null);
        book.createOrg("town-a", "Town A", "district", null);
        assertEquals(Result.CREATED, book.createCampaign(draft("c1", 1, 1, wish("w1", 1), wish("w2", 1))
                .withOrg("town-a"), BEFORE).result());

        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, book.retireOrg("town-a", null).result(), "units nobody holds");
        Claim first = claimed(book, "w1", "u1", OPENS);
        Claim second = claimed(book, "w2", "u2", OPENS);
        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, book.retireOrg("town-a", null).result(), "claims not delivered");
        updated(book.fulfil(first.id(), null, OPENS + 1));
        updated(book.confirm(first.id(), 5, null, OPENS + 2));
        updated(book.cancel(second.id(), null, OPENS + 3));
        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, book.retireOrg("town-a", null).result(),
                "a cancelled claim gives its unit back");
        Claim again = claimed(book, "w2", "u3", OPENS + 4);
        updated(book.fulfil(again.id(), "u3", OPENS + 5));
        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, book.retireOrg("town-a", null).result(), "awaits confirmation");
        updated(book.confirm(again.id(), 3, null, OPENS + 6));

        assertEquals(OrgResult.UPDATED, book.retireOrg("town-a", null).result(), "every unit confirmed");
        assertEquals(OrgResult.UPDATED, book.retireOrg("district", null).result(),
                "the district's only child is retired and it has no campaign");
        assertEquals(Result.ORG_RETIRED, book.createCampaign(draft("c2", 1, 1, wish("w3", 1)).withOrg("town-a"),
                OPENS + 7).result());
    }

    @Test
    void shouldLoadAWholeTreeInOneEditInAnyOrder() {
        OrgChange loaded = tree.load(List.of(new Org("comm-a1", "A1", "town-a"), new Org("town-a", "A", "district"),
                new Org("district", "D", null), new Org("comm-old", "Old", "town-a", true)));
        assertEquals(OrgResult.UPDATED, loaded.result());
        assertEquals(4, loaded.changed().size());
        assertEquals(List.of("district", "town-a", "comm-a1", "comm-old"), ids(tree.subtree(null)));
        assertTrue(tree.get("comm-old").retired(), "a retired org may be loaded as such");

        OrgChange again = tree.load(List.of(new Org("town-a", "A", "district"), new Org("town-b", "B", "district"),
                new Org("comm-a1", "A1 renamed", "town-a")));
        assertEquals(List.of(new Org("town-b", "B", "district"), new Org("comm-a1", "A1 renamed", "town-a")),
                again.changed(), "only what changed goes to the store");
        assertEquals(List.of(), tree.load(List.of()).changed());

        OrgChange moved = tree.load(List.of(new Org("comm-a1", "A1 renamed", "town-b")));
        assertEquals(OrgResult.UPDATED, moved.result());
        assertEquals(List.of("town-b", "district"), List.of(tree.path("comm-a1").get(1).id(),
                tree.path("comm-a1").get(0).id()));
        assertTrue(tree.isWithin("comm-a1", "town-b"));
        assertFalse(tree.isWithin("comm-a1", "town-a"));
        assertEquals(List.of("comm-old"), ids(tree.children("town-a")));
    }

    @Test
    void shouldRefuseABadLoadWholeAndChangeNothing() {
        district();
        List<Org> before = tree.subtree(null);

        OrgChange twice = tree.load(List.of(new Org("town-c", "C", "district"), new Org("town-c", "C2", "district")));
        assertEquals(OrgResult.ALREADY_EXISTS, twice.result());
        assertEquals("town-c", twice.detail());

        OrgChange unknown = tree.load(List.of(new Org("town-c", "C", "district"), new Org("comm-c1", "C1", "town-x")));
        assertEquals(OrgResult.UNKNOWN_PARENT, unknown.result());
        assertEquals("town-x", unknown.detail());

        OrgChange self = tree.load(List.of(new Org("town-c", "C", "district"), new Org("comm-c1", "C1", "comm-c1")));
        assertEquals(OrgResult.CYCLE, self.result());
        assertEquals("comm-c1", self.detail());

        OrgChange cycle = tree.load(List.of(new Org("town-c", "C", "district"),
                new Org("district", "金山区", "comm-a1")));
        assertEquals(OrgResult.CYCLE, cycle.result(), "the district under its own grandchild");
        assertEquals("district", cycle.detail());

        OrgChange longCycle = tree.load(List.of(new Org("town-a", "朱泾镇", "comm-b1"),
                new Org("town-b", "Town B", "comm-a2")));
        assertEquals(OrgResult.CYCLE, longCycle.result(), "a cycle through two towns and their communities");

        OrgChange underRetired = tree.load(List.of(new Org("town-b", "Town B", "district", true),
                new Org("comm-b1", "Community B1", "town-b", true), new Org("comm-b2", "B2", "town-b")));
        assertEquals(OrgResult.RETIRED_PARENT, underRetired.result());
        assertEquals("town-b", underRetired.detail());

        OrgChange liveChild = tree.load(List.of(new Org("town-b", "Town B", "district", true)));
        assertEquals(OrgResult.HAS_CHILDREN, liveChild.result());
        assertEquals("comm-b1", liveChild.detail());

        assertEquals(before, tree.subtree(null), "no refused load changed anything");
        assertEquals(6, tree.size());
        assertEquals(OrgResult.UPDATED, tree.load(List.of(new Org("town-b", "Town B", "district", true),
                new Org("comm-b1", "Community B1", "town-b", true))).result(), "a subtree retired in one load");
    }

    @Test
    void shouldRefuseToRetireByLoadAnOrgWithAnOpenCampaign() {
        Book book = new Book();
        book.loadOrgs(List.of(new Org("district", "D", null), new Org("town-a", "A", "district")), null);
        book.createCampaign(draft("c1", 1, 1, wish("w1", 1)).withOrg("town-a"), BEFORE);
        OrgChange refused = book.loadOrgs(List.of(new Org("town-a", "A", "district", true)), null);
        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, refused.result());
        assertFalse(book.org("town-a").retired());
    }

    @Test
    void shouldCheckIdsAndNamesWhenAnOrgOrCommandIsMade() {
        assertEquals(200, new Org("a", "名".repeat(200), null).name().length());
        assertEquals("x".repeat(64), new Org("x".repeat(64), "any text, even < & \"", "p_1").id());
        assertThrows(IllegalArgumentException.class, () -> new Org("x".repeat(65), "n", null));
        assertThrows(IllegalArgumentException.class, () -> new Org("town a", "n", null));
        assertThrows(IllegalArgumentException.class, () -> new Org("", "n", null));
        assertThrows(IllegalArgumentException.class, () -> new Org(null, "n", null));
        assertThrows(IllegalArgumentException.class, () -> new Org("a", "", null));
        assertThrows(IllegalArgumentException.class, () -> new Org("a", "n".repeat(201), null));
        assertThrows(IllegalArgumentException.class, () -> new Org("a", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Org("a", "n", "bad/parent"));
        assertThrows(IllegalArgumentException.class, () -> new Command.CreateOrg("bad id", "n", null, null, 1),
                "refused on the publishing thread, never on the writer");
        assertThrows(IllegalArgumentException.class, () -> new Command.RenameOrg("a", "", null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Campaign("c", "t", OPENS, 1, 1, 0, List.of(), null,
                "bad org"));
    }

    @Test
    void shouldRestoreATreeGivenInAnyOrder() {
        tree.restore(new Org("comm-a1", "A1", "town-a"));
        tree.restore(new Org("comm-b1", "B1", "town-b"));
        tree.restore(new Org("town-a", "A", "district"));
        tree.restore(new Org("district", "D", null));
        tree.restore(new Org("town-b", "B", "district", true));
        tree.restore(new Org("town-b", "a second copy is ignored", "district"));
        tree.recovered();

        assertEquals(List.of("district", "town-a", "comm-a1", "town-b", "comm-b1"), ids(tree.subtree(null)));
        assertTrue(tree.get("town-b").retired());
        assertTrue(tree.isWithin("comm-b1", "district"));
    }

    @Test
    void shouldRefuseARestoredTreeWithAMissingParentOrACycle() {
        tree.restore(new Org("comm-a1", "A1", "town-a"));
        IllegalStateException missing = assertThrows(IllegalStateException.class, tree::recovered);
        assertTrue(missing.getMessage().contains("town-a"), missing.getMessage());

        OrgTree looped = new OrgTree();
        looped.restore(new Org("a", "A", "b"));
        looped.restore(new Org("b", "B", "c"));
        assertThrows(IllegalStateException.class, () -> looped.restore(new Org("c", "C", "a")));
    }

    @Test
    void shouldAnswerScopesInADeepTreeWithoutRecursion() {
        tree.add("level-0", "root", null);
        for (int i = 1; i < 5_000; i++) {
            tree.add("level-" + i, "level " + i, "level-" + (i - 1));
        }
        assertTrue(tree.isWithin("level-4999", "level-0"));
        assertFalse(tree.isWithin("level-10", "level-11"));
        assertEquals(5_000, tree.path("level-4999").size());
        assertEquals(5_000, tree.subtree("level-0").size());
        assertEquals(OrgResult.CYCLE, tree.load(List.of(new Org("level-0", "root", "level-4999"))).result());
    }

    @Test
    void shouldCountACampaignOfARetiredOrgRestoredAtStartUp() {
        Book book = new Book();
        book.restore(new Org("town-a", "A", null, true));
        book.restore(new Campaign("c1", "t", OPENS, 1, 1, BEFORE, List.of(wish("w1", 2)), null, "town-a"));
        book.restore(new Campaign("c2", "t", OPENS, 1, 1, BEFORE + 1, List.of(wish("w2", 3)), null, "gone"));
        book.recovered();
        assertEquals(2, book.orgStats("town-a").totals().units());
        assertEquals(5, book.orgStats(null).totals().units(), "a campaign of an unknown org counts in the totals");
        assertEquals(Result.FORBIDDEN, book.claimsOfCampaign("c2", "town-a").result());
        assertEquals(Result.FOUND, book.claimsOfCampaign("c2", null).result());
        assertEquals(HOUR, OPENS - BEFORE);
    }

    @Test
    void shouldRefuseToRetireAnOrgWithAnOpenCampaignOnAnotherNode() {
        district();
        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, tree.retire("comm-b1", java.util.Set.of("comm-b1")).result());
        assertFalse(tree.get("comm-b1").retired(), "a refusal changes nothing");
        assertEquals(OrgResult.HAS_OPEN_CAMPAIGNS, tree.load(List.of(new Org("comm-a1", "Community A1", "town-a", true)),
                java.util.Set.of("comm-a1")).result());
        assertFalse(tree.get("comm-a1").retired());
        assertEquals(OrgResult.UPDATED, tree.retire("comm-b1", java.util.Set.of("comm-a1")).result());
        assertTrue(tree.get("comm-b1").retired());
    }

    @Test
    void shouldMirrorCommittedChangesIntoACopyThatThenMatchesTheTree() {
        district();
        OrgTree copy = new OrgTree();
        assertEquals(6, copy.mirror(tree.subtree(null)).size());
        assertEquals(tree.subtree(null), copy.subtree(null));
        OrgChange moved = tree.load(List.of(new Org("comm-a1", "Community A1", "town-b"),
                new Org("comm-b1", "Community B1", "town-b", true)));
        assertEquals(OrgResult.UPDATED, moved.result());
        copy.mirror(moved.changed());
        assertEquals(tree.subtree(null), copy.subtree(null), "moved and retired as in the tree");
        assertEquals(List.of("comm-a1", "comm-b1"), ids(copy.children("town-b")));
        assertEquals(List.of(), copy.mirror(moved.changed()), "the same changes again change nothing");
    }
}
