package org.wishengine.wish.cluster;

import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.core.WishEvent;

/**
 * The text one node publishes for the events of one committed batch, so that every other node's
 * event streams carry them too: the sender's node id on the first line, then one line per event,
 * its fields separated by a tab. Ids never contain tabs or line breaks (the API validates them to
 * {@code [A-Za-z0-9_-]}); a campaign's title is free text, so it comes last and is escaped.
 */
public final class EventCodec {

    private static final WishEvent.Type[] TYPES = WishEvent.Type.values();

    private EventCodec() {
    }

    /** One message for {@code events}, sent by {@code node}. */
    public static String encode(String node, List<WishEvent> events) {
        StringBuilder out = new StringBuilder(node.length() + events.size() * 48);
        out.append(node);
        for (WishEvent event : events) {
            out.append('\n').append(event.type().ordinal())
                    .append('\t').append(orEmpty(event.wishId()))
                    .append('\t').append(orEmpty(event.campaignId()))
                    .append('\t').append(orEmpty(event.claimId()))
                    .append('\t').append(event.remaining())
                    .append('\t').append(event.opensAt())
                    .append('\t');
            if (event.title() != null) {
                out.append('+');
                escape(out, event.title());
            }
        }
        return out.toString();
    }

    /** The node that sent a message. */
    public static String sender(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The events of a message. */
    public static List<WishEvent> decode(String message) {
        String[] lines = message.split("\n", -1);
        List<WishEvent> events = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", 7);
            if (f.length != 7) {
                throw new IllegalArgumentException("not an event line: " + lines[i]);
            }
            String title = f[6].isEmpty() ? null : unescape(f[6].substring(1));
            events.add(new WishEvent(TYPES[Integer.parseInt(f[0])], nullIfEmpty(f[1]), nullIfEmpty(f[2]),
                    nullIfEmpty(f[3]), Integer.parseInt(f[4]), title, Long.parseLong(f[5])));
        }
        return events;
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
