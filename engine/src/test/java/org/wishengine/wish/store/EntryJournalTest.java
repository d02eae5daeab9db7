package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.DrawSettlement;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.EntryOutcome;

class EntryJournalTest {

    private static final List<Entry> ENTRIES = List.of(
            new Entry("en-1", "c", "w-1", "alice", 1_000, 11_000, EntryOutcome.PENDING, 0, null, null),
            new Entry("en-2", "c", "w-2", "b\to\nb\\\r 王", 1_001, 11_000, EntryOutcome.WON, 11_005, "cl-3", null),
            new Entry("en-3", "c", "w-2", "carol", 1_002, 11_000, EntryOutcome.LOST, 11_005, null,
                    DrawSettlement.LossReason.LIMIT_REACHED));

    @Test
    void shouldReadBackEveryEntryAsWrittenWhateverItsUserIdHolds() {
        EntryJournal journal = new EntryJournal();
        ENTRIES.forEach(journal::append);
        byte[] element = journal.toByteArray();
        assertTrue(new String(element, StandardCharsets.UTF_8).startsWith("entries/1\nen-1\tw-1\talice\tPENDING\t"));
        assertEquals(ENTRIES, EntryJournal.read(element, "c"));

        journal.clear();
        assertTrue(journal.isEmpty());
        journal.append(ENTRIES.get(0));
        assertEquals(List.of(ENTRIES.get(0)), EntryJournal.read(journal.toByteArray(), "c"), "a cleared writer starts anew");
    }

    @Test
    void shouldRefuseWhatIsNotAnEntriesElement() {
        assertThrows(IllegalArgumentException.class,
                () -> EntryJournal.read("claims/1\n".getBytes(StandardCharsets.UTF_8), "c"));
        assertThrows(IllegalArgumentException.class,
                () -> EntryJournal.read("entries/1\nen-1\tw\tu\tPENDING\t1\t2\t0\t\t".getBytes(StandardCharsets.UTF_8), "c"),
                "an element cut inside a line");
        assertThrows(IllegalArgumentException.class,
                () -> EntryJournal.read("entries/1\nen-1\tw\tu\tMAYBE\t1\t2\t0\t\t\n".getBytes(StandardCharsets.UTF_8), "c"));
        assertThrows(IllegalArgumentException.class,
                () -> EntryJournal.read("entries/1\nen-1\tw\tu\tWON\t1\t2\t3\t\t\n".getBytes(StandardCharsets.UTF_8), "c"),
                "a won entry without its claim");
    }
}
