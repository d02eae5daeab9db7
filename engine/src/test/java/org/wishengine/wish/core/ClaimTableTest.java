package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The book's columnar claim store, below the book's own tests. */
class ClaimTableTest {

    @Test
    void shouldKeepEveryClaimWhenTheTableGrowsByManyChunks() {
        ClaimTable table = new ClaimTable();
        // More than the first directory of chunks holds, so both the chunks and the directory grow.
        for (int number = 1; number <= 300_000; number++) {
            table.claimed(number, number % 7, number % 11, 1_000L + number);
        }

        for (int number = 1; number <= 300_000; number++) {
            assertTrue(table.exists(number));
            assertEquals(number % 7, table.wish(number));
            assertEquals(number % 11, table.user(number));
            assertEquals(1_000L + number, table.claimedAt(number));
            assertEquals(ClaimStatus.CLAIMED, table.status(number));
        }
        assertFalse(table.exists(300_001));
        assertFalse(table.exists(0));
    }

    @Test
    void shouldHoldAClaimFarBeyondTheOthersWithoutTheNumbersBetween() {
        ClaimTable table = new ClaimTable();
        table.claimed(1, 0, 0, 100);
        table.claimed(999_999_999L, 1, 2, 200);

        assertTrue(table.exists(999_999_999L));
        assertEquals(200, table.claimedAt(999_999_999L));
        assertFalse(table.exists(999_999_998L));
        assertFalse(table.exists(500_000_000L));
        assertTrue(table.exists(1));
    }

    @Test
    void shouldReportTheEndOfAClaimUnderTheFieldOfItsStatus() {
        ClaimTable table = new ClaimTable();
        table.claimed(1, 0, 0, 100);
        table.claimed(2, 0, 0, 100);
        table.transition(1, ClaimStatus.CANCELLED, 150);
        table.transition(2, ClaimStatus.EXPIRED, 160);

        Claim cancelled = table.read(1, "cl-1", "w", "c", "u");
        Claim expired = table.read(2, "cl-2", "w", "c", "u");

        assertEquals(150, cancelled.cancelledAt());
        assertEquals(0, cancelled.expiredAt());
        assertEquals(0, expired.cancelledAt());
        assertEquals(160, expired.expiredAt());
    }

    @Test
    void shouldKeepTheRatingAndCommentOfAConfirmedClaim() {
        ClaimTable table = new ClaimTable();
        table.claimed(3, 0, 0, 100);
        table.transition(3, ClaimStatus.FULFILLED, 200);
        table.rate(3, 5, "She listens to the opera every night");
        table.transition(3, ClaimStatus.CONFIRMED, 300);

        assertEquals(new Claim("cl-3", "w", "c", "u", ClaimStatus.CONFIRMED, 100, 200, 300, 0, 0, 5,
                "She listens to the opera every night"), table.read(3, "cl-3", "w", "c", "u"));
    }

    @Test
    void shouldRefuseATransitionBackToClaimed() {
        ClaimTable table = new ClaimTable();
        table.claimed(1, 0, 0, 100);

        assertThrows(IllegalArgumentException.class, () -> table.transition(1, ClaimStatus.CLAIMED, 200));
    }

    @Test
    void shouldForgetAClearedClaimAndFreeItsChunkWithTheLast() {
        ClaimTable table = new ClaimTable();
        long first = ClaimBlocks.first(3);
        table.claimed(first, 1, 2, 100);
        table.claimed(first + 1, 1, 3, 110);
        table.transition(first + 1, ClaimStatus.FULFILLED, 120);
        table.rate(first + 1, 5, "kind");
        table.transition(first + 1, ClaimStatus.CONFIRMED, 130);

        table.clear(first + 1);
        assertFalse(table.exists(first + 1));
        assertTrue(table.exists(first));
        table.claimed(first + 1, 4, 5, 200);
        Claim reused = table.read(first + 1, "cl", "w", "c", "u");
        assertEquals(new Claim("cl", "w", "c", "u", ClaimStatus.CLAIMED, 200, 0, 0, 0, 0, 0, null), reused);

        table.clear(first);
        table.clear(first + 1);
        table.clear(first + 1);
        assertFalse(table.exists(first));
        assertFalse(table.exists(first + 1));
        table.claimed(first + 2, 0, 0, 300);
        assertTrue(table.exists(first + 2));
        assertFalse(table.exists(first));
    }
}
