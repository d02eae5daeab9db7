package org.wishengine.wish.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;

/**
 * Parses {@link ClaimJournal} entries straight from the bytes Redis returns, for recovery: a
 * million claims are read at every start, so a field becomes a string without decoding the
 * entry first, numbers are read digit by digit, and the status is matched on its bytes. ASCII
 * text without escapes (ids, almost every user id) is copied as Latin-1, which the JVM stores
 * as is; anything else is unescaped and decoded as UTF-8.
 */
final class ClaimJournalReader {

    private static final byte[] HEADER_LINE = (ClaimJournal.HEADER + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final int FIELDS = 11;
    private static final ClaimStatus[] STATUSES = ClaimStatus.values();
    private static final byte[][] STATUS_NAMES = new byte[STATUSES.length][];

    static {
        for (ClaimStatus status : STATUSES) {
            STATUS_NAMES[status.ordinal()] = status.name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ClaimJournalReader() {
    }

    /** True when the entry starts with the {@code claims/1} header line. */
    static boolean isEntry(byte[] entry) {
        return entry.length >= HEADER_LINE.length
                && Arrays.equals(entry, 0, HEADER_LINE.length, HEADER_LINE, 0, HEADER_LINE.length);
    }

    /**
     * Parses one entry of the given campaign into {@code out}, in the order written.
     *
     * @throws IllegalArgumentException when the entry is not in this format
     */
    static void read(byte[] entry, String campaignId, List<Claim> out) {
        if (!isEntry(entry)) {
            throw new IllegalArgumentException("not a claims/1 journal entry: "
                    + new String(entry, 0, Math.min(40, entry.length), StandardCharsets.UTF_8));
        }
        int[] bounds = new int[FIELDS + 1];
        int at = HEADER_LINE.length;
        while (at < entry.length) {
            int end = at;
            while (end < entry.length && entry[end] != '\n') {
                end++;
            }
            if (end == entry.length) {
                throw new IllegalArgumentException("journal entry ends inside a line");
            }
            out.add(parseLine(entry, at, end, campaignId, bounds));
            at = end + 1;
        }
    }

    /** As {@link #read(byte[], String, List)}, into a new list. */
    static List<Claim> read(byte[] entry, String campaignId) {
        List<Claim> claims = new ArrayList<>();
        read(entry, campaignId, claims);
        return claims;
    }

    /** {@code bounds[i]} is where field i starts; field i ends one before {@code bounds[i + 1]}. */
    private static Claim parseLine(byte[] entry, int from, int to, String campaignId, int[] bounds) {
        int count = 0;
        bounds[0] = from;
        for (int i = from; i < to; i++) {
            if (entry[i] == '\t') {
                if (++count == FIELDS) {
                    throw bad("too many fields in journal line", entry, from, to, null);
                }
                bounds[count] = i + 1;
            }
        }
        bounds[++count] = to + 1;
        if (count < FIELDS - 1) {
            throw bad("too few fields in journal line", entry, from, to, null);
        }
        try {
            return new Claim(text(entry, bounds[0], bounds[1] - 1), text(entry, bounds[1], bounds[2] - 1), campaignId,
                    text(entry, bounds[2], bounds[3] - 1), status(entry, bounds[3], bounds[4] - 1),
                    number(entry, bounds[4], bounds[5] - 1), number(entry, bounds[5], bounds[6] - 1),
                    number(entry, bounds[6], bounds[7] - 1), number(entry, bounds[7], bounds[8] - 1),
                    number(entry, bounds[8], bounds[9] - 1), Math.toIntExact(number(entry, bounds[9], bounds[10] - 1)),
                    count == FIELDS ? text(entry, bounds[10], bounds[11] - 1) : null);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw bad("bad value in journal line", entry, from, to, e);
        }
    }

    private static String text(byte[] entry, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = entry[i];
            if (b < 0 || b == '\\') {
                return decoded(entry, from, to);
            }
        }
        return new String(entry, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static String decoded(byte[] entry, int from, int to) {
        byte[] out = new byte[to - from];
        int length = 0;
        for (int i = from; i < to; i++) {
            byte b = entry[i];
            if (b != '\\') {
                out[length++] = b;
                continue;
            }
            if (++i == to) {
                throw new IllegalArgumentException("dangling escape in journal line");
            }
            out[length++] = switch (entry[i]) {
                case '\\' -> (byte) '\\';
                case 't' -> (byte) '\t';
                case 'n' -> (byte) '\n';
                case 'r' -> (byte) '\r';
                default -> throw new IllegalArgumentException("unknown escape \\" + (char) entry[i] + " in journal line");
            };
        }
        return new String(out, 0, length, StandardCharsets.UTF_8);
    }

    private static ClaimStatus status(byte[] entry, int from, int to) {
        for (int s = 0; s < STATUS_NAMES.length; s++) {
            byte[] name = STATUS_NAMES[s];
            if (Arrays.equals(entry, from, to, name, 0, name.length)) {
                return STATUSES[s];
            }
        }
        throw new IllegalArgumentException("unknown status " + new String(entry, from, to - from, StandardCharsets.UTF_8));
    }

    private static long number(byte[] entry, int from, int to) {
        boolean negative = from < to && entry[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            throw new IllegalArgumentException("empty number");
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = entry[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("not a number");
            }
            // Accumulated as a negative number so that Long.MIN_VALUE fits.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw new IllegalArgumentException("number out of range");
            }
            value = value * 10 - digit;
        }
        if (!negative && value == Long.MIN_VALUE) {
            throw new IllegalArgumentException("number out of range");
        }
        return negative ? value : -value;
    }

    private static IllegalArgumentException bad(String what, byte[] entry, int from, int to, Exception cause) {
        return new IllegalArgumentException(what + ": " + new String(entry, from, to - from, StandardCharsets.UTF_8), cause);
    }
}
