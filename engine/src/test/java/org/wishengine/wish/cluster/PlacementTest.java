package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static List<String> campaigns(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add("c-" + i);
        }
        return ids;
    }

    @Test
    void shouldAgreeWhateverTheOrderOfTheLiveNodes() {
        for (String campaign : campaigns(200)) {
            assertEquals(Placement.owner(campaign, List.of("n1", "n2", "n3")),
                    Placement.owner(campaign, List.of("n3", "n1", "n2")));
        }
    }

    @Test
    void shouldHaveNoOwnerWithoutLiveNodes() {
        assertNull(Placement.owner("c-1", List.of()));
    }

    @Test
    void shouldSpreadCampaignsEvenlyOverNodes() {
        Map<String, Integer> owned = new HashMap<>();
        for (String campaign : campaigns(3_000)) {
            owned.merge(Placement.owner(campaign, List.of("n1", "n2", "n3")), 1, Integer::sum);
        }
        assertEquals(3, owned.size());
        // 1,000 each expected; binomial sd ~26, so 850 is ~6 sd away.
        owned.values().forEach(count -> assertTrue(count > 850 && count < 1_150, owned.toString()));
    }

    @Test
    void shouldMoveOnlyTheCampaignsOfANodeThatLeaves() {
        List<String> all = List.of("n1", "n2", "n3");
        List<String> withoutN2 = List.of("n1", "n3");
        int moved = 0;
        for (String campaign : campaigns(1_000)) {
            String before = Placement.owner(campaign, all);
            String after = Placement.owner(campaign, withoutN2);
            if (!before.equals("n2")) {
                assertEquals(before, after, campaign + " moved although its owner stayed");
            } else {
                moved++;
            }
        }
        assertTrue(moved > 250 && moved < 420, "n2 held " + moved);
    }

    @Test
    void shouldGiveAJoiningNodeOnlyCampaignsItWins() {
        List<String> before = List.of("n1", "n2");
        List<String> after = List.of("n1", "n2", "n3");
        int taken = 0;
        for (String campaign : campaigns(1_000)) {
            String owner = Placement.owner(campaign, after);
            if (owner.equals("n3")) {
                taken++;
            } else {
                assertEquals(Placement.owner(campaign, before), owner);
            }
        }
        assertTrue(taken > 250 && taken < 420, "n3 took " + taken);
    }

    @Test
    void shouldNotConfuseWhereTheNodeIdEndsAndTheCampaignIdBegins() {
        assertTrue(Placement.score("ab", "c") != Placement.score("a", "bc"));
    }
}
