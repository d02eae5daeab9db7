package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.wish;
import static org.wishengine.wish.core.BookStateAssertions.assertSameState;
import static org.wishengine.wish.core.BookStateAssertions.recover;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The statistics of every subtree, kept by the book as claims move, against an independent
 * recount from the claims themselves: thousands of seeded random claims, cancels (by users and
 * organisers), fulfils, confirms and expiry ticks over a 3-level tree (a district, 3 towns, 9
 * communities) with campaigns at every level and one of no org, new campaigns, campaigns dropped
 * and adopted back (a cluster node handing one on and taking it over), and communities moved to
 * another town by a tree load.
 */
class BookOrgStatsTest {

    private static final long MINUTE = 60_000L;
    private static final int USERS = 40;
    private static final int CHECK_EVERY = 20;

    @Test
    void shouldKeepEverySubtreesStatisticsUnderRandomOperations() {
        Run run = new Run(new Random(18_2026L));
        run.steps(6_000);
        run.check();
        assertTrue(run.adoptions >= 5 && run.moves >= 3 && run.expired > 50 && run.confirmed > 100,
                () -> "the run exercised too little: " + run.adoptions + " adoptions, " + run.moves + " moves, "
                        + run.expired + " expired, " + run.confirmed + " confirmed");

        Book recovered = recover(run.book, new Random(3));
        assertSameState(run.book, recovered);
    }

    @Test
    void shouldKeepThemWithAnotherSeed() {
        Run run = new Run(new Random(42L));
        run.steps(3_000);
        run.check();
    }

    @Test
    void shouldTakeADroppedCampaignOutOfItsOrgsAndPutAnAdoptedOneBack() {
        Run run = new Run(new Random(5L));
        run.steps(400);
        String campaignId = run.campaignIds.get(0);
        Campaign campaign = run.book.campaign(campaignId).campaign();
        List<Claim> claims = run.book.claimsOfCampaign(campaignId);
        Stats before = run.book.orgStats(campaign.org()).totals();
        assertTrue(run.book.stats(campaignId).claimed() + run.book.stats(campaignId).fulfilled() > 0,
                "the campaign holds claims");

        assertTrue(run.book.drop(campaignId));
        run.check();
        assertEquals(before.campaigns() - 1, run.book.orgStats(campaign.org()).totals().campaigns());
        run.book.adopt(campaign, claims);
        run.check();
        assertEquals(before, run.book.orgStats(campaign.org()).totals());
    }

    /** One random run: the book, the tree's shape, and the claims made so far. */
    private static final class Run {
        final Random random;
        final Book book = new Book();
        final List<String> orgIds = new ArrayList<>();
        final List<String> campaignIds = new ArrayList<>();
        final List<String> wishIds = new ArrayList<>();
        final List<String> claimIds = new ArrayList<>();
        long now = OPENS;
        int steps;
        int adoptions;
        int moves;
        int expired;
        int confirmed;

        Run(Random random) {
            this.random = random;
            org("district", null);
            for (int t = 0; t < 3; t++) {
                org("town-" + t, "district");
                for (int c = 0; c < 3; c++) {
                    org("comm-" + t + "-" + c, "town-" + t);
                }
            }
            for (int c = 0; c < 10; c++) {
                campaign(orgIds.get(random.nextInt(orgIds.size())));
            }
            campaign(null);
        }

        private void org(String id, String parent) {
            assertEquals(OrgResult.CREATED, book.createOrg(id, "Org " + id, parent, null).result());
            orgIds.add(id);
        }

        private void campaign(String org) {
            String id = "camp-" + campaignIds.size();
            List<WishSpec> wishes = new ArrayList<>();
            for (int w = 0; w < 2 + random.nextInt(5); w++) {
                wishes.add(wish(id + "-w" + w, 1 + random.nextInt(3)));
            }
            Campaign draft = new Campaign(id, "campaign " + id, OPENS, 1 + random.nextInt(3), 1, 0, wishes, null, org);
            assertEquals(Result.CREATED, book.createCampaign(draft, now - MINUTE).result());
            campaignIds.add(id);
            for (WishSpec wish : wishes) {
                wishIds.add(wish.id());
            }
        }

        void steps(int count) {
            for (int i = 0; i < count; i++) {
                step();
                if (++steps % CHECK_EVERY == 0) {
                    check();
                }
            }
        }

        private void step() {
            now += random.nextInt(3) * MINUTE;
            int roll = random.nextInt(1000);
            if (roll < 420) {
                Outcome outcome = book.claim(wishIds.get(random.nextInt(wishIds.size())),
                        "user-" + random.nextInt(USERS), now);
                if (outcome.result() == Result.CREATED) {
                    claimIds.add(outcome.claim().id());
                }
            } else if (roll < 560) {
                Claim claim = anyClaim();
                if (claim != null) {
                    book.cancel(claim.id(), random.nextBoolean() ? null : claim.userId(), now);
                }
            } else if (roll < 740) {
                Claim claim = anyClaim();
                if (claim != null) {
                    book.fulfil(claim.id(), random.nextBoolean() ? null : claim.userId(), now);
                }
            } else if (roll < 900) {
                Claim claim = anyClaim();
                if (claim != null && book.confirm(claim.id(), 1 + random.nextInt(5), null, now).result()
                        == Result.UPDATED) {
                    confirmed++;
                }
            } else if (roll < 980) {
                expired += book.expire(now).expired().size();
            } else if (roll < 986) {
                campaign(random.nextInt(8) == 0 ? null : orgIds.get(random.nextInt(orgIds.size())));
            } else if (roll < 994) {
                dropAndAdopt();
            } else {
                moveACommunity();
            }
        }

        /** Mostly a recent claim (older ones have mostly expired), sometimes any. */
        private Claim anyClaim() {
            if (claimIds.isEmpty()) {
                return null;
            }
            int recent = Math.min(claimIds.size(), 40);
            int index = random.nextInt(4) == 0 ? random.nextInt(claimIds.size())
                    : claimIds.size() - 1 - random.nextInt(recent);
            return book.claim(claimIds.get(index));
        }

        /** A cluster node hands a campaign on, and (checked in between) takes it over again. */
        private void dropAndAdopt() {
            String id = campaignIds.get(random.nextInt(campaignIds.size()));
            Campaign campaign = book.campaign(id).campaign();
            List<Claim> claims = book.claimsOfCampaign(id);
            assertTrue(book.drop(id));
            check();
            book.adopt(campaign, claims);
            adoptions++;
        }

        /** A tree load moves a community (its campaigns and their statistics) to another town. */
        private void moveACommunity() {
            String community = "comm-" + random.nextInt(3) + "-" + random.nextInt(3);
            String town = "town-" + random.nextInt(3);
            Org org = book.org(community);
            OrgChange moved = book.loadOrgs(List.of(new Org(org.id(), org.name(), town)), null);
            assertEquals(OrgResult.UPDATED, moved.result());
            moves++;
        }

        /** Every org's subtree statistics and rows, and the district's, against a recount from the claims. */
        void check() {
            Map<String, Stats> byCampaign = new HashMap<>();
            for (CampaignView view : book.campaigns()) {
                byCampaign.put(view.campaign().id(), recount(view.campaign()));
            }
            Map<String, String> parents = new HashMap<>();
            for (Org org : book.orgs(null).value()) {
                parents.put(org.id(), org.parent());
            }
            Map<String, List<String>> children = new HashMap<>();
            for (String id : parents.keySet()) {
                children.computeIfAbsent(parents.get(id), parent -> new ArrayList<>()).add(id);
            }
            List<String> everyNode = new ArrayList<>(parents.keySet());
            everyNode.add(null);
            for (String node : everyNode) {
                Stats expected = sum(node, byCampaign, parents);
                SubtreeStats actual = book.orgStats(node);
                assertEquals(expected, actual.totals(), () -> "statistics of " + node + " after " + steps + " steps");
                List<String> rowIds = actual.children().stream().map(row -> row.org().id()).sorted().toList();
                assertEquals(children.getOrDefault(node, List.of()).stream().sorted().toList(), rowIds,
                        () -> "children of " + node);
                for (SubtreeStats.Row row : actual.children()) {
                    assertEquals(sum(row.org().id(), byCampaign, parents), row.stats(),
                            () -> "row " + row.org().id() + " of " + node + " after " + steps + " steps");
                }
            }
        }

        /** The sum over the campaigns of the subtree of {@code node} (every campaign for null). */
        private Stats sum(String node, Map<String, Stats> byCampaign, Map<String, String> parents) {
            long[] total = new long[11];
            for (CampaignView view : book.campaigns()) {
                if (node != null && !below(view.campaign().org(), node, parents)) {
                    continue;
                }
                Stats s = byCampaign.get(view.campaign().id());
                long[] part = {s.campaigns(), s.wishes(), s.units(), s.remaining(), s.claimed(), s.fulfilled(),
                        s.confirmed(), s.cancelled(), s.expired(), s.rated(), s.satisfied()};
                for (int i = 0; i < total.length; i++) {
                    total[i] += part[i];
                }
            }
            return new Stats(total[0], total[1], total[2], total[3], total[4], total[5], total[6], total[7],
                    total[8], total[9], total[10]);
        }

        private static boolean below(String org, String node, Map<String, String> parents) {
            for (String at = org; at != null; at = parents.get(at)) {
                if (at.equals(node)) {
                    return true;
                }
            }
            return false;
        }

        /** One campaign's statistics from its claims alone. */
        private Stats recount(Campaign campaign) {
            long units = 0;
            for (WishSpec wish : campaign.wishes()) {
                units += wish.quantity();
            }
            Map<ClaimStatus, Long> byStatus = new EnumMap<>(ClaimStatus.class);
            long active = 0;
            long satisfied = 0;
            for (Claim claim : book.claimsOfCampaign(campaign.id())) {
                byStatus.merge(claim.status(), 1L, Long::sum);
                if (claim.status().isActive()) {
                    active++;
                }
                if (claim.status() == ClaimStatus.CONFIRMED && claim.rating() >= CampaignRules.SATISFIED_RATING) {
                    satisfied++;
                }
            }
            long confirmedClaims = byStatus.getOrDefault(ClaimStatus.CONFIRMED, 0L);
            return new Stats(1, campaign.wishes().size(), units, units - active,
                    byStatus.getOrDefault(ClaimStatus.CLAIMED, 0L), byStatus.getOrDefault(ClaimStatus.FULFILLED, 0L),
                    confirmedClaims, byStatus.getOrDefault(ClaimStatus.CANCELLED, 0L),
                    byStatus.getOrDefault(ClaimStatus.EXPIRED, 0L), confirmedClaims, satisfied);
        }
    }
}
