package org.wishengine.wish.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.wishengine.wish.core.Claim;

/**
 * The journal format: one entry per campaign per committed batch, holding the latest state of
 * every claim the batch changed, one tab-separated line per claim after a {@value #HEADER} line:
 * <pre>
 * id  wishId  userId  STATUS  claimedAt  fulfilledAt  confirmedAt  cancelledAt  expiredAt  rating  [comment]
 * </pre>
 * Times are epoch millis (0 when the event has not happened); the comment field is absent when
 * there is none. Backslash, tab, newline and carriage return inside text are escaped as
 * {@code \\ \t \n \r}. The campaign is the journal's key, so it is not repeated per line.
 *
 * <p>Why not JSON: this is written on the ring thread for every changed claim and copied by Redis
 * into its append-only file; a line is a third the size of the claim's JSON and is written
 * straight into a reused byte buffer, with no generator, writer or string per claim. It stays
 * readable with {@code redis-cli LRANGE}.
 *
 * <p>An instance is a reusable writer for one entry and is not thread-safe; {@link #read} is a
 * pure function.
 */
public final class ClaimJournal {

    static final String HEADER = "claims/1";
    private static final byte[] HEADER_LINE = (HEADER + "\n").getBytes(StandardCharsets.US_ASCII);

    private static final int INITIAL_BYTES = 4096;
    private static final int RETAINED_BYTES = 64 * 1024;

    private byte[] buffer = new byte[INITIAL_BYTES];
    private int length;

    /** Adds the claim's current state to the entry being written. */
    public void append(Claim claim) {
        if (length == 0) {
            bytes(HEADER_LINE);
        }
        text(claim.id());
        tab();
        text(claim.wishId());
        tab();
        text(claim.userId());
        tab();
        ascii(claim.status().name());
        tab();
        number(claim.claimedAt());
        tab();
        number(claim.fulfilledAt());
        tab();
        number(claim.confirmedAt());
        tab();
        number(claim.cancelledAt());
        tab();
        number(claim.expiredAt());
        tab();
        number(claim.rating());
        if (claim.comment() != null) {
            tab();
            text(claim.comment());
        }
        put((byte) '\n');
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** Drops what was written; the writer starts a new entry. */
    public void clear() {
        length = 0;
        if (buffer.length > RETAINED_BYTES) {
            buffer = new byte[INITIAL_BYTES]; // a repair can merge thousands of claims: do not keep that much
        }
    }

    /** The entry written so far, as a new array (the writer keeps it until {@link #clear()}). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    /**
     * Parses one journal entry of the given campaign into its claims, in the order written
     * (see {@link ClaimJournalReader}, which recovery calls on the bytes Redis returns).
     *
     * @throws IllegalArgumentException when the entry is not in this format
     */
    public static List<Claim> read(String entry, String campaignId) {
        return ClaimJournalReader.read(entry.getBytes(StandardCharsets.UTF_8), campaignId);
    }

    private void text(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // Rare (names, comments): encode the whole string properly rather than by hand.
                escapedUtf8(value);
                return;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            escaped(value.charAt(i));
        }
    }

    private void escapedUtf8(String value) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0) {
                escaped((char) b);
            } else {
                put(b); // part of a multi-byte character: never a control character
            }
        }
    }

    private void escaped(char c) {
        switch (c) {
            case '\\' -> escape('\\');
            case '\t' -> escape('t');
            case '\n' -> escape('n');
            case '\r' -> escape('r');
            default -> put((byte) c);
        }
    }

    private void escape(char code) {
        put((byte) '\\');
        put((byte) code);
    }

    private void ascii(String value) {
        for (int i = 0; i < value.length(); i++) {
            put((byte) value.charAt(i));
        }
    }

    private void number(long value) {
        if (value == 0) {
            put((byte) '0');
            return;
        }
        if (value < 0) {
            put((byte) '-');
            if (value == Long.MIN_VALUE) {
                ascii("9223372036854775808");
                return;
            }
            value = -value;
        }
        int start = length;
        while (value > 0) {
            put((byte) ('0' + value % 10));
            value /= 10;
        }
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte swap = buffer[i];
            buffer[i] = buffer[j];
            buffer[j] = swap;
        }
    }

    private void tab() {
        put((byte) '\t');
    }

    private void bytes(byte[] value) {
        for (byte b : value) {
            put(b);
        }
    }

    private void put(byte b) {
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[length++] = b;
    }
}
