package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fair start in the book: entries inside the window, one draw at its end, and the draw after recovery. */
class BookFairStartTest {

    private static final int WINDOW_SECONDS = 10;
    private static final long DRAW_AT = OPENS + WINDOW_SECONDS * 1000L;

    private final Book book = new Book();

    private static Campaign fairDraft(String id, int perUserLimit, WishSpec... wishes) {
        return new Campaign(id, "Campaign " + id, OPENS, perUserLimit, 168, 0L, List.of(wishes),
                new FairStart(WINDOW_SECONDS, DrawFixtures.COUNTING_SEED));
    }

    private static Outcome claim(Book book, String wishId, String userId, long at) {
        return ((Reply.ClaimDecision) new Command.ClaimWish(wishId, userId, at).apply(book)).outcome();
    }

    @Test
    void claimsInsideTheWindowAreEntriesWithTheCampaignsLimits() {
        book.createCampaign(fairDraft("c", 2, wish("a", 1), wish("b", 1), wish("d", 1)), BEFORE);
        assertEquals(Result.NOT_OPEN, claim(book, "a", "u", OPENS - 1).result());

        Outcome entered = claim(book, "a", "u", OPENS);
        assertEquals(Result.ENTERED, entered.result());
        Entry entry = entered.entry();
        assertEquals(new Entry("en-1", "c", "a", "u", OPENS, DRAW_AT, EntryOutcome.PENDING, 0, null, null), entry);
        assertTrue(entered.events().isEmpty(), "an entry announces nothing until the draw");

        Outcome repeat = claim(book, "a", "u", OPENS + 5);
        assertEquals(Result.ENTRY_REPEAT, repeat.result());
        assertEquals(entry, repeat.entry(), "a repeat returns the same entry");

        assertEquals(Result.ENTERED, claim(book, "b", "u", OPENS + 6).result());
        assertEquals(Result.LIMIT_REACHED, claim(book, "d", "u", OPENS + 7).result(),
                "no more entries per campaign than the per-user limit");
        assertEquals(Result.NOT_FOUND, claim(book, "nope", "u", OPENS + 7).result());
        assertEquals(3, book.remaining("a") + book.remaining("b") + book.remaining("d"),
                "entries hold no unit before the draw");
        assertEquals(List.of("en-1", "en-2"), book.entriesOf("u").stream().map(Entry::id).toList());
    }

    @Test
    void theDrawSettlesEveryEntryOnceByTheSeedsOrder() {
        book.createCampaign(fairDraft("c", 1, wish("a", 2), wish("b", 1)), BEFORE);
        List<DrawEntry> expected = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String wishId = i % 3 == 0 ? "b" : "a";
            assertEquals(Result.ENTERED, claim(book, wishId, "u" + i, OPENS + i).result());
            expected.add(new DrawEntry("en-" + i, wishId, "u" + i, i));
        }
        assertSame(Reply.Draws.NONE, book.drawDue(DRAW_AT - 1), "nothing is drawn before the window closes");

        Reply.Draws drawn = book.drawDue(DRAW_AT + 3);
        Draw reference = Draw.run(DrawFixtures.COUNTING_SEED, expected, Map.of("a", 2, "b", 1), 1, List.of());
        List<String> winnerIds = reference.settlement().winnerIds();
        assertEquals(3, winnerIds.size(), "exactly the units are won");
        assertEquals(winnerIds.size(), drawn.claims().size());
        assertEquals(12, drawn.entries().size(), "every entry is settled in the draw's commit");
        Map<String, Entry> settled = new HashMap<>();
        for (Entry entry : drawn.entries()) {
            settled.put(entry.id(), entry);
            assertEquals(DRAW_AT + 3, entry.settledAt());
        }
        for (int i = 0; i < winnerIds.size(); i++) {
            Entry won = settled.get(winnerIds.get(i));
            Claim claim = drawn.claims().get(i);
            assertEquals(EntryOutcome.WON, won.outcome());
            assertEquals(claim.id(), won.claimId(), "winners get claims in drawn order");
            assertEquals(won.userId(), claim.userId());
            assertEquals(ClaimStatus.CLAIMED, claim.status());
        }
        assertEquals(9, drawn.entries().stream().filter(e -> e.outcome() == EntryOutcome.LOST).count());
        assertEquals(0, book.remaining("a") + book.remaining("b"));
        WishEvent last = drawn.events().get(drawn.events().size() - 1);
        assertEquals(new WishEvent(WishEvent.Type.DRAW, null, "c", null, 0), last, "the draw event comes last");

        assertSame(Reply.Draws.NONE, book.drawDue(DRAW_AT + 500), "a draw runs once");
        DrawView view = book.draw("c");
        assertTrue(view.drawn());
        assertEquals(reference.drawn(), view.draw().drawn());
        assertTrue(DrawAudit.verify(view.draw().audit("c")).ok());
        assertEquals(DRAW_AT + 3, book.campaign("c").drawnAt());
    }

    @Test
    void aClaimAfterTheWindowRunsTheDrawFirstThenGoesFirstCome() {
        book.createCampaign(fairDraft("c", 1, wish("a", 1), wish("b", 1)), BEFORE);
        claim(book, "a", "u1", OPENS + 1);
        claim(book, "a", "u2", OPENS + 2);

        Reply.ClaimDecision late = (Reply.ClaimDecision) new Command.ClaimWish("b", "u3", DRAW_AT).apply(book);
        assertEquals(1, late.drawnFirst().claims().size(), "the draw ran inside the claim's command");
        assertEquals(Result.CREATED, late.outcome().result(), "then the claim is settled first-come on what is left");
        assertTrue(late.changedState());
        List<WishEvent.Type> types = late.events().stream().map(WishEvent::type).toList();
        assertEquals(WishEvent.Type.DRAW, types.get(types.indexOf(WishEvent.Type.DRAW)));
        assertTrue(types.indexOf(WishEvent.Type.DRAW) < types.lastIndexOf(WishEvent.Type.CLAIMED),
                "the draw is announced before the later claim");
        List<Object> changes = new ArrayList<>();
        late.changes(new ChangeSink() {
            public void claimChanged(Claim claim) { changes.add(claim.wishId()); }
            public void campaignCreated(Campaign campaign) { changes.add(campaign); }
            public void entryChanged(Entry entry) { changes.add(entry.id()); }
            public void orgChanged(Org org) { changes.add(org.id()); }
        });
        assertEquals(List.of("a", "en-1", "en-2", "b"), changes, "the draw's changes go before the claim's");
        assertEquals(Result.SOLD_OUT, claim(book, "a", "u4", DRAW_AT + 1).result());
    }

    @Test
    void recoveryFromCommittedEntriesRunsTheSameDrawAndKeepsASettledOne() {
        book.createCampaign(fairDraft("c", 2, wish("a", 3), wish("b", 2)), BEFORE);
        Campaign campaign = book.campaign("c").campaign();
        for (int i = 1; i <= 40; i++) {
            claim(book, i % 2 == 0 ? "a" : "b", "u" + (i % 15), OPENS + i);
        }
        List<Entry> pending = book.entriesOfCampaign("c");

        // A crash before the draw was committed: a restarted book has the entries and draws them alike.
        Book beforeDraw = new Book();
        beforeDraw.restore(campaign);
        pending.forEach(beforeDraw::restore);
        beforeDraw.recovered();
        Reply.Draws original = book.drawDue(DRAW_AT);
        Reply.Draws again = beforeDraw.drawDue(DRAW_AT);
        assertEquals(original.claims(), again.claims());
        assertEquals(original.entries(), again.entries());

        // After the draw was committed: restored newest state first, the draw is not run again.
        Book afterDraw = new Book();
        afterDraw.restore(campaign);
        original.claims().forEach(afterDraw::restore);
        original.entries().forEach(afterDraw::restore);
        pending.forEach(afterDraw::restore); // older states lose to the settled ones
        afterDraw.recovered();
        assertSame(Reply.Draws.NONE, afterDraw.drawDue(DRAW_AT + 60_000));
        assertEquals(book.entriesOfCampaign("c"), afterDraw.entriesOfCampaign("c"));
        assertEquals(book.draw("c").draw().audit("c"), afterDraw.draw("c").draw().audit("c"),
                "the audit is recomputed identically from the committed seed and entries");
        assertEquals(book.entriesOf("u3"), afterDraw.entriesOf("u3"));
        assertEquals(Result.SOLD_OUT, claim(afterDraw, "a", "x", DRAW_AT + 60_001).result());
    }

    @Test
    void aDrawWithNoEntriesLeavesTheGrabFirstCome() {
        book.createCampaign(fairDraft("c", 1, wish("a", 1)), BEFORE);
        Reply.ClaimDecision first = (Reply.ClaimDecision) new Command.ClaimWish("a", "u", DRAW_AT + 5).apply(book);
        assertEquals(Result.CREATED, first.outcome().result());
        assertTrue(book.draw("c").drawn());
        assertEquals(0, book.draw("c").entryCount());
        assertEquals(DRAW_AT, book.campaign("c").drawnAt(), "nothing settled: drawn when the window closed");
        DrawAudit audit = book.draw("c").draw().audit("c");

        // Nothing of such a draw is committed but the claims after it; recovered, it is the same draw.
        Book recovered = new Book();
        recovered.restore(book.campaign("c").campaign());
        book.claimsOfCampaign("c").forEach(recovered::restore);
        recovered.recovered();
        assertTrue(recovered.draw("c").drawn());
        assertEquals(DRAW_AT, recovered.campaign("c").drawnAt());
        assertEquals(audit, recovered.draw("c").draw().audit("c"), "held claims came after the draw, not before");
        assertSame(Reply.Draws.NONE, recovered.drawDue(DRAW_AT + 60_000), "and it does not run again");

        // Without a claim nothing tells it ran: it runs again when due, to the same record.
        Book untouched = new Book();
        untouched.createCampaign(fairDraft("c", 1, wish("a", 1)), BEFORE);
        untouched.drawDue(DRAW_AT + 70);
        Book restarted = new Book();
        restarted.restore(untouched.campaign("c").campaign());
        restarted.recovered();
        restarted.drawDue(DRAW_AT + 90_000);
        assertEquals(untouched.campaign("c").drawnAt(), restarted.campaign("c").drawnAt());
        assertEquals(untouched.draw("c").draw().audit("c"), restarted.draw("c").draw().audit("c"));
    }

    @Test
    void aClusterNodesDrawWaitsForClaimNumbersForAllItsWinners() {
        List<String> wants = new ArrayList<>();
        Book node = Book.numberedInBlocks(1, wants::add);
        int units = 1500; // more than one block of numbers
        node.createCampaign(fairDraft("c", 1, wish("a", units)), BEFORE, 1);
        for (int i = 0; i < units; i++) {
            assertEquals(Result.ENTERED, claim(node, "a", "u" + i, OPENS + 1).result());
        }
        wants.clear();
        assertSame(Reply.Draws.NONE, node.drawDue(DRAW_AT), "1500 winners, 1024 numbers: the draw waits");
        assertEquals(List.of("c"), wants, "and asks for another block");
        assertEquals(Result.DRAW_PENDING, claim(node, "a", "late", DRAW_AT + 1).result(),
                "no entry after the window and no first-come claim before the draw");
        assertTrue(node.grantBlock("c", 7));
        Reply.Draws drawn = node.drawDue(DRAW_AT + 2);
        assertEquals(units, drawn.claims().size());
        Set<Long> blocks = new HashSet<>();
        for (Claim claim : drawn.claims()) {
            blocks.add(ClaimBlocks.blockOf(Book.claimNumber(claim.id())));
        }
        assertEquals(Set.of(1L, 7L), blocks);
    }

    @Test
    void adoptAndDropCarryTheEntries() {
        book.createCampaign(fairDraft("c", 1, wish("a", 1)), BEFORE);
        claim(book, "a", "u1", OPENS + 1);
        claim(book, "a", "u2", OPENS + 2);
        book.drawDue(DRAW_AT);
        Campaign campaign = book.campaign("c").campaign();

        Book other = new Book();
        other.adopt(campaign, book.claimsOfCampaign("c"), book.entriesOfCampaign("c"));
        assertEquals(book.entriesOf("u2"), other.entriesOf("u2"));
        assertTrue(other.draw("c").drawn());
        assertSame(Reply.Draws.NONE, other.drawDue(DRAW_AT + 1));

        assertTrue(other.drop("c"));
        assertEquals(List.of(), other.entriesOf("u1"));
        assertNull(other.draw("c"));
        assertFalse(new Book().restore(book.entriesOfCampaign("c").get(0)), "an entry of an unknown campaign is refused");
    }

    @Test
    void aCampaignsSeedStaysInItsFairStartAndIdsKeepIt() {
        Campaign draft = fairDraft(null, 1, wish(null, 1));
        Campaign reserved = draft.withReservedIds("c-9", List.of("w-9"));
        assertNotNull(reserved.fairStart());
        assertEquals(DRAW_AT, reserved.drawAt());
        assertEquals(0, new Campaign("p", "plain", OPENS, 1, 1, 0, List.of(wish("a", 1))).drawAt());
    }
}
