package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.core.BookFixtures.BEFORE;
import static org.wishengine.wish.core.BookFixtures.OPENS;
import static org.wishengine.wish.core.BookFixtures.claimed;
import static org.wishengine.wish.core.BookFixtures.create;
import static org.wishengine.wish.core.BookFixtures.draft;
import static org.wishengine.wish.core.BookFixtures.wish;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Block numbering ({@link Book#numberedInBlocks}): a cluster node's campaigns number claims from their own blocks. */
class BookBlocksTest {

    private final List<String> wants = new ArrayList<>();
    private final Book book = Book.numberedInBlocks(1, wants::add);

    private static long number(Claim claim) {
        return Long.parseLong(claim.id().substring("cl-".length()));
    }

    @Test
    void shouldWantABlockOnCreationAndRefuseClaimsUntilOneIsGranted() {
        create(book, draft("c", 1, 1, wish("w", 10)));
        assertEquals(List.of("c"), wants);

        Outcome refused = book.claim("w", "alice", OPENS);
        assertSame(Outcome.NO_NUMBERS, refused);
        assertFalse(refused.result().changesState());
        assertEquals(10, book.remaining("w"));
        assertEquals(List.of(), book.claimsOf("alice"));
        assertEquals(0, book.stats().claimed());

        assertTrue(book.grantBlock("c", 7));
        Claim first = claimed(book, "w", "alice", OPENS);
        assertEquals("cl-" + ClaimBlocks.first(7), first.id());
        assertEquals(List.of("c"), wants, "a fresh block is more than half a block");
    }

    @Test
    void shouldKeepNumbersInTheCampaignsBlocksAndWantOncePerNeed() {
        create(book, draft("a", 1, 1, wish("wa", 5000)));
        create(book, draft("b", 1, 1, wish("wb", 5000)));
        book.grantBlock("a", 3);
        book.grantBlock("b", 4);
        wants.clear();

        List<Long> numbersOfA = new ArrayList<>();
        for (int i = 0; i < ClaimBlocks.SIZE; i++) {
            numbersOfA.add(number(claimed(book, "wa", "ua" + i, OPENS + i)));
            number(claimed(book, "wb", "ub" + i, OPENS + i));
            if (i == ClaimBlocks.SIZE / 2) {
                // Fewer than half a block left since the claim before: each asked once, and only once.
                assertEquals(List.of("a", "b"), wants);
            }
        }
        for (int i = 0; i < ClaimBlocks.SIZE; i++) {
            assertEquals(ClaimBlocks.first(3) + i, numbersOfA.get(i));
        }
        assertEquals(List.of("a", "b"), wants, "no second want before a grant arrives");
        assertSame(Outcome.NO_NUMBERS, book.claim("wa", "late", OPENS + 5000));
        assertEquals(List.of("a", "b"), wants, "running out asks no more: the want is outstanding");

        assertTrue(book.grantBlock("a", 9));
        Claim resumed = claimed(book, "wa", "late", OPENS + 5001);
        assertEquals(9, ClaimBlocks.blockOf(number(resumed)));
        for (Claim claim : book.claimsOfCampaign("a")) {
            long block = ClaimBlocks.blockOf(number(claim));
            assertTrue(block == 3 || block == 9, claim.id());
        }
        for (Claim claim : book.claimsOfCampaign("b")) {
            assertEquals(4, ClaimBlocks.blockOf(number(claim)), claim.id());
        }
    }

    @Test
    void shouldQueueGrantedBlocksAndUseThemInOrder() {
        create(book, draft("c", 3000, 1, wish("w", 3000)));
        book.grantBlock("c", 2);
        book.grantBlock("c", 5);
        book.grantBlock("c", 5); // held already: not twice
        book.grantBlock("c", 2);
        wants.clear();

        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 2 * ClaimBlocks.SIZE; i++) {
            long block = ClaimBlocks.blockOf(number(claimed(book, "w", "u" + i, OPENS)));
            if (blocks.isEmpty() || blocks.get(blocks.size() - 1) != block) {
                blocks.add(block);
            }
        }
        assertEquals(List.of(2L, 5L), blocks);
        assertEquals(List.of("c"), wants, "asked once, when the last block was half used");
        assertSame(Outcome.NO_NUMBERS, book.claim("w", "one-more", OPENS));
    }

    @Test
    void shouldRefuseGrantsForUnknownCampaignsAndBlocksNoNumberCanName() {
        assertFalse(book.grantBlock("nobody", 1));
        create(book, draft("c", 1, 1, wish("w", 1)));
        assertThrows(IllegalArgumentException.class, () -> book.grantBlock("c", 0));
        assertThrows(IllegalArgumentException.class, () -> book.grantBlock("c", ClaimBlocks.MAX_BLOCK + 1));
        assertThrows(IllegalArgumentException.class, () -> new Command.GrantBlock("c", 0, 1));
        assertTrue(book.grantBlock("c", ClaimBlocks.MAX_BLOCK));
        Claim last = claimed(book, "w", "u", OPENS);
        assertEquals(last, book.claim(last.id()), "the highest block's numbers are still claim ids");
        assertThrows(IllegalStateException.class, () -> new Book().grantBlock("c", 1));
    }

    @Test
    void shouldRequireEveryIdOfADraft() {
        assertThrows(IllegalArgumentException.class, () -> book.createCampaign(draft(null, 1, 1, wish("w", 1)), BEFORE));
        assertThrows(IllegalArgumentException.class, () -> book.createCampaign(draft("c", 1, 1, wish(null, 1)), BEFORE));
        assertNull(book.campaign("c"));
        assertEquals(List.of(), wants);
    }

    @Test
    void shouldGoOnNumberingAfterTheHighestClaimOfAnAdoptedCampaign() {
        create(book, draft("c", 5, 1, wish("w", 5000)));
        book.grantBlock("c", 6);
        for (int i = 0; i < 100; i++) {
            claimed(book, "w", "u" + i, OPENS + i);
        }
        List<Claim> snapshot = book.claimsOfCampaign("c");
        Campaign campaign = book.campaign("c").campaign();
        wants.clear();

        Book node = Book.numberedInBlocks(1, wants::add);
        node.adopt(campaign, snapshot);
        assertEquals(List.of(), wants, "the block has room for 924 more");
        assertEquals("cl-" + (ClaimBlocks.first(6) + 100), claimed(node, "w", "next", OPENS + 200).id());

        // A campaign whose highest claim ends its block wants a new one at once.
        Book full = Book.numberedInBlocks(1, wants::add);
        Claim last = new Claim("cl-" + (ClaimBlocks.first(8) - 1), "w", "c", "z", ClaimStatus.CLAIMED, OPENS, 0, 0, 0, 0,
                0, null);
        full.adopt(campaign, List.of(last));
        assertEquals(List.of("c"), wants);
        assertSame(Outcome.NO_NUMBERS, full.claim("w", "next", OPENS + 200));
    }
}
