package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.DrawVerdict.Mismatch;
import org.wishengine.wish.core.DrawVerdict.Part;

class DrawAuditTest {

    private Draw draw;
    private DrawAudit honest;

    /**
     * 40 entries by 25 users on 3 wishes with 9 units in all, per-user limit 2, one user holding a
     * claim from before: 9 entries win and the rest lose.
     */
    @BeforeEach
    void draw() {
        List<DrawEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            entries.add(new DrawEntry("en-" + i, "w-" + (1 + i % 3), "user-" + (i % 25), 1000 + i));
        }
        draw = Draw.run(DrawFixtures.COUNTING_SEED, entries, Map.of("w-1", 4, "w-2", 3, "w-3", 2), 2,
                List.of(new DrawSettlement.Held("user-7", "w-9")));
        honest = draw.audit("c-1");
    }

    @Test
    void shouldPublishTheDrawWithoutTheUsers() {
        assertEquals("c-1", honest.campaignId());
        assertEquals(DrawFixtures.COUNTING_SEED.commitment(), honest.commitment());
        assertEquals(DrawFixtures.COUNTING_SEED.hex(), honest.seed());
        assertEquals(40, honest.entries().size());
        assertEquals(draw.settlement().winnerIds(), honest.winners());
        assertEquals(9, honest.winners().size());
        assertEquals(DrawFixtures.ids(draw.drawn()), honest.drawn());
        for (int i = 1; i < honest.entries().size(); i++) {
            assertTrue(honest.entries().get(i).arrival() > honest.entries().get(i - 1).arrival(), "arrival order");
        }
        assertFalse(honest.toString().contains("user-"), honest.toString());
        DrawAudit.Entry first = honest.entries().get(0);
        assertEquals(new DrawAudit.Entry("en-1", "w-2", DrawAudit.userHash(DrawFixtures.COUNTING_SEED, "user-1"), 1001),
                first);
        assertEquals(List.of(new DrawAudit.Held(DrawAudit.userHash(DrawFixtures.COUNTING_SEED, "user-7"), "w-9")),
                honest.held());
    }

    @Test
    void shouldHashUsersWithTheSeedAsDocumented() {
        // Computed independently with Python: hmac.new(seed, b"user:u-1", hashlib.sha256).
        assertEquals("905c00c98b64423c475106138a84d98fdea2c21109fb5ce17e04e0f8afc68065",
                DrawAudit.userHash(DrawFixtures.COUNTING_SEED, "u-1"));
        assertNotEquals(DrawAudit.userHash(DrawFixtures.COUNTING_SEED, "u-1"),
                DrawAudit.userHash(DrawSeed.generate(DrawFixtures.fixedSource(9)), "u-1"));
    }

    @Test
    void shouldVerifyAnHonestAudit() {
        DrawVerdict verdict = DrawAudit.verify(honest);
        assertEquals(new DrawVerdict.Verified(honest.commitment(), 40, 9), verdict);
        assertTrue(verdict.ok());
        assertTrue(verdict.describe().startsWith("OK"), verdict.describe());
        assertTrue(DrawAudit.verify(Draw.run(DrawFixtures.COUNTING_SEED, List.of(), Map.of(), 1, List.of())
                .audit("c-2")).ok());
    }

    @Test
    void shouldVerifyEveryHonestDrawOfManyCampaigns() {
        SeedSource seeds = DrawFixtures.fixedSource(10);
        java.util.Random random = new java.util.Random(11);
        for (int campaign = 0; campaign < 100; campaign++) {
            List<DrawEntry> entries = new ArrayList<>();
            for (int e = 1, n = random.nextInt(60); e <= n; e++) {
                entries.add(new DrawEntry("en-" + e, "w-" + random.nextInt(4), "u-" + random.nextInt(20), e));
            }
            Map<String, Integer> units = Map.of("w-0", random.nextInt(5), "w-1", random.nextInt(5),
                    "w-2", random.nextInt(5), "w-3", random.nextInt(5));
            Collections.shuffle(entries, random);
            DrawAudit audit = Draw.run(DrawSeed.generate(seeds), entries, units, 1 + random.nextInt(3), List.of())
                    .audit("c-" + campaign);
            assertTrue(DrawAudit.verify(audit).ok(), DrawAudit.verify(audit).describe());
        }
    }

    @Test
    void shouldFindAChangedSeed() {
        DrawSeed other = DrawSeed.generate(DrawFixtures.fixedSource(12));
        assertEquals(new Mismatch(Part.COMMITMENT, -1, other.commitment(), honest.commitment()),
                DrawAudit.verify(with(honest, other.hex(), honest.commitment(), honest.entries(), honest.drawn(),
                        honest.winners())));
        // A seed swapped together with its commitment passes the commitment but not the order.
        assertEquals(Part.DRAWN_ORDER, part(with(honest, other.hex(), other.commitment(), honest.entries(),
                honest.drawn(), honest.winners())));
        assertEquals(Part.SEED, part(with(honest, "xyz", honest.commitment(), honest.entries(), honest.drawn(),
                honest.winners())));
    }

    @Test
    void shouldFindAChangedCommitment() {
        String changed = DrawFixtures.COUNTING_SEED.commitment().replace('a', 'b');
        Mismatch mismatch = (Mismatch) DrawAudit.verify(with(honest, honest.seed(), changed, honest.entries(),
                honest.drawn(), honest.winners()));
        assertEquals(new Mismatch(Part.COMMITMENT, -1, honest.commitment(), changed), mismatch);
        assertEquals("MISMATCH in commitment: expected " + honest.commitment() + ", found " + changed,
                mismatch.describe());
        // Upper case names the same hash but is not what the engine publishes: refused, not guessed at.
        assertEquals(Part.COMMITMENT, part(with(honest, honest.seed(), honest.commitment().toUpperCase(),
                honest.entries(), honest.drawn(), honest.winners())));
    }

    @Test
    void shouldFindARemovedEntry() {
        // The entry drawn first (a winner) goes from the entries only, and then from the drawn order and winners too.
        String removed = honest.drawn().get(0);
        List<DrawAudit.Entry> fewer = new ArrayList<>(honest.entries());
        fewer.removeIf(entry -> entry.entryId().equals(removed));
        Mismatch mismatch = (Mismatch) DrawAudit.verify(with(honest, honest.seed(), honest.commitment(), fewer,
                honest.drawn(), honest.winners()));
        assertEquals(Part.DRAWN_ORDER, mismatch.part());
        assertTrue(mismatch.index() >= 0);
        List<String> drawn = without(honest.drawn(), removed);
        List<String> winners = without(honest.winners(), removed);
        assertEquals(Part.DRAWN_ORDER, part(with(honest, honest.seed(), honest.commitment(), fewer, drawn, winners)));
    }

    @Test
    void shouldFindTwoSwappedWinners() {
        int winner = honest.drawn().indexOf(honest.winners().get(0));
        int loser = firstLoserPlace();
        // A winner and a loser change places in the drawn order: the order no longer recomputes.
        List<String> drawn = new ArrayList<>(honest.drawn());
        Collections.swap(drawn, winner, loser);
        assertEquals(new Mismatch(Part.DRAWN_ORDER, Math.min(winner, loser), honest.drawn().get(Math.min(winner, loser)),
                        drawn.get(Math.min(winner, loser))),
                DrawAudit.verify(with(honest, honest.seed(), honest.commitment(), honest.entries(), drawn, honest.winners())));
        // A loser is named winner in a winner's stead.
        List<String> winners = new ArrayList<>(honest.winners());
        winners.set(0, honest.drawn().get(loser));
        assertEquals(new Mismatch(Part.WINNERS, 0, honest.winners().get(0), honest.drawn().get(loser)),
                DrawAudit.verify(with(honest, honest.seed(), honest.commitment(), honest.entries(), honest.drawn(), winners)));
        // Two winners swap places in the list of winners.
        List<String> swapped = new ArrayList<>(honest.winners());
        Collections.swap(swapped, 0, 1);
        assertEquals(new Mismatch(Part.WINNERS, 0, honest.winners().get(0), honest.winners().get(1)),
                DrawAudit.verify(with(honest, honest.seed(), honest.commitment(), honest.entries(), honest.drawn(), swapped)));
        // A winner left out.
        List<String> fewer = honest.winners().subList(0, honest.winners().size() - 1);
        assertEquals(new Mismatch(Part.WINNERS, fewer.size(), honest.winners().get(fewer.size()), "(none)"),
                DrawAudit.verify(with(honest, honest.seed(), honest.commitment(), honest.entries(), honest.drawn(), fewer)));
    }

    @Test
    void shouldFindChangedRules() {
        Map<String, Integer> moreUnits = new HashMap<>(honest.unitsLeft());
        moreUnits.merge("w-1", 1, Integer::sum);
        assertEquals(Part.WINNERS, part(rules(honest, honest.perUserLimit(), moreUnits, honest.held())));
        assertEquals(Part.RULES, part(rules(honest, 0, honest.unitsLeft(), honest.held())));
        Map<String, Integer> missing = new HashMap<>(honest.unitsLeft());
        missing.remove("w-1");
        assertEquals(Part.RULES, part(rules(honest, honest.perUserLimit(), missing, honest.held())));
        // A claim held before by a winner blocks its win: the winners change.
        DrawAudit.Entry won = entry(honest.winners().get(0));
        assertEquals(Part.WINNERS, part(rules(honest, honest.perUserLimit(), honest.unitsLeft(),
                List.of(new DrawAudit.Held(won.userHash(), won.wishId())))));
    }

    @Test
    void shouldFindEntriesThatCannotBeARecord() {
        List<DrawAudit.Entry> repeated = new ArrayList<>(honest.entries());
        repeated.set(5, new DrawAudit.Entry(repeated.get(4).entryId(), repeated.get(5).wishId(),
                repeated.get(5).userHash(), repeated.get(5).arrival()));
        assertEquals(new Mismatch(Part.ENTRIES, 5, "a new entry id", repeated.get(4).entryId() + " again"),
                DrawAudit.verify(withEntries(repeated)));
        List<DrawAudit.Entry> outOfOrder = new ArrayList<>(honest.entries());
        Collections.swap(outOfOrder, 2, 3);
        assertEquals(Part.ENTRIES, ((Mismatch) DrawAudit.verify(withEntries(outOfOrder))).part());
        assertEquals(3, ((Mismatch) DrawAudit.verify(withEntries(outOfOrder))).index());
        List<DrawAudit.Entry> badId = new ArrayList<>(honest.entries());
        badId.set(0, new DrawAudit.Entry("en 1", "w-2", "h", 1001));
        assertEquals(Part.ENTRIES, part(withEntries(badId)));
    }

    @Test
    void shouldFindWinnersOfAUserChangedOverTheLimit() {
        // Give every entry one user: with limit 2 at most two can win, so the published winners no longer recompute.
        List<DrawAudit.Entry> oneUser = honest.entries().stream()
                .map(e -> new DrawAudit.Entry(e.entryId(), e.wishId(), "same", e.arrival())).toList();
        assertEquals(Part.WINNERS, part(withEntries(oneUser)));
    }

    private int firstLoserPlace() {
        for (int place = 0; place < honest.drawn().size(); place++) {
            if (!honest.winners().contains(honest.drawn().get(place))) {
                return place;
            }
        }
        throw new AssertionError("no loser");
    }

    private DrawAudit.Entry entry(String id) {
        return honest.entries().stream().filter(e -> e.entryId().equals(id)).findFirst().orElseThrow();
    }

    private static Part part(DrawAudit audit) {
        DrawVerdict verdict = DrawAudit.verify(audit);
        assertFalse(verdict.ok(), "tampered audit passed");
        assertTrue(verdict.describe().startsWith("MISMATCH in "), verdict.describe());
        return ((Mismatch) verdict).part();
    }

    private static List<String> without(List<String> ids, String id) {
        List<String> fewer = new ArrayList<>(ids);
        fewer.remove(id);
        return fewer;
    }

    private DrawAudit withEntries(List<DrawAudit.Entry> entries) {
        return with(honest, honest.seed(), honest.commitment(), entries, honest.drawn(), honest.winners());
    }

    private static DrawAudit with(DrawAudit audit, String seed, String commitment, List<DrawAudit.Entry> entries,
                                  List<String> drawn, List<String> winners) {
        return new DrawAudit(audit.campaignId(), commitment, seed, audit.perUserLimit(), audit.unitsLeft(), audit.held(),
                entries, drawn, winners);
    }

    private static DrawAudit rules(DrawAudit audit, int limit, Map<String, Integer> units, List<DrawAudit.Held> held) {
        return new DrawAudit(audit.campaignId(), audit.commitment(), audit.seed(), limit, units, held, audit.entries(),
                audit.drawn(), audit.winners());
    }
}
