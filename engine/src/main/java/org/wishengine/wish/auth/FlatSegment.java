package org.wishengine.wish.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Reads a token segment that is a flat JSON object of plain strings and integers, as every token
 * this engine mints is, without building a Jackson parser: its parser, contexts and symbol table
 * were ~500 bytes of what each claim allocated.
 *
 * <p>It reads only a strict subset of JSON that no two readers could read differently: names and
 * string values of printable ASCII without escapes, integers of at most 18 digits (no fraction, no
 * exponent, no leading zero), JSON whitespace. On anything else (an escape, a byte outside
 * printable ASCII, a float, a nested value, {@code true}/{@code false}/{@code null}, a syntax
 * error) it gives up without a verdict, and {@link SegmentReader} reads the segment again with
 * Jackson from the start; so what is accepted, refused and reported stays what Jackson decides.
 * A member is handed over only once what follows its value is seen to be a comma or the end of
 * the object, which is also all Jackson would have read by then.
 *
 * <p>Mutable and reused, like the readers that own it: one per thread.
 */
final class FlatSegment implements SegmentValue {

    /** Names tokens carry, handed over without making a string for them; any other name is made. */
    private static final String[] NAMES = {"sub", "iat", "exp", "nbf", "role", "org", "jti", "alg", "typ", "crit",
        "iss", "aud", "kid"};
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Longest integer read here: 18 digits always fit in a long. */
    private static final int MAX_DIGITS = 18;

    private char[] text = new char[64];
    private int textLength;
    private JsonToken token;
    private long number;
    private AuthFailure verdict;

    /**
     * Reads {@code json[0, len)} into {@code into} if it is such an object.
     *
     * @return false when it is not: nothing was decided, though members before the point where it
     *     gave up may have been handed over (the caller resets {@code into} and reads it again)
     */
    boolean read(byte[] json, int len, SegmentReader into) throws IOException {
        int i = skipSpace(json, 0, len);
        if (i == len || json[i] != '{') {
            return false;
        }
        i = skipSpace(json, i + 1, len);
        if (i < len && json[i] == '}') {
            return end(json, i + 1, len, into);
        }
        while (true) {
            if (i == len || json[i] != '"') {
                return false;
            }
            int nameStart = i + 1;
            int nameEnd = plainString(json, nameStart, len);
            if (nameEnd < 0) {
                return false;
            }
            i = skipSpace(json, nameEnd + 1, len);
            if (i == len || json[i] != ':') {
                return false;
            }
            i = skipSpace(json, i + 1, len);
            if (i == len) {
                return false;
            }
            int after;
            if (json[i] == '"') {
                int valueEnd = plainString(json, i + 1, len);
                if (valueEnd < 0) {
                    return false;
                }
                token = JsonToken.VALUE_STRING;
                keepText(json, i + 1, valueEnd);
                after = valueEnd + 1;
            } else {
                after = integer(json, i, len);
                if (after < 0) {
                    return false;
                }
                token = JsonToken.VALUE_NUMBER_INT;
                keepText(json, i, after);
            }
            i = skipSpace(json, after, len);
            if (i == len || (json[i] != ',' && json[i] != '}')) {
                return false;
            }
            AuthFailure failure = into.member(name(json, nameStart, nameEnd), token, this);
            if (failure != null) {
                verdict = failure;
                return true;
            }
            if (json[i] == '}') {
                return end(json, i + 1, len, into);
            }
            i = skipSpace(json, i + 1, len);
        }
    }

    /** The verdict of the last {@link #read} that returned true: null if the segment is acceptable. */
    AuthFailure verdict() {
        return verdict;
    }

    /** The object closed at {@code i - 1}: only whitespace may follow it. */
    private boolean end(byte[] json, int i, int len, SegmentReader into) {
        if (skipSpace(json, i, len) != len) {
            return false;
        }
        verdict = into.finish();
        return true;
    }

    private static int skipSpace(byte[] json, int i, int len) {
        while (i < len && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The index of the quote closing a string of printable ASCII without escapes from {@code i}, or -1. */
    private static int plainString(byte[] json, int i, int len) {
        for (; i < len; i++) {
            byte b = json[i];
            if (b == '"') {
                return i;
            }
            if (b < 0x20 || b > 0x7e || b == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /** Reads an integer of at most {@value #MAX_DIGITS} digits from {@code i}; returns the index after it, or -1. */
    private int integer(byte[] json, int i, int len) {
        boolean negative = json[i] == '-';
        int start = negative ? i + 1 : i;
        int end = start;
        long value = 0;
        while (end < len && json[end] >= '0' && json[end] <= '9') {
            value = value * 10 + (json[end] - '0');
            end++;
        }
        int digits = end - start;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && json[start] == '0')) {
            return -1;
        }
        number = negative ? -value : value;
        return end;
    }

    private void keepText(byte[] json, int from, int to) {
        int n = to - from;
        if (n > text.length) {
            text = new char[Math.max(n, text.length * 2)];
        }
        for (int k = 0; k < n; k++) {
            text[k] = (char) json[from + k];
        }
        textLength = n;
    }

    private static String name(byte[] json, int from, int to) {
        int n = to - from;
        for (int k = 0; k < NAMES.length; k++) {
            byte[] known = NAME_BYTES[k];
            if (known.length == n && java.util.Arrays.equals(json, from, to, known, 0, n)) {
                return NAMES[k];
            }
        }
        return new String(json, from, n, StandardCharsets.US_ASCII);
    }

    @Override
    public String getText() {
        return new String(text, 0, textLength);
    }

    @Override
    public char[] getTextCharacters() {
        return text;
    }

    @Override
    public int getTextOffset() {
        return 0;
    }

    @Override
    public int getTextLength() {
        return textLength;
    }

    @Override
    public JsonParser.NumberType getNumberType() throws IOException {
        requireNumber();
        return number == (int) number ? JsonParser.NumberType.INT : JsonParser.NumberType.LONG;
    }

    @Override
    public long getLongValue() throws IOException {
        requireNumber();
        return number;
    }

    @Override
    public BigInteger getBigIntegerValue() throws IOException {
        requireNumber();
        return BigInteger.valueOf(number);
    }

    @Override
    public double getDoubleValue() throws IOException {
        requireNumber();
        return number;
    }

    /** As Jackson's parser, which refuses a number's value of a string. */
    private void requireNumber() throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("the current value is not a number");
        }
    }
}
