package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;

class ClaimJournalTest {

    private final ClaimJournal journal = new ClaimJournal();

    private List<Claim> roundTrip(List<Claim> claims) {
        for (Claim claim : claims) {
            journal.append(claim);
        }
        List<Claim> read = ClaimJournal.read(new String(journal.toByteArray(), StandardCharsets.UTF_8), "c-1");
        journal.clear();
        return read;
    }

    @Test
    void shouldRoundTripAClaimInEveryStatus() {
        List<Claim> claims = new ArrayList<>();
        for (ClaimStatus status : ClaimStatus.values()) {
            claims.add(new Claim("cl-" + status.ordinal(), "w-1", "c-1", "alice", status, 1_700_000_000_123L,
                    2_000, 3_000, 4_000, 5_000, 5, "thank you"));
        }
        assertEquals(claims, roundTrip(claims));
    }

    @Test
    void shouldTellNoCommentFromAnEmptyOne() {
        List<Claim> claims = List.of(
                new Claim("cl-1", "w-1", "c-1", "bob", ClaimStatus.CLAIMED, 1, 0, 0, 0, 0, 0, null),
                new Claim("cl-2", "w-1", "c-1", "bob", ClaimStatus.CONFIRMED, 1, 2, 3, 0, 0, 4, ""));
        assertEquals(claims, roundTrip(claims));
    }

    @Test
    void shouldKeepTabsNewlinesBackslashesAndChineseInText() {
        List<Claim> claims = List.of(new Claim("cl-9", "w-2", "c-1", "王\t奶奶\\n", ClaimStatus.CONFIRMED,
                1, 2, 3, 0, 0, 5, "她说：\"谢谢\"\nline two\r\n\ttabbed \\ slash 🎁"));
        assertEquals(claims, roundTrip(claims));
    }

    @Test
    void shouldWriteOneReadableLinePerClaim() {
        journal.append(new Claim("cl-3", "w-7", "c-1", "carol", ClaimStatus.CLAIMED, 42, 0, 0, 0, 0, 0, null));
        String entry = new String(journal.toByteArray(), StandardCharsets.UTF_8);
        assertEquals("claims/1\ncl-3\tw-7\tcarol\tCLAIMED\t42\t0\t0\t0\t0\t0\n", entry);
    }

    @Test
    void shouldStartAFreshEntryAfterClear() {
        journal.append(new Claim("cl-1", "w-1", "c-1", "a", ClaimStatus.CLAIMED, 1, 0, 0, 0, 0, 0, null));
        journal.clear();
        assertTrue(journal.isEmpty());
        Claim second = new Claim("cl-2", "w-1", "c-1", "b", ClaimStatus.CLAIMED, 2, 0, 0, 0, 0, 0, null);
        assertEquals(List.of(second), roundTrip(List.of(second)));
        assertTrue(journal.isEmpty());
    }

    @Test
    void shouldGrowPastItsFirstBuffer() {
        List<Claim> claims = new ArrayList<>();
        for (int i = 0; i < 8_192; i++) { // the commit stage's largest batch
            claims.add(new Claim("cl-" + i, "w-" + (i % 7), "c-1", "user-" + i, ClaimStatus.CLAIMED, i, 0, 0, 0, 0, 0,
                    null));
        }
        assertEquals(claims, roundTrip(claims));
    }

    @Test
    void shouldRejectWhatIsNotAJournalEntry() {
        assertThrows(IllegalArgumentException.class, () -> ClaimJournal.read("{\"id\":\"cl-1\"}", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t1\t0\t0\t0\t0\t0", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t1\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tGONE\t1\t0\t0\t0\t0\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\\x\tCLAIMED\t1\t0\t0\t0\t0\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t1\t0\t0\t0\t0\t0\tc\textra\n", "c-1"));
    }

    @Test
    void shouldRoundTripExtremeNumbersAndTextNeedingEscapesInEveryField() {
        List<Claim> claims = List.of(
                new Claim("cl-\\1", "w-\t2", "c-1", "ü\ns\r", ClaimStatus.CONFIRMED, Long.MAX_VALUE, Long.MIN_VALUE,
                        -1, 9, 10, Integer.MIN_VALUE, "\\\t\n\r ✓ 好"),
                new Claim("cl-2", "w-1", "c-1", "", ClaimStatus.EXPIRED, 0, 0, 0, 0, 1, Integer.MAX_VALUE, "\\"));
        assertEquals(claims, roundTrip(claims));
    }

    @Test
    void shouldReadTheBytesRedisReturns() {
        Claim claim = new Claim("cl-7", "w-1", "c-9", "zoë", ClaimStatus.FULFILLED, 5, 6, 0, 0, 0, 0, "a\tb");
        journal.append(claim);
        byte[] entry = journal.toByteArray();
        assertTrue(ClaimJournalReader.isEntry(entry));
        assertEquals(List.of(claim), ClaimJournalReader.read(entry, "c-9"));
        assertFalse(ClaimJournalReader.isEntry("{\"id\":\"cl-1\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldRejectNumbersThatDoNotFit() {
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t9223372036854775808\t0\t0\t0\t0\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t1\t0\t0\t0\t0\t2147483648\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t-\t0\t0\t0\t0\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t1x\t0\t0\t0\t0\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\tCLAIMED\t\t0\t0\t0\t0\t0\n", "c-1"));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimJournal.read("claims/1\ncl-1\tw-1\tu\\\tCLAIMED\t1\t0\t0\t0\t0\t0\n", "c-1"));
    }
}
