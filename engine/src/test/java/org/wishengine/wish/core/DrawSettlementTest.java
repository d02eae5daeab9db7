package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.DrawSettlement.Held;
import org.wishengine.wish.core.DrawSettlement.Loss;
import org.wishengine.wish.core.DrawSettlement.LossReason;
import org.wishengine.wish.core.DrawSettlement.Win;

class DrawSettlementTest {

    private static DrawEntry entry(int n, String wish, String user) {
        return new DrawEntry("en-" + n, wish, user, n);
    }

    @Test
    void shouldGiveTheUnitsToTheFirstDrawnAndTellTheRestItIsSoldOut() {
        List<DrawEntry> drawn = List.of(entry(3, "w-1", "u-3"), entry(1, "w-1", "u-1"), entry(2, "w-1", "u-2"));
        DrawSettlement settlement = DrawSettlement.settle(drawn, Map.of("w-1", 2), 1, List.of());
        assertEquals(List.of(new Win(drawn.get(0), 0), new Win(drawn.get(1), 1)), settlement.wins());
        assertEquals(List.of(new Loss(drawn.get(2), 2, LossReason.SOLD_OUT)), settlement.losses());
        assertEquals(List.of("en-3", "en-1"), settlement.winnerIds());
        assertEquals("w-1", settlement.wins().get(0).wishId());
    }

    @Test
    void shouldLetAUserWinAtMostOnceOnAWish() {
        List<DrawEntry> drawn = List.of(entry(1, "w-1", "u-1"), entry(2, "w-1", "u-1"), entry(3, "w-1", "u-2"));
        DrawSettlement settlement = DrawSettlement.settle(drawn, Map.of("w-1", 5), 3, List.of());
        assertEquals(List.of("en-1", "en-3"), settlement.winnerIds());
        assertEquals(List.of(new Loss(drawn.get(1), 1, LossReason.HOLDS_WISH)), settlement.losses());
    }

    @Test
    void shouldStopAUserAtThePerUserLimit() {
        List<DrawEntry> drawn = List.of(entry(1, "w-1", "u-1"), entry(2, "w-2", "u-1"), entry(3, "w-3", "u-1"),
                entry(4, "w-3", "u-2"));
        DrawSettlement settlement = DrawSettlement.settle(drawn, Map.of("w-1", 1, "w-2", 1, "w-3", 1), 2, List.of());
        assertEquals(List.of("en-1", "en-2", "en-4"), settlement.winnerIds());
        assertEquals(List.of(new Loss(drawn.get(2), 2, LossReason.LIMIT_REACHED)), settlement.losses());
    }

    @Test
    void shouldCountClaimsHeldBeforeTheDraw() {
        List<DrawEntry> drawn = List.of(entry(1, "w-1", "u-1"), entry(2, "w-2", "u-1"), entry(3, "w-2", "u-2"),
                entry(4, "w-3", "u-2"));
        // u-1 already holds w-1 and w-9 (limit 2 reached); u-2 holds w-9 (one left); a repeat counts once.
        List<Held> held = List.of(new Held("u-1", "w-1"), new Held("u-1", "w-9"), new Held("u-2", "w-9"),
                new Held("u-2", "w-9"));
        DrawSettlement settlement = DrawSettlement.settle(drawn, Map.of("w-1", 3, "w-2", 3, "w-3", 3), 2, held);
        assertEquals(List.of("en-3"), settlement.winnerIds());
        assertEquals(List.of(LossReason.HOLDS_WISH, LossReason.LIMIT_REACHED, LossReason.LIMIT_REACHED),
                settlement.losses().stream().map(Loss::reason).toList());
    }

    @Test
    void shouldNameTheReasonsInTheBooksOrder() {
        // u-1 holds w-1, w-1 is sold out and u-1 is at its limit: the repeat is named, as the book
        // answers REPEAT first; then sold out before the limit.
        List<DrawEntry> drawn = List.of(entry(1, "w-1", "u-1"), entry(2, "w-2", "u-1"));
        DrawSettlement settlement = DrawSettlement.settle(drawn, Map.of("w-1", 0, "w-2", 0), 1,
                List.of(new Held("u-1", "w-1")));
        assertEquals(List.of(LossReason.HOLDS_WISH, LossReason.SOLD_OUT),
                settlement.losses().stream().map(Loss::reason).toList());
    }

    @Test
    void shouldRefuseInputsNoCampaignHas() {
        List<DrawEntry> drawn = List.of(entry(1, "w-1", "u-1"));
        assertThrows(IllegalArgumentException.class, () -> DrawSettlement.settle(drawn, Map.of(), 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> DrawSettlement.settle(drawn, Map.of("w-1", -1), 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> DrawSettlement.settle(drawn, Map.of("w-1", 1), 0, List.of()));
    }

    /**
     * Over many random campaigns, checks the settlement against the claim rules stated on their
     * own, from the output alone: each entry wins exactly when, counting only the wins drawn
     * before it and the claims held before the draw, its user did not hold its wish, a unit was
     * left and the user was under the limit; and no wish gives more than its units nor any user
     * more than the limit.
     */
    @Test
    void shouldMatchAnIndependentRecountOverManyCampaigns() {
        Random random = new Random(7);
        SeedSource seeds = DrawFixtures.fixedSource(8);
        Set<LossReason> seen = new HashSet<>();
        int wins = 0;
        for (int campaign = 0; campaign < 500; campaign++) {
            int wishes = 1 + random.nextInt(6);
            int users = 1 + random.nextInt(10);
            int limit = 1 + random.nextInt(3);
            Map<String, Integer> units = new HashMap<>();
            for (int w = 1; w <= wishes; w++) {
                units.put("w-" + w, random.nextInt(5));
            }
            List<Held> held = new ArrayList<>();
            for (int h = random.nextInt(4); h > 0; h--) {
                held.add(new Held("u-" + (1 + random.nextInt(users)), "w-" + (1 + random.nextInt(wishes + 1))));
            }
            List<DrawEntry> entries = new ArrayList<>();
            for (int e = 1, count = random.nextInt(30); e <= count; e++) {
                entries.add(new DrawEntry("en-" + e, "w-" + (1 + random.nextInt(wishes)),
                        "u-" + (1 + random.nextInt(users)), e));
            }
            List<DrawEntry> drawn = DrawOrder.of(DrawSeed.generate(seeds), entries);
            DrawSettlement settlement = DrawSettlement.settle(drawn, units, limit, held);
            recount(drawn, units, limit, held, settlement, "campaign " + campaign);
            settlement.losses().forEach(loss -> seen.add(loss.reason()));
            wins += settlement.wins().size();
        }
        // The campaigns must reach every rule, or the recount proves little.
        assertEquals(Set.of(LossReason.values()), seen);
        assertTrue(wins > 1_000, "wins " + wins);
    }

    private static void recount(List<DrawEntry> drawn, Map<String, Integer> units, int limit, List<Held> held,
                                DrawSettlement settlement, String what) {
        assertEquals(drawn.size(), settlement.wins().size() + settlement.losses().size(), what);
        Set<Integer> winningPlaces = new HashSet<>();
        for (Win win : settlement.wins()) {
            assertEquals(drawn.get(win.place()), win.entry(), what);
            winningPlaces.add(win.place());
        }
        Map<Integer, LossReason> lossAt = new HashMap<>();
        for (Loss loss : settlement.losses()) {
            assertEquals(drawn.get(loss.place()), loss.entry(), what);
            lossAt.put(loss.place(), loss.reason());
        }
        Set<Held> heldBefore = new HashSet<>(held);
        Map<String, Integer> wonOnWish = new HashMap<>();
        Map<String, Integer> wonByUser = new HashMap<>();
        for (int place = 0; place < drawn.size(); place++) {
            DrawEntry entry = drawn.get(place);
            boolean holds = heldBefore.contains(new Held(entry.userId(), entry.wishId()));
            for (int earlier = 0; earlier < place && !holds; earlier++) {
                DrawEntry other = drawn.get(earlier);
                holds = winningPlaces.contains(earlier) && other.userId().equals(entry.userId())
                        && other.wishId().equals(entry.wishId());
            }
            int wishTaken = 0;
            int userHolds = (int) heldBefore.stream().filter(h -> h.userId().equals(entry.userId())).count();
            for (int earlier = 0; earlier < place; earlier++) {
                if (winningPlaces.contains(earlier)) {
                    wishTaken += drawn.get(earlier).wishId().equals(entry.wishId()) ? 1 : 0;
                    userHolds += drawn.get(earlier).userId().equals(entry.userId()) ? 1 : 0;
                }
            }
            LossReason expected = holds ? LossReason.HOLDS_WISH
                    : wishTaken >= units.get(entry.wishId()) ? LossReason.SOLD_OUT
                    : userHolds >= limit ? LossReason.LIMIT_REACHED : null;
            assertEquals(expected, lossAt.get(place), what + ", place " + place);
            assertEquals(expected == null, winningPlaces.contains(place), what + ", place " + place);
            if (expected == null) {
                wonOnWish.merge(entry.wishId(), 1, Integer::sum);
                wonByUser.merge(entry.userId(), 1, Integer::sum);
            }
        }
        wonOnWish.forEach((wish, won) -> assertTrue(won <= units.get(wish), what + ": " + wish + " over its units"));
        wonByUser.forEach((user, won) -> assertTrue(
                won + heldBefore.stream().filter(h -> h.userId().equals(user)).count() <= limit,
                what + ": " + user + " over the limit"));
    }
}
