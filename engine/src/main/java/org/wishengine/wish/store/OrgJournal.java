package org.wishengine.wish.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.core.Org;

/**
 * The format of the organiser tree in {@link Keys#ORGS}: one list element per committed batch
 * that changed orgs, holding the latest state of each org it changed, one tab-separated line per
 * org after a {@value #HEADER} line:
 * <pre>
 * id  name  parent  retired
 * </pre>
 * {@code parent} is empty for a root; {@code retired} is {@code 1} or {@code 0}. Text is escaped
 * as in {@link TabbedLines}. A reader keeps the newest state of each org:
 * later elements, and later lines of one element, win.
 *
 * <p>An instance is a reusable writer for one element and is not thread-safe; {@link #read} is a
 * pure function.
 */
public final class OrgJournal {

    static final String HEADER = "orgs/1";
    private static final int FIELDS = 4;

    private final StringBuilder text = new StringBuilder();

    /** Adds the org's current state to the element being written. */
    public void append(Org org) {
        if (text.isEmpty()) {
            text.append(HEADER).append('\n');
        }
        TabbedLines.escape(text, org.id()).append('\t');
        TabbedLines.escape(text, org.name()).append('\t');
        if (org.parent() != null) {
            TabbedLines.escape(text, org.parent());
        }
        text.append('\t').append(org.retired() ? '1' : '0').append('\n');
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** Drops what was written; the writer starts a new element. */
    public void clear() {
        text.setLength(0);
    }

    /** The element written so far, as UTF-8. */
    public byte[] toByteArray() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses one element into its orgs, in the order written.
     *
     * @throws IllegalArgumentException when the element is not in this format
     */
    public static List<Org> read(byte[] element) {
        List<String[]> records = TabbedLines.read(element, HEADER, FIELDS);
        List<Org> orgs = new ArrayList<>(records.size());
        for (String[] f : records) {
            if (!(f[3].equals("0") || f[3].equals("1"))) {
                throw new IllegalArgumentException("not an org line: " + String.join("\t", f));
            }
            try {
                orgs.add(new Org(TabbedLines.unescape(f[0]), TabbedLines.unescape(f[1]),
                        f[2].isEmpty() ? null : TabbedLines.unescape(f[2]), f[3].equals("1")));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an org line: " + String.join("\t", f), e);
            }
        }
        return orgs;
    }
}
