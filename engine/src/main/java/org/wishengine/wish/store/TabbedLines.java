package org.wishengine.wish.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form shared by the small journals ({@link EntryJournal}, {@link OrgJournal}): a header
 * line naming the format, then one tab-separated line per record, with backslash, tab, newline and
 * carriage return inside text escaped as {@code \\ \t \n \r}. Readable with {@code redis-cli LRANGE}.
 */
final class TabbedLines {

    private TabbedLines() {
    }

    /** Appends {@code value} to {@code text} escaped; returns {@code text}. */
    static StringBuilder escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return text;
    }

    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The records of one element written under {@code header}, each split into exactly
     * {@code fields} fields (still escaped), in the order written.
     *
     * @throws IllegalArgumentException when the header is wrong, the element ends inside a line,
     *                                  or a line has another number of fields
     */
    static List<String[]> read(byte[] element, String header, int fields) {
        String all = new String(element, StandardCharsets.UTF_8);
        if (!all.startsWith(header + "\n")) {
            throw new IllegalArgumentException("not an " + header + " element: "
                    + all.substring(0, Math.min(40, all.length())));
        }
        String[] lines = all.substring(header.length() + 1).split("\n", -1);
        if (!lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException(header + " element ends inside a line");
        }
        List<String[]> records = new ArrayList<>(lines.length - 1);
        for (int i = 0; i < lines.length - 1; i++) {
            String[] f = lines[i].split("\t", -1);
            if (f.length != fields) {
                throw new IllegalArgumentException("a " + header + " line has " + fields + " fields, not " + f.length
                        + ": " + lines[i]);
            }
            records.add(f);
        }
        return records;
    }
}
