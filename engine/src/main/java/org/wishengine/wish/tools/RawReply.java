package org.wishengine.wish.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * One Redis reply as {@code redis-cli} prints it when its output is not a terminal: an error, or
 * the lines of its values (a bulk or status string raw, an integer in decimal, a nil as an empty
 * line, an array one element per line, nested arrays flattened).
 *
 * @param error the error reply without its leading {@code -}, or null when the command succeeded
 * @param lines what {@code redis-cli} prints on stdout for a successful reply
 */
public record RawReply(String error, List<String> lines) {

    public RawReply {
        lines = List.copyOf(lines);
    }

    static RawReply error(String message) {
        return new RawReply(message, List.of());
    }

    /** The reply whose values Lettuce's {@code NestedMultiOutput} collected. */
    static RawReply of(List<Object> values) {
        List<String> lines = new ArrayList<>();
        flatten(values, lines);
        return new RawReply(null, lines);
    }

    boolean failed() {
        return error != null;
    }

    /** The {@code host:port} of a {@code MOVED slot host:port} error, or null for any other reply. */
    NodeAddress movedTo() {
        if (error == null || !error.startsWith("MOVED ")) {
            return null;
        }
        String[] parts = error.split(" ");
        return parts.length == 3 ? NodeAddress.parse(parts[2]) : null;
    }

    private static void flatten(List<?> values, List<String> lines) {
        for (Object value : values) {
            if (value instanceof List<?> nested) {
                flatten(nested, lines);
            } else {
                lines.add(value == null ? "" : value.toString());
            }
        }
    }
}
