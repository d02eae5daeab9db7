package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookStateAssertions.assertSameState;
import static org.wishengine.wish.core.BookStateAssertions.recover;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded random commands (claims by 200 users over wishes of quantity 1..3,
 * cancels, fulfils, confirms, expiry ticks with an advancing, slightly jittery clock). Each
 * outcome is checked against a simple model that recounts from the claims, and after every step
 * the invariants are checked against an independent recount of the book's own claims.
 */
class BookInvariantTest {

    private static final int USERS = 200;
    private static final int CAMPAIGNS = 6;
    private static final int WISHES_PER_CAMPAIGN = 20;
    private static final long MINUTE = 60_000L;
    /** Every step recounts the campaigns it touched; every so many steps, and at the end, all of them. */
    private static final int FULL_CHECK_EVERY = 8;

    @Test
    void shouldKeepEveryInvariantUnderRandomCommands() {
        Run run = new Run(new Random(20261128L));
        run.steps(2_500);

        run.checkInvariants(true);
        run.assertEveryOutcomeWasSeen();
        run.assertUserListings();
    }

    @Test
    void shouldMakeTheSameDecisionsAfterRecoveryMidRun() {
        Run run = new Run(new Random(8_8_2026L));
        run.steps(1_000);

        Book recovered = recover(run.book, new Random(99));
        assertSameState(run.book, recovered);
        run.twin = recovered;
        run.steps(700);

        run.checkInvariants(true);
        assertSameState(run.book, recovered);
        run.assertUserListings();
    }

    @Test
    void shouldKeepEveryInvariantWithAnotherSeed() {
        Run run = new Run(new Random(7L));
        run.steps(1_000);

        run.checkInvariants(true);
        run.assertUserListings();
    }

    /** One random run: the book under test, a model, and the command generator. */
    private static final class Run {

        final Random random;
        final Book book = new Book();
        /** When set, every command is also applied to this book and must be decided the same way. */
        Book twin;

        // the model: campaigns in creation order, claims by campaign in creation order
        final List<Campaign> campaigns = new ArrayList<>();
        final Map<String, Campaign> campaignOfWish = new HashMap<>();
        final Map<String, WishSpec> specs = new LinkedHashMap<>();
        final List<String> wishIds = new ArrayList<>();
        final Map<String, Claim> claims = new HashMap<>();
        final Map<String, List<String>> claimIdsByCampaign = new HashMap<>();
        final Map<String, List<String>> claimIdsByUser = new HashMap<>();
        final List<String> allClaimIds = new ArrayList<>();
        final Set<String> liveClaimIds = new LinkedHashSet<>();
        long clock;
        long lastClaimNumber;

        long base = OPENS - 30 * MINUTE;
        int step;
        final Map<Result, Integer> seen = new EnumMap<>(Result.class);
        int expired;
        /** Campaigns the current step may have changed. */
        final Set<String> touched = new HashSet<>();

        Run(Random random) {
            this.random = random;
            for (int c = 0; c < CAMPAIGNS; c++) {
                List<WishSpec> wishes = new ArrayList<>();
                for (int w = 0; w < WISHES_PER_CAMPAIGN; w++) {
                    String id = c % 2 == 0 ? null : "wish-" + c + "-" + w;
                    wishes.add(new WishSpec(id, "t", 1 + random.nextInt(3), "cat", "loc", "b", "d"));
                }
                String id = c % 2 == 0 ? null : "campaign-" + c;
                Campaign draft = new Campaign(id, "campaign " + c, OPENS + c * 20 * MINUTE, 1 + random.nextInt(3),
                        1 + random.nextInt(4), 0, wishes);
                Outcome outcome = book.createCampaign(draft, BEFORE + c);
                assertEquals(Result.CREATED, outcome.result());
                clock = BEFORE + c;
                Campaign campaign = outcome.campaign();
                campaigns.add(campaign);
                claimIdsByCampaign.put(campaign.id(), new ArrayList<>());
                for (WishSpec spec : campaign.wishes()) {
                    specs.put(spec.id(), spec);
                    campaignOfWish.put(spec.id(), campaign);
                    wishIds.add(spec.id());
                }
            }
            assertEquals(CAMPAIGNS * WISHES_PER_CAMPAIGN, book.wishes(WishFilter.ALL).size());
        }

        void steps(int count) {
            for (int i = 0; i < count; i++) {
                step++;
                base += random.nextInt(40_000);
                long now = random.nextInt(5) == 0 ? base - random.nextInt(4) : base;
                try {
                    touched.clear();
                    oneCommand(now);
                    checkInvariants(step % FULL_CHECK_EVERY == 0);
                } catch (AssertionError e) {
                    throw new AssertionError("step " + step + " at " + now + ": " + e.getMessage(), e);
                }
            }
        }

        private void oneCommand(long now) {
            int roll = random.nextInt(100);
            if (roll < 50) {
                String wishId = random.nextInt(100) == 0 ? "no-such-wish" : wishIds.get(random.nextInt(wishIds.size()));
                // a few busy users reach their limits; the rest compete for what is left
                int user = random.nextBoolean() ? random.nextInt(USERS / 10) : random.nextInt(USERS);
                claim(wishId, user(user), now);
            } else if (roll < 55 && !liveClaimIds.isEmpty()) {
                Claim held = claims.get(pickLive());
                claim(held.wishId(), held.userId(), now);
            } else if (roll < 67) {
                String id = pickClaimId();
                transition(new Command.Cancel(id, actorFor(id), now));
            } else if (roll < 82) {
                String id = pickClaimId();
                transition(new Command.Fulfil(id, actorFor(id), now));
            } else if (roll < 92) {
                String id = pickClaimId();
                transition(new Command.Confirm(id, 1 + random.nextInt(5), random.nextBoolean() ? "c" + step : null,
                        now));
            } else {
                expire(now);
            }
        }

        // ------------------------------------------------------------ commands and the model

        private void claim(String wishId, String userId, long now) {
            touch(campaignOfWish.get(wishId));
            Outcome expected = expectClaim(wishId, userId, now);
            Outcome actual = apply(new Command.ClaimWish(wishId, userId, now));
            assertDecision(expected, actual, () -> userId + " claims " + wishId);
            if (actual.result() == Result.CREATED) {
                Claim claim = actual.claim();
                clock = claim.claimedAt();
                lastClaimNumber++;
                claims.put(claim.id(), claim);
                claimIdsByCampaign.get(claim.campaignId()).add(claim.id());
                claimIdsByUser.computeIfAbsent(userId, u -> new ArrayList<>()).add(claim.id());
                allClaimIds.add(claim.id());
                liveClaimIds.add(claim.id());
            }
        }

        private Outcome expectClaim(String wishId, String userId, long now) {
            WishSpec spec = specs.get(wishId);
            if (spec == null) {
                return Outcome.NOT_FOUND;
            }
            Campaign campaign = campaignOfWish.get(wishId);
            if (now < campaign.opensAt()) {
                return new Outcome(Result.NOT_OPEN, null, campaign, null);
            }
            Claim held = null;
            int onWish = 0;
            int ofUser = 0;
            for (String id : claimIdsByCampaign.get(campaign.id())) {
                Claim claim = claims.get(id);
                if (!claim.status().isActive()) {
                    continue;
                }
                if (claim.wishId().equals(wishId)) {
                    onWish++;
                    if (claim.userId().equals(userId)) {
                        held = claim;
                    }
                }
                if (claim.userId().equals(userId)) {
                    ofUser++;
                }
            }
            if (held != null) {
                return new Outcome(Result.REPEAT, held, null, null);
            }
            if (onWish >= spec.quantity()) {
                return Outcome.SOLD_OUT;
            }
            if (ofUser >= campaign.perUserLimit()) {
                return Outcome.LIMIT_REACHED;
            }
            long at = Math.max(clock, now);
            return new Outcome(Result.CREATED, new Claim("cl-" + (lastClaimNumber + 1), wishId, campaign.id(), userId,
                    ClaimStatus.CLAIMED, at, 0, 0, 0, 0, 0, null), null, null);
        }

        private void transition(Command command) {
            Claim before = claims.get(command instanceof Command.Cancel c ? c.claimId()
                    : command instanceof Command.Fulfil f ? f.claimId() : ((Command.Confirm) command).claimId());
            if (before != null) {
                touched.add(before.campaignId());
            }
            Outcome expected = expectTransition(command);
            Outcome actual = apply(command);
            assertDecision(expected, actual, command::toString);
            if (actual.result() == Result.UPDATED) {
                Claim claim = actual.claim();
                clock = Math.max(clock, command.at());
                claims.put(claim.id(), claim);
                if (claim.status() != ClaimStatus.CLAIMED && claim.status() != ClaimStatus.FULFILLED) {
                    liveClaimIds.remove(claim.id());
                }
            }
        }

        private Outcome expectTransition(Command command) {
            String claimId;
            String actor;
            ClaimStatus from;
            if (command instanceof Command.Cancel c) {
                claimId = c.claimId();
                actor = c.actor();
                from = ClaimStatus.CLAIMED;
            } else if (command instanceof Command.Fulfil f) {
                claimId = f.claimId();
                actor = f.actor();
                from = ClaimStatus.CLAIMED;
            } else if (command instanceof Command.Confirm c) {
                claimId = c.claimId();
                actor = null;
                from = ClaimStatus.FULFILLED;
            } else {
                throw new IllegalArgumentException(command.toString());
            }
            Claim claim = claims.get(claimId);
            if (claim == null) {
                return Outcome.NOT_FOUND;
            }
            if (actor != null && !actor.equals(claim.userId())) {
                return Outcome.FORBIDDEN;
            }
            if (claim.status() != from) {
                return new Outcome(Result.INVALID_STATE, claim, null, null);
            }
            long at = Math.max(clock, command.at());
            Claim after;
            if (command instanceof Command.Cancel) {
                after = new Claim(claim.id(), claim.wishId(), claim.campaignId(), claim.userId(),
                        ClaimStatus.CANCELLED, claim.claimedAt(), 0, 0, at, 0, 0, null);
            } else if (command instanceof Command.Fulfil) {
                after = new Claim(claim.id(), claim.wishId(), claim.campaignId(), claim.userId(),
                        ClaimStatus.FULFILLED, claim.claimedAt(), at, 0, 0, 0, 0, null);
            } else {
                Command.Confirm c = (Command.Confirm) command;
                after = new Claim(claim.id(), claim.wishId(), claim.campaignId(), claim.userId(),
                        ClaimStatus.CONFIRMED, claim.claimedAt(), claim.fulfilledAt(), at, 0, 0, c.rating(),
                        c.comment());
            }
            return new Outcome(Result.UPDATED, after, null, null);
        }

        private void expire(long now) {
            campaigns.forEach(this::touch);
            clock = Math.max(clock, now);
            List<Claim> expected = new ArrayList<>();
            for (Campaign campaign : campaigns) {
                for (String id : claimIdsByCampaign.get(campaign.id())) {
                    Claim claim = claims.get(id);
                    if (claim.status() == ClaimStatus.CLAIMED
                            && claim.claimedAt() + campaign.fulfilWithinMillis() <= clock) {
                        expected.add(new Claim(claim.id(), claim.wishId(), claim.campaignId(), claim.userId(),
                                ClaimStatus.EXPIRED, claim.claimedAt(), 0, 0, 0, clock, 0, null));
                    }
                }
            }
            List<Claim> actual = new ArrayList<>(book.expire(now).expired());
            assertEquals(expected, actual, "expired claims");
            if (twin != null) {
                List<Claim> twinActual = twin.expire(now).expired();
                // same claims; the order across campaigns follows the order campaigns were restored in
                assertEquals(byId(actual), byId(twinActual), "the recovered book expires the same claims");
            }
            for (Claim claim : actual) {
                claims.put(claim.id(), claim);
                liveClaimIds.remove(claim.id());
            }
            expired += actual.size();
        }

        private static Map<String, Claim> byId(List<Claim> list) {
            Map<String, Claim> byId = new TreeMap<>();
            for (Claim claim : list) {
                byId.put(claim.id(), claim);
            }
            assertEquals(list.size(), byId.size());
            return byId;
        }

        private void touch(Campaign campaign) {
            if (campaign != null) {
                touched.add(campaign.id());
            }
        }

        /**
         * The model decides everything but the events; those must announce the changed claim
         * with its wish's units left right after the change, and nothing else.
         */
        private void assertDecision(Outcome expected, Outcome actual, java.util.function.Supplier<String> what) {
            assertEquals(expected, new Outcome(actual.result(), actual.claim(), actual.campaign(), actual.detail()), what);
            List<WishEvent> events = actual.result().changesState()
                    ? WishEvent.after(actual.claim(), book.remaining(actual.claim().wishId())) : List.of();
            assertEquals(events, actual.events(), what);
        }

        private Outcome apply(Command command) {
            Outcome outcome = settle(book, command);
            seen.merge(outcome.result(), 1, Integer::sum);
            if (twin != null) {
                assertEquals(outcome, settle(twin, command), () -> "the recovered book decides " + command);
            }
            return outcome;
        }

        private static Outcome settle(Book target, Command command) {
            Reply reply = command.apply(target);
            if (reply instanceof Reply.ClaimDecision decision) {
                return decision.outcome();
            }
            if (reply instanceof Reply.ClaimTransition transition) {
                return transition.outcome();
            }
            throw new IllegalArgumentException(command.toString());
        }

        // ------------------------------------------------------------ picking

        private static String user(int n) {
            return "u" + n;
        }

        private String pickLive() {
            int index = random.nextInt(liveClaimIds.size());
            for (String id : liveClaimIds) {
                if (index-- == 0) {
                    return id;
                }
            }
            throw new IllegalStateException();
        }

        private String pickClaimId() {
            int roll = random.nextInt(100);
            if (roll < 2 || allClaimIds.isEmpty()) {
                return "cl-" + (1_000_000 + random.nextInt(1000));
            }
            if (roll < 70 && !liveClaimIds.isEmpty()) {
                return pickLive();
            }
            return allClaimIds.get(random.nextInt(allClaimIds.size()));
        }

        /** Usually the claimer, sometimes an organiser (null), sometimes someone else. */
        private String actorFor(String claimId) {
            Claim claim = claims.get(claimId);
            int roll = random.nextInt(10);
            if (roll == 0) {
                return null;
            }
            if (roll == 1 || claim == null) {
                return user(random.nextInt(USERS));
            }
            return claim.userId();
        }

        // ------------------------------------------------------------ invariants

        /**
         * Recounts campaigns from the book's own claims and checks the invariants and every read
         * against the recount: all campaigns when {@code full}, else those the step touched.
         */
        void checkInvariants(boolean full) {
            long[] total = new long[11];
            for (Campaign campaign : campaigns) {
                Stats stats = full || touched.contains(campaign.id()) ? recount(campaign) : book.stats(campaign.id());
                long[] fields = {stats.campaigns(), stats.wishes(), stats.units(), stats.remaining(), stats.claimed(),
                        stats.fulfilled(), stats.confirmed(), stats.cancelled(), stats.expired(), stats.rated(),
                        stats.satisfied()};
                for (int i = 0; i < fields.length; i++) {
                    total[i] += fields[i];
                }
            }
            assertEquals(allClaimIds.size(), total[4] + total[5] + total[6] + total[7] + total[8], "claim count");
            assertEquals(new Stats(total[0], total[1], total[2], total[3], total[4], total[5], total[6], total[7],
                    total[8], total[9], total[10]), book.stats(), "stats");
        }

        /** Recounts one campaign from the book's claims, checks it, and returns the recounted stats. */
        private Stats recount(Campaign campaign) {
            List<Claim> ofCampaign = book.claimsOfCampaign(campaign.id());
            assertNotNull(ofCampaign);
            assertEquals(claimIdsByCampaign.get(campaign.id()).size(), ofCampaign.size(), "claims of campaign");
            Map<String, Integer> activeByWish = new HashMap<>();
            Map<String, Integer> activeByUser = new HashMap<>();
            Map<String, Set<String>> activeUsersByWish = new HashMap<>();
            long[] byStatus = new long[ClaimStatus.values().length];
            long rated = 0;
            long satisfied = 0;
            long previousNumber = 0;
            for (Claim claim : ofCampaign) {
                assertEquals(campaign.id(), claim.campaignId());
                assertEquals(claims.get(claim.id()), claim, "the book's claim equals the model's");
                long number = Long.parseLong(claim.id().substring(3));
                assertTrue(number > previousNumber, "claims of a campaign are listed in the order made");
                previousNumber = number;
                byStatus[claim.status().ordinal()]++;
                activeByUser.putIfAbsent(claim.userId(), 0);
                if (claim.status().isActive()) {
                    activeByWish.merge(claim.wishId(), 1, Integer::sum);
                    activeByUser.merge(claim.userId(), 1, Integer::sum);
                    // invariant 2: at most one active claim per user per wish
                    assertTrue(activeUsersByWish.computeIfAbsent(claim.wishId(), w -> new HashSet<>())
                            .add(claim.userId()),
                            () -> "two active claims of " + claim.userId() + " on " + claim.wishId());
                }
                if (claim.status() == ClaimStatus.CONFIRMED) {
                    rated++;
                    if (claim.rating() >= 4) {
                        satisfied++;
                    }
                }
                // invariant 5: nothing claimed before opening
                assertTrue(claim.claimedAt() >= campaign.opensAt(), "claimed before opening");
            }
            long active = 0;
            long units = 0;
            long remaining = 0;
            for (WishSpec spec : campaign.wishes()) {
                int held = activeByWish.getOrDefault(spec.id(), 0);
                // invariant 1: active claims of a wish never exceed its quantity
                assertTrue(held <= spec.quantity(), () -> spec.id() + " over-claimed");
                WishView view = book.wish(spec.id());
                assertEquals(spec.quantity() - held, view.remaining(), () -> "remaining of " + spec.id());
                active += held;
                units += spec.quantity();
                remaining += view.remaining();
            }
            for (Map.Entry<String, Integer> user : activeByUser.entrySet()) {
                // invariant 3: at most perUserLimit active claims per campaign
                assertTrue(user.getValue() <= campaign.perUserLimit(), () -> user.getKey() + " over the limit");
                assertEquals(user.getValue().intValue(), book.activeClaims(campaign.id(), user.getKey()),
                        () -> "active claims of " + user.getKey());
            }
            assertEquals(remaining, book.campaign(campaign.id()).remaining());
            Stats recounted = new Stats(1, campaign.wishes().size(), units, units - active,
                    byStatus[0], byStatus[1], byStatus[2], byStatus[3], byStatus[4], rated, satisfied);
            assertEquals(recounted, book.stats(campaign.id()), () -> "stats of " + campaign.id());
            return recounted;
        }

        void assertUserListings() {
            for (int u = 0; u < USERS; u++) {
                List<Claim> expected = new ArrayList<>();
                for (String id : claimIdsByUser.getOrDefault(user(u), List.of())) {
                    expected.add(claims.get(id));
                }
                assertEquals(expected, book.claimsOf(user(u)), "claims of " + user(u));
            }
        }

        void assertEveryOutcomeWasSeen() {
            for (Result result : Result.values()) {
                if (result == Result.FOUND || result == Result.ALREADY_EXISTS || result == Result.NO_NUMBERS
                        || result == Result.ENTERED || result == Result.ENTRY_REPEAT || result == Result.DRAW_PENDING
                        || result == Result.UNKNOWN_ORG || result == Result.ORG_RETIRED) {
                    // reads, campaign creation, block numbering, fair start (BookFairStartTest,
                    // FairStartIT) and the organiser tree (BookOrgScopeTest) are not part of the run
                    continue;
                }
                if (seen.getOrDefault(result, 0) < 10) {
                    fail("the run saw " + result + " only " + seen.getOrDefault(result, 0) + " times: " + seen);
                }
            }
            assertTrue(expired >= 10, "the run expired only " + expired + " claims");
        }
    }
}
