package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.cluster.OwnershipTable.Acquire;
import org.wishengine.wish.cluster.OwnershipTable.HandOver;
import org.wishengine.wish.cluster.OwnershipTable.Phase;
import org.wishengine.wish.cluster.OwnershipTable.Renew;
import org.wishengine.wish.cluster.OwnershipTable.Step;
import org.wishengine.wish.cluster.OwnershipTable.Verdict;

class OwnershipTableTest {

    private static final long MS = 1_000_000L;
    private static final long LEASE = 3_000 * MS;

    /** Campaign ids that {@link Placement} gives to {@code node} among {@code live}. */
    private static List<String> wonBy(String node, List<String> live, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; ids.size() < count; i++) {
            if (Placement.owner("c-" + i, live).equals(node)) {
                ids.add("c-" + i);
            }
        }
        return ids;
    }

    private static LeaseAnswer granted(String node, long epoch) {
        return new LeaseAnswer(true, new LeaseHolder(node, epoch, 0, 3_000, "", ""));
    }

    private static LeaseAnswer refused(String node, long epoch) {
        return new LeaseAnswer(false, new LeaseHolder(node, epoch, 0, 1_000, "", ""));
    }

    private static <T extends Step> List<T> only(List<Step> steps, Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void shouldAcquireOnlyTheCampaignsPlacementGivesThisNode() {
        List<String> live = List.of("n1", "n2");
        List<String> mine = wonBy("n1", live, 3);
        List<String> theirs = wonBy("n2", live, 3);
        List<String> all = new ArrayList<>(mine);
        all.addAll(theirs);
        OwnershipTable table = new OwnershipTable("n1", LEASE);

        List<Step> steps = table.plan(0, live, all);

        assertEquals(mine, only(steps, Acquire.class).stream().map(Step::campaignId).toList());
        assertEquals(steps.size(), only(steps, Acquire.class).size());
        theirs.forEach(id -> assertNull(table.phase(id)));
        mine.forEach(id -> assertEquals(Phase.ACQUIRING, table.phase(id)));
        assertTrue(table.plan(1, live, all).isEmpty(), "an acquire in flight is not asked for twice");
    }

    @Test
    void shouldServeOnlyOnceTheLeaseIsGrantedAndTheBookAdopted() {
        String campaign = wonBy("n1", List.of("n1"), 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1"), List.of(campaign));
        CompletableFuture<Void> serving = table.whenServing(campaign);

        table.acquired(campaign, granted("n1", 7), 0);
        assertEquals(Phase.LOADING, table.phase(campaign));
        assertFalse(table.isServing(campaign));
        assertFalse(serving.isDone());
        assertEquals(7, table.epoch(campaign));

        table.adopted(campaign);
        assertTrue(table.isServing(campaign));
        assertTrue(serving.isDone());
        assertEquals(List.of(campaign), table.serving());
    }

    @Test
    void shouldForgetACampaignAnotherNodeStillHoldsAndAskAgainLater() {
        String campaign = wonBy("n1", List.of("n1", "n2"), 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1", "n2"), List.of(campaign));
        CompletableFuture<Void> serving = table.whenServing(campaign);

        table.acquired(campaign, refused("n2", 4), 0);

        assertNull(table.phase(campaign));
        ExecutionException failure = assertThrows(ExecutionException.class, serving::get);
        assertTrue(failure.getCause() instanceof OwnershipTable.NotServed);
        assertEquals(List.of(new Acquire(campaign)), table.plan(100 * MS, List.of("n1", "n2"), List.of(campaign)));
    }

    @Test
    void shouldRenewEveryThirdOfTheLeaseOneRequestAtATime() {
        String campaign = wonBy("n1", List.of("n1"), 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1"), List.of(campaign));
        table.acquired(campaign, granted("n1", 2), 0);
        table.adopted(campaign);

        assertTrue(table.plan(999 * MS, List.of("n1"), List.of(campaign)).isEmpty());
        assertEquals(List.of(new Renew(campaign, 2)), table.plan(1_000 * MS, List.of("n1"), List.of(campaign)));
        assertTrue(table.plan(2_500 * MS, List.of("n1"), List.of(campaign)).isEmpty(), "one renewal in flight");
        assertNull(table.renewed(campaign, granted("n1", 2)));
        assertEquals(List.of(new Renew(campaign, 2)), table.plan(2_500 * MS, List.of("n1"), List.of(campaign)));
        table.renewalFailed(campaign);
        assertTrue(table.isServing(campaign), "an unanswered renewal is not a lost lease");
    }

    @Test
    void shouldDropACampaignWhoseLeaseAnotherNodeTook() {
        String campaign = wonBy("n1", List.of("n1"), 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1"), List.of(campaign));
        table.acquired(campaign, granted("n1", 2), 0);
        table.adopted(campaign);
        table.plan(1_000 * MS, List.of("n1"), List.of(campaign));

        LeaseHolder taker = table.renewed(campaign, refused("n2", 3));

        assertEquals("n2", taker.node());
        assertEquals(3, taker.epoch());
        assertNull(table.phase(campaign));
        assertFalse(table.isServing(campaign));
    }

    @Test
    void shouldHandOverToAJoiningNodeThatWinsTheCampaign() {
        List<String> before = List.of("n1");
        List<String> after = List.of("n1", "n2");
        String moving = wonBy("n2", after, 1).get(0);
        String staying = wonBy("n1", after, 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        List<String> campaigns = List.of(moving, staying);
        table.plan(0, before, campaigns);
        for (String id : campaigns) {
            table.acquired(id, granted("n1", 5), 0);
            table.adopted(id);
        }

        List<Step> steps = table.plan(10 * MS, after, campaigns);

        assertEquals(List.of(new HandOver(moving, "n2", 5)), steps);
        assertEquals(Phase.HANDING_OVER, table.phase(moving));
        assertFalse(table.isServing(moving));
        assertTrue(table.isServing(staying));
        assertTrue(table.plan(20 * MS, after, campaigns).isEmpty(), "a hand-over is started once");
        assertEquals(5, table.release(moving));
        assertNull(table.phase(moving));
        assertEquals(List.of(staying), table.leased());
    }

    @Test
    void shouldNotHandOverACampaignStillLoading() {
        List<String> after = List.of("n1", "n2");
        String moving = wonBy("n2", after, 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1"), List.of(moving));
        table.acquired(moving, granted("n1", 1), 0);

        assertTrue(table.plan(10 * MS, after, List.of(moving)).isEmpty());
        table.adopted(moving);
        assertEquals(List.of(new HandOver(moving, "n2", 1)), table.plan(20 * MS, after, List.of(moving)));
    }

    @Test
    void shouldCountItselfLiveEvenWhenTheHeartbeatAnswerMissesIt() {
        String campaign = wonBy("n1", List.of("n1"), 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        assertEquals(List.of(new Acquire(campaign)), table.plan(0, List.of(), List.of(campaign)));
    }

    @Test
    void shouldReleaseNothingForACampaignItNeverLeased() {
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        assertEquals(0, table.release("c-1"));
        String campaign = wonBy("n1", List.of("n1"), 1).get(0);
        table.plan(0, List.of("n1"), List.of(campaign));
        assertEquals(0, table.release(campaign));
    }

    @Test
    void shouldTakeACampaignAtOnceOnlyWhenNotAlreadyTakingIt() {
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        assertEquals(new Acquire("c-9"), table.take("c-9"));
        assertNull(table.take("c-9"));
        assertEquals(Phase.ACQUIRING, table.phase("c-9"));
        assertTrue(table.plan(0, List.of("n1"), List.of("c-9")).isEmpty(), "the tick does not ask again");
    }

    @Test
    void shouldLetAnswersOutOnlyWithinALeaseOfTheLastConfirmedRenewal() {
        String campaign = wonBy("n1", List.of("n1"), 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1"), List.of(campaign));
        table.acquired(campaign, granted("n1", 2), 0);
        assertEquals(Verdict.UNSURE, table.verdict(campaign, 1, false), "not before the book is adopted");
        table.adopted(campaign);
        assertEquals(Verdict.ANSWER, table.verdict(campaign, LEASE - 1, false));
        assertEquals(Verdict.ANSWER, table.verdict(campaign, LEASE - 1, true), "a 404 of a campaign served here");
        assertEquals(Verdict.UNSURE, table.verdict(campaign, LEASE, false), "paused past its lease: cannot be sure");
        assertTrue(table.anyUnsure(LEASE));
        assertFalse(table.anyUnsure(LEASE - 1));

        table.plan(1_000 * MS, List.of("n1"), List.of(campaign));
        table.renewed(campaign, granted("n1", 2));
        assertEquals(Verdict.ANSWER, table.verdict(campaign, 1_000 * MS + LEASE - 1, false));
        assertEquals(Verdict.UNSURE, table.verdict(campaign, 1_000 * MS + LEASE, false));
        assertEquals(Verdict.UNSURE, table.verdict("c-unknown", 0, false));
    }

    @Test
    void shouldTellAnswersAfterAHandOverFromMovedOnes() {
        List<String> after = List.of("n1", "n2");
        String moving = wonBy("n2", after, 1).get(0);
        OwnershipTable table = new OwnershipTable("n1", LEASE);
        table.plan(0, List.of("n1"), List.of(moving));
        table.acquired(moving, granted("n1", 3), 0);
        table.adopted(moving);
        table.plan(10 * MS, after, List.of(moving));

        assertEquals(Verdict.ANSWER, table.verdict(moving, 20 * MS, false), "settled before the drop");
        assertEquals(Verdict.MOVED, table.verdict(moving, 20 * MS, true), "after the drop this book knows nothing");
        assertEquals(3, table.handedOver(moving, 30 * MS));
        assertEquals(Verdict.ANSWER, table.verdict(moving, 40 * MS, false));
        assertEquals(Verdict.MOVED, table.verdict(moving, 40 * MS, true));
        table.plan(31_000 * MS, after, List.of(moving));
        assertEquals(Verdict.UNSURE, table.verdict(moving, 31_000 * MS, false), "forgotten after a while");
    }
}
