package org.wishengine.wish.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the invariants of the HTTP contract (API.md, "Invariants") on what a flash-grab left
 * behind. Pure: it takes the campaign as created (with what {@code GET /api/wishes/{id}} said
 * remains), the ledger read back from {@code GET /api/campaigns/{id}/claims}, and the 201
 * answers the load generator received, and returns every violation it finds; no I/O, no clock.
 *
 * <p>Checked:
 * <ol>
 *   <li>{@link Kind#OVER_QUANTITY}: no wish has more active claims than units (a unit is held
 *       by at most one active claim).</li>
 *   <li>{@link Kind#REMAINING_MISMATCH}: each wish's reported {@code remaining} equals
 *       {@code quantity - active claims}.</li>
 *   <li>{@link Kind#USER_TWICE_ON_WISH}: no user holds two active claims on one wish.</li>
 *   <li>{@link Kind#USER_OVER_LIMIT}: no user holds more than {@code perUserLimit} active claims
 *       in the campaign.</li>
 *   <li>{@link Kind#ACK_MISSING} / {@link Kind#ACK_MISMATCH}: every claim acknowledged with 201
 *       is in the ledger, for the same user and wish it was requested for.</li>
 *   <li>{@link Kind#CLAIMED_BEFORE_OPEN}: no claim was made before {@code opensAt}.</li>
 *   <li>and that the ledger itself is sane: claim ids are unique
 *       ({@link Kind#DUPLICATE_CLAIM_ID}) and every claim names a wish of the campaign
 *       ({@link Kind#UNKNOWN_WISH}).</li>
 * </ol>
 */
public final class InvariantChecker {

    /** What kind of rule was broken. */
    public enum Kind {
        OVER_QUANTITY, REMAINING_MISMATCH, USER_TWICE_ON_WISH, USER_OVER_LIMIT, ACK_MISSING, ACK_MISMATCH,
        CLAIMED_BEFORE_OPEN, DUPLICATE_CLAIM_ID, UNKNOWN_WISH
    }

    /** One broken rule, with a message that names the wish, user or claim. */
    public record Violation(Kind kind, String message) {
        @Override
        public String toString() {
            return kind + ": " + message;
        }
    }

    /**
     * One wish as created; {@code remaining} is what the engine reported afterwards, or null when
     * it was not read (then {@link Kind#REMAINING_MISMATCH} is not checked for it).
     */
    public record Wish(String id, int quantity, Integer remaining) {
    }

    /** The campaign as created: its rules and its wishes. */
    public record Campaign(String id, int perUserLimit, long opensAtMillis, List<Wish> wishes) {
        public Campaign {
            wishes = List.copyOf(wishes);
        }
    }

    /** One claim of the ledger (any status). */
    public record LedgerClaim(String id, String wishId, String campaignId, String userId, String status,
                              long claimedAtMillis) {
        /** Active = holds a unit: claimed, fulfilled or confirmed. */
        public boolean isActive() {
            return "claimed".equals(status) || "fulfilled".equals(status) || "confirmed".equals(status);
        }
    }

    /** A 201 the generator received: the claim id in the body, and the wish and user it asked for. */
    public record AckedClaim(String claimId, String wishId, String userId) {
    }

    private InvariantChecker() {
    }

    /** Every violation found, grouped by kind in the order of {@link Kind}; empty when all hold. */
    public static List<Violation> check(Campaign campaign, Collection<LedgerClaim> ledger,
                                        Collection<AckedClaim> acked) {
        List<Violation> found = new ArrayList<>();
        Map<String, Wish> wishes = new HashMap<>();
        for (Wish wish : campaign.wishes()) {
            wishes.put(wish.id(), wish);
        }

        Map<String, LedgerClaim> byId = new HashMap<>();
        Map<String, Integer> activePerWish = new TreeMap<>();
        Map<String, Integer> activePerWishUser = new TreeMap<>();
        Map<String, Integer> activePerUser = new TreeMap<>();
        Set<String> reportedUnknown = new HashSet<>();
        for (LedgerClaim claim : ledger) {
            if (byId.putIfAbsent(claim.id(), claim) != null) {
                found.add(new Violation(Kind.DUPLICATE_CLAIM_ID, "claim id " + claim.id() + " appears more than once"));
                continue;
            }
            if (!wishes.containsKey(claim.wishId()) || !Objects.equals(claim.campaignId(), campaign.id())) {
                if (reportedUnknown.add(claim.wishId())) {
                    found.add(new Violation(Kind.UNKNOWN_WISH, "claim " + claim.id() + " is on wish " + claim.wishId()
                            + " of campaign " + claim.campaignId() + ", not a wish of campaign " + campaign.id()));
                }
                continue;
            }
            if (claim.claimedAtMillis() < campaign.opensAtMillis()) {
                found.add(new Violation(Kind.CLAIMED_BEFORE_OPEN, "claim " + claim.id() + " was made at "
                        + claim.claimedAtMillis() + " ms, before opensAt " + campaign.opensAtMillis() + " ms"));
            }
            if (claim.isActive()) {
                activePerWish.merge(claim.wishId(), 1, Integer::sum);
                activePerWishUser.merge(claim.wishId() + " / " + claim.userId(), 1, Integer::sum);
                activePerUser.merge(claim.userId(), 1, Integer::sum);
            }
        }

        for (Wish wish : campaign.wishes()) {
            int active = activePerWish.getOrDefault(wish.id(), 0);
            if (active > wish.quantity()) {
                found.add(new Violation(Kind.OVER_QUANTITY, "wish " + wish.id() + " has " + active
                        + " active claims but only " + wish.quantity() + " units"));
            }
            if (wish.remaining() != null && wish.remaining() != wish.quantity() - active) {
                found.add(new Violation(Kind.REMAINING_MISMATCH, "wish " + wish.id() + " reports remaining "
                        + wish.remaining() + " but quantity " + wish.quantity() + " - " + active + " active = "
                        + (wish.quantity() - active)));
            }
        }
        activePerWishUser.forEach((wishUser, count) -> {
            if (count > 1) {
                found.add(new Violation(Kind.USER_TWICE_ON_WISH, "wish / user " + wishUser + " holds " + count
                        + " active claims"));
            }
        });
        activePerUser.forEach((user, count) -> {
            if (count > campaign.perUserLimit()) {
                found.add(new Violation(Kind.USER_OVER_LIMIT, "user " + user + " holds " + count
                        + " active claims, over the limit of " + campaign.perUserLimit()));
            }
        });

        for (AckedClaim ack : acked) {
            LedgerClaim claim = byId.get(ack.claimId());
            if (claim == null) {
                found.add(new Violation(Kind.ACK_MISSING, "claim " + ack.claimId() + " (wish " + ack.wishId()
                        + ", user " + ack.userId() + ") was acknowledged with 201 but is not in the ledger"));
            } else if (!claim.wishId().equals(ack.wishId()) || !claim.userId().equals(ack.userId())) {
                found.add(new Violation(Kind.ACK_MISMATCH, "claim " + ack.claimId() + " was acknowledged for wish "
                        + ack.wishId() + " / user " + ack.userId() + " but the ledger has wish " + claim.wishId()
                        + " / user " + claim.userId()));
            }
        }
        found.sort((a, b) -> Integer.compare(a.kind().ordinal(), b.kind().ordinal()));
        return found;
    }
}
