package org.wishengine.wish.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.core.DrawSettlement;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.EntryOutcome;

/**
 * The format of a campaign's fair-start entries in {@code wish:{c}:entries}: one list element per
 * committed batch that made or settled entries, holding the latest state of each, one
 * tab-separated line per entry after a {@value #HEADER} line:
 * <pre>
 * id  wishId  userId  OUTCOME  enteredAt  drawAt  settledAt  claimId  reason
 * </pre>
 * Times are epoch millis; {@code claimId} and {@code reason} are empty unless the entry won or
 * lost. Text is escaped as in {@link TabbedLines}. A draw appends every
 * entry of its campaign again, settled, in the same commit as its winners' claims, so a reader
 * that keeps the newest state of each entry sees either no draw or all of it.
 *
 * <p>An instance is a reusable writer for one element and is not thread-safe; {@link #read} is
 * a pure function.
 */
public final class EntryJournal {

    static final String HEADER = "entries/1";
    private static final int FIELDS = 9;
    private static final int RETAINED_CHARS = 64 * 1024;

    private StringBuilder text = new StringBuilder();

    /** Adds the entry's current state to the element being written. */
    public void append(Entry entry) {
        if (text.isEmpty()) {
            text.append(HEADER).append('\n');
        }
        escaped(entry.id()).append('\t');
        escaped(entry.wishId()).append('\t');
        escaped(entry.userId()).append('\t');
        text.append(entry.outcome().name()).append('\t')
                .append(entry.enteredAt()).append('\t')
                .append(entry.drawAt()).append('\t')
                .append(entry.settledAt()).append('\t');
        if (entry.claimId() != null) {
            escaped(entry.claimId());
        }
        text.append('\t');
        if (entry.reason() != null) {
            text.append(entry.reason().name());
        }
        text.append('\n');
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** Drops what was written; the writer starts a new element. */
    public void clear() {
        if (text.length() > RETAINED_CHARS) {
            text = new StringBuilder(); // a draw writes every entry at once: do not keep that much
        } else {
            text.setLength(0);
        }
    }

    /** The element written so far, as UTF-8. */
    public byte[] toByteArray() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses one element of the given campaign into its entries, in the order written.
     *
     * @throws IllegalArgumentException when the element is not in this format
     */
    public static List<Entry> read(byte[] element, String campaignId) {
        List<String[]> records = TabbedLines.read(element, HEADER, FIELDS);
        List<Entry> entries = new ArrayList<>(records.size());
        for (String[] f : records) {
            try {
                entries.add(new Entry(unescape(f[0]), campaignId, unescape(f[1]), unescape(f[2]),
                        Long.parseLong(f[4]), Long.parseLong(f[5]), EntryOutcome.valueOf(f[3]), Long.parseLong(f[6]),
                        f[7].isEmpty() ? null : unescape(f[7]),
                        f[8].isEmpty() ? null : DrawSettlement.LossReason.valueOf(f[8])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an entry line: " + String.join("\t", f), e);
            }
        }
        return entries;
    }

    private StringBuilder escaped(String value) {
        return TabbedLines.escape(text, value);
    }

    private static String unescape(String value) {
        return TabbedLines.unescape(value);
    }
}
