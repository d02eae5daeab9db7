package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.bench.load.InvariantChecker.AckedClaim;
import org.wishengine.wish.bench.load.InvariantChecker.Campaign;
import org.wishengine.wish.bench.load.InvariantChecker.Kind;
import org.wishengine.wish.bench.load.InvariantChecker.LedgerClaim;
import org.wishengine.wish.bench.load.InvariantChecker.Violation;
import org.wishengine.wish.bench.load.InvariantChecker.Wish;

class InvariantCheckerTest {

    private static final long OPENS = 1_000_000L;

    /** Wish a: 1 unit, b: 2 units; limit 2 per user. */
    private static Campaign campaign(Integer remainingA, Integer remainingB) {
        return new Campaign("c-1", 2, OPENS, List.of(new Wish("a", 1, remainingA), new Wish("b", 2, remainingB)));
    }

    private static LedgerClaim claim(String id, String wish, String user) {
        return new LedgerClaim(id, wish, "c-1", user, "claimed", OPENS + 5);
    }

    private static LedgerClaim claim(String id, String wish, String user, String status) {
        return new LedgerClaim(id, wish, "c-1", user, status, OPENS + 5);
    }

    private static List<LedgerClaim> cleanLedger() {
        return new ArrayList<>(List.of(
                claim("cl-1", "a", "u1"),
                claim("cl-2", "b", "u1"),
                claim("cl-3", "b", "u2", "fulfilled"),
                claim("cl-4", "b", "u3", "cancelled")));
    }

    private static List<AckedClaim> cleanAcks() {
        return new ArrayList<>(List.of(new AckedClaim("cl-1", "a", "u1"), new AckedClaim("cl-2", "b", "u1"),
                new AckedClaim("cl-3", "b", "u2"), new AckedClaim("cl-4", "b", "u3")));
    }

    private static List<Kind> kinds(List<Violation> violations) {
        return violations.stream().map(Violation::kind).toList();
    }

    @Test
    void shouldPassACleanLedger() {
        List<Violation> violations = InvariantChecker.check(campaign(0, 0), cleanLedger(), cleanAcks());

        assertEquals(List.of(), violations);
    }

    @Test
    void shouldPassWhenNothingWasClaimed() {
        assertEquals(List.of(), InvariantChecker.check(campaign(1, 2), List.of(), List.of()));
    }

    @Test
    void shouldReportAUnitHeldTwice() {
        List<LedgerClaim> ledger = cleanLedger();
        ledger.add(claim("cl-5", "a", "u2")); // wish a has one unit, now two active claims

        List<Violation> violations = InvariantChecker.check(campaign(null, 0), ledger, cleanAcks());

        assertEquals(List.of(Kind.OVER_QUANTITY), kinds(violations));
        assertTrue(violations.get(0).message().contains("wish a"), violations.toString());
    }

    @Test
    void shouldReportAUserTwiceOnAWish() {
        List<LedgerClaim> ledger = cleanLedger();
        ledger.remove(2); // u2's claim on b
        ledger.add(claim("cl-5", "b", "u1")); // u1 holds b twice (b has 2 units: not over quantity)
        Campaign generous = new Campaign("c-1", 5, OPENS, List.of(new Wish("a", 1, 0), new Wish("b", 2, 0)));

        List<Violation> violations = InvariantChecker.check(generous, ledger, List.of());

        assertEquals(List.of(Kind.USER_TWICE_ON_WISH), kinds(violations));
        assertTrue(violations.get(0).message().contains("b / u1"), violations.toString());
    }

    @Test
    void shouldReportAUserOverTheLimit() {
        Campaign tight = new Campaign("c-1", 1, OPENS, List.of(new Wish("a", 1, 0), new Wish("b", 2, 0)));

        List<Violation> violations = InvariantChecker.check(tight, cleanLedger(), cleanAcks());

        assertEquals(List.of(Kind.USER_OVER_LIMIT), kinds(violations));
        assertTrue(violations.get(0).message().contains("user u1"), violations.toString());
    }

    @Test
    void shouldReportAnAcknowledgedClaimMissingFromTheLedger() {
        List<AckedClaim> acks = cleanAcks();
        acks.add(new AckedClaim("cl-99", "b", "u7"));

        List<Violation> violations = InvariantChecker.check(campaign(0, 0), cleanLedger(), acks);

        assertEquals(List.of(Kind.ACK_MISSING), kinds(violations));
        assertTrue(violations.get(0).message().contains("cl-99"), violations.toString());
    }

    @Test
    void shouldReportAnAcknowledgedClaimStoredForAnotherUser() {
        List<AckedClaim> acks = cleanAcks();
        acks.set(0, new AckedClaim("cl-1", "a", "u9"));

        assertEquals(List.of(Kind.ACK_MISMATCH), kinds(InvariantChecker.check(campaign(0, 0), cleanLedger(), acks)));
    }

    @Test
    void shouldReportWrongRemaining() {
        // b: quantity 2, two active claims (the cancelled one does not count): remaining must be 0.
        List<Violation> violations = InvariantChecker.check(campaign(0, 1), cleanLedger(), cleanAcks());

        assertEquals(List.of(Kind.REMAINING_MISMATCH), kinds(violations));
        assertTrue(violations.get(0).message().contains("wish b"), violations.toString());
    }

    @Test
    void shouldReportAClaimBeforeOpening() {
        List<LedgerClaim> ledger = cleanLedger();
        ledger.set(0, new LedgerClaim("cl-1", "a", "c-1", "u1", "claimed", OPENS - 1));

        assertEquals(List.of(Kind.CLAIMED_BEFORE_OPEN),
                kinds(InvariantChecker.check(campaign(0, 0), ledger, cleanAcks())));
    }

    @Test
    void shouldReportDuplicateIdsAndForeignWishes() {
        List<LedgerClaim> ledger = cleanLedger();
        ledger.add(claim("cl-1", "a", "u1"));
        ledger.add(new LedgerClaim("cl-7", "zz", "c-2", "u1", "claimed", OPENS));

        assertEquals(List.of(Kind.DUPLICATE_CLAIM_ID, Kind.UNKNOWN_WISH),
                kinds(InvariantChecker.check(campaign(0, 0), ledger, cleanAcks())));
    }

    @Test
    void shouldReportEveryBrokenRuleAtOnce() {
        List<LedgerClaim> ledger = cleanLedger();
        ledger.add(claim("cl-5", "a", "u1")); // a second unit of a, to u1 who holds a already, a third claim of u1
        List<AckedClaim> acks = cleanAcks();
        acks.add(new AckedClaim("cl-99", "a", "u4"));

        List<Violation> violations = InvariantChecker.check(campaign(1, 0), ledger, acks);

        assertEquals(List.of(Kind.OVER_QUANTITY, Kind.REMAINING_MISMATCH, Kind.USER_TWICE_ON_WISH,
                        Kind.USER_OVER_LIMIT, Kind.ACK_MISSING),
                kinds(violations), violations.toString());
    }
}
