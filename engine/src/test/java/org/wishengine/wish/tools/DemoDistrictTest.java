package org.wishengine.wish.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.CampaignRules;

class DemoDistrictTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    private static final Duration LATER = Duration.ofMinutes(2);

    @Test
    void shouldBeTheSamePlanForTheSameSeedAndAnotherForAnother() {
        assertEquals(DemoDistrict.plan(7, 3000, NOW, LATER, ""), DemoDistrict.plan(7, 3000, NOW, LATER, ""));
        assertNotEquals(DemoDistrict.plan(7, 3000, NOW, LATER, ""), DemoDistrict.plan(8, 3000, NOW, LATER, ""));
    }

    @Test
    void shouldBuildOneDistrictFourteenTownsAndTwoHundredFortyFiveCommunities() {
        for (long seed = 0; seed < 20; seed++) {
            DemoDistrict.Plan plan = DemoDistrict.plan(seed, 3000, NOW, LATER, "");
            assertEquals(1, plan.orgsAtDepth(0));
            assertEquals(14, plan.orgsAtDepth(1));
            assertEquals(245, plan.orgsAtDepth(2));
            assertTrue(plan.orgsAtDepth(3) > 0, "a few service points");
            assertEquals("district", plan.orgs().get(0).id());

            Map<String, DemoDistrict.Org> byId = new HashMap<>();
            for (DemoDistrict.Org org : plan.orgs()) {
                assertTrue(CampaignRules.validId(org.id()), org.id());
                assertTrue(!org.name().isBlank() && org.name().length() <= 200, org.name());
                assertEquals(null, byId.put(org.id(), org), "ids are unique: " + org.id());
                if (org.depth() > 0) {
                    DemoDistrict.Org parent = byId.get(org.parent());
                    assertTrue(parent != null, "each org after its parent: " + org);
                    assertEquals(org.depth() - 1, parent.depth());
                }
            }
            Map<String, Integer> perTown = new HashMap<>();
            plan.orgs().stream().filter(o -> o.depth() == 2).forEach(o -> perTown.merge(o.parent(), 1, Integer::sum));
            assertEquals(14, perTown.size(), "every town has communities");
            assertTrue(perTown.values().stream().allMatch(n -> n >= 10), perTown.toString());
            assertEquals("district", byId.get("town-zhujing").parent());
            assertEquals("朱泾镇 Zhujing Town", byId.get("town-zhujing").name());
            assertEquals("district", byId.get("subdistrict-shihua").parent());
        }
    }

    @Test
    void shouldPublishEveryCampaignUnderAnOrgOfTheTreeWithTheWishesAsked() {
        for (int wishes : new int[] {DemoDistrict.MIN_WISHES, 300, 3000, 4321}) {
            DemoDistrict.Plan plan = DemoDistrict.plan(wishes, wishes, NOW, LATER, "");
            Set<String> orgIds = new HashSet<>();
            plan.orgs().forEach(org -> orgIds.add(org.id()));
            Set<String> ids = new HashSet<>();
            int fairStarts = 0;
            int later = 0;
            for (DemoDistrict.Campaign campaign : plan.campaigns()) {
                assertTrue(orgIds.contains(campaign.org()), "campaign " + campaign.id() + " of org " + campaign.org());
                assertTrue(CampaignRules.validId(campaign.id()) && ids.add(campaign.id()), campaign.id());
                assertTrue(!campaign.wishes().isEmpty(), campaign.id());
                if (campaign.fairStartWindowSeconds() > 0) {
                    fairStarts++;
                    assertEquals(30, campaign.fairStartWindowSeconds());
                    assertEquals(NOW.plus(DemoDistrict.FAIR_START_DELAY), campaign.opensAt());
                } else if (!campaign.opensAt().equals(NOW)) {
                    later++;
                    assertEquals(NOW.plus(LATER), campaign.opensAt());
                }
                for (DemoDistrict.Wish wish : campaign.wishes()) {
                    assertTrue(CampaignRules.validId(wish.id()) && ids.add(wish.id()), wish.id());
                    assertTrue(wish.quantity() >= 1 && wish.quantity() <= 10, wish.toString());
                    assertTrue(List.of("elderly", "children", "students", "riders", "disabled", "families")
                            .contains(wish.category()), wish.category());
                    assertTrue(wish.location().matches("\\S+/\\S+ .+/\\S+"), wish.location());
                    assertTrue(!wish.beneficiary().isBlank() && !wish.description().isBlank(), wish.toString());
                }
            }
            assertEquals(wishes, plan.wishCount());
            assertEquals(1, fairStarts);
            assertEquals(1, later);
        }
    }

    @Test
    void shouldMostlyAskForOneUnit() {
        DemoDistrict.Plan plan = DemoDistrict.plan(1, 3000, NOW, LATER, "");
        long ones = plan.campaigns().stream().flatMap(c -> c.wishes().stream()).filter(w -> w.quantity() == 1).count();
        assertTrue(ones > 2400 && ones < 3000, ones + " of 3000 wishes ask for one unit");
    }

    @Test
    void shouldSuffixEveryIdForASecondDistrict() {
        DemoDistrict.Plan first = DemoDistrict.plan(1, 300, NOW, LATER, "");
        DemoDistrict.Plan second = DemoDistrict.plan(1, 300, NOW, LATER, "-2");
        assertEquals("district-2", second.districtId());
        Set<String> firstIds = new HashSet<>();
        first.orgs().forEach(o -> firstIds.add(o.id()));
        first.campaigns().forEach(c -> {
            firstIds.add(c.id());
            c.wishes().forEach(w -> firstIds.add(w.id()));
        });
        second.orgs().forEach(o -> assertTrue(o.id().endsWith("-2") && !firstIds.contains(o.id()), o.id()));
        second.campaigns().forEach(c -> {
            assertTrue(!firstIds.contains(c.id()) && c.org().endsWith("-2"), c.id());
            c.wishes().forEach(w -> assertTrue(!firstIds.contains(w.id()), w.id()));
        });
    }

    @Test
    void shouldRefuseAWishCountOutOfRange() {
        assertThrows(IllegalArgumentException.class,
                () -> DemoDistrict.plan(1, DemoDistrict.MIN_WISHES - 1, NOW, LATER, ""));
        assertThrows(IllegalArgumentException.class,
                () -> DemoDistrict.plan(1, DemoDistrict.MAX_WISHES + 1, NOW, LATER, ""));
    }
}
