package org.wishengine.wish.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Pieces of HS256 JWT handling shared by the verifier and the minter. Not public API. */
final class Hs256 {

    static final String MAC_ALGORITHM = "HmacSHA256";
    static final int SIGNATURE_BYTES = 32;
    /** Unpadded base64url length of a 32-byte signature. */
    static final int SIGNATURE_CHARS = 43;
    static final int MAX_SUBJECT_LENGTH = 64;

    /** base64url of {@code {"alg":"HS256","typ":"JWT"}}, exactly what {@link TokenMinter} emits. */
    static final String CANONICAL_HEADER_B64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

    /** Base64url alphabet value per byte, -1 for anything else (including '=' padding). */
    private static final byte[] B64URL = new byte[256];

    private static final boolean[] SUBJECT_CHARS = new boolean[128];

    /**
     * The id alphabet of {@code core.CampaignRules.ID}, which org ids use too; token ids ({@code jti})
     * are held to it as well, so both can go into Redis keys and JSON without escaping.
     */
    private static final boolean[] ID_CHARS = new boolean[128];

    static {
        Arrays.fill(B64URL, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            B64URL[alphabet.charAt(i)] = (byte) i;
        }
        for (char c = 'A'; c <= 'Z'; c++) SUBJECT_CHARS[c] = true;
        for (char c = 'a'; c <= 'z'; c++) SUBJECT_CHARS[c] = true;
        for (char c = '0'; c <= '9'; c++) SUBJECT_CHARS[c] = true;
        for (char c : "_.@-".toCharArray()) SUBJECT_CHARS[c] = true;
        System.arraycopy(SUBJECT_CHARS, 0, ID_CHARS, 0, ID_CHARS.length);
        ID_CHARS['.'] = false;
        ID_CHARS['@'] = false;
    }

    private Hs256() {}

    /**
     * Builds the HMAC key, refusing an empty secret: an empty key would make every token forgeable
     * by anyone who guesses the configuration mistake.
     */
    static SecretKeySpec key(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), MAC_ALGORITHM);
    }

    static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is mandatory in every JDK, so this is a broken runtime, not bad input.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static boolean isBase64UrlChar(char c) {
        return c < 128 && B64URL[c] >= 0;
    }

    static boolean isValidSubject(CharSequence s) {
        return matches(s, SUBJECT_CHARS);
    }

    static boolean isValidSubject(char[] buf, int off, int len) {
        return matches(buf, off, len, SUBJECT_CHARS);
    }

    /** An org id or token id: 1..64 chars of {@code [A-Za-z0-9_-]}. */
    static boolean isValidId(CharSequence s) {
        return matches(s, ID_CHARS);
    }

    static boolean isValidId(char[] buf, int off, int len) {
        return matches(buf, off, len, ID_CHARS);
    }

    private static boolean matches(CharSequence s, boolean[] alphabet) {
        if (s == null) {
            return false;
        }
        int len = s.length();
        if (len == 0 || len > MAX_SUBJECT_LENGTH) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !alphabet[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(char[] buf, int off, int len, boolean[] alphabet) {
        if (len == 0 || len > MAX_SUBJECT_LENGTH) {
            return false;
        }
        for (int i = off, end = off + len; i < end; i++) {
            char c = buf[i];
            if (c >= 128 || !alphabet[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Strict unpadded base64url decode of {@code src[off, off+len)} into {@code dst}.
     *
     * <p>Returns the decoded length, or -1 instead of throwing, because malformed tokens are
     * attacker-supplied and must stay cheap to refuse. Non-zero leftover bits in the final
     * character are rejected so each byte string has exactly one accepted encoding; otherwise a
     * valid token could be re-spelled and slip past replay or cache keys built on the raw text.
     */
    static int decode(byte[] src, int off, int len, byte[] dst) {
        int rem = len & 3;
        if (rem == 1) {
            return -1;
        }
        int d = 0;
        int i = off;
        int fullEnd = off + len - rem;
        while (i < fullEnd) {
            int a = B64URL[src[i] & 0xff];
            int b = B64URL[src[i + 1] & 0xff];
            int c = B64URL[src[i + 2] & 0xff];
            int e = B64URL[src[i + 3] & 0xff];
            if ((a | b | c | e) < 0) {
                return -1;
            }
            int bits = a << 18 | b << 12 | c << 6 | e;
            dst[d++] = (byte) (bits >> 16);
            dst[d++] = (byte) (bits >> 8);
            dst[d++] = (byte) bits;
            i += 4;
        }
        if (rem == 2) {
            int a = B64URL[src[i] & 0xff];
            int b = B64URL[src[i + 1] & 0xff];
            if ((a | b) < 0 || (b & 0x0f) != 0) {
                return -1;
            }
            dst[d++] = (byte) (a << 2 | b >> 4);
        } else if (rem == 3) {
            int a = B64URL[src[i] & 0xff];
            int b = B64URL[src[i + 1] & 0xff];
            int c = B64URL[src[i + 2] & 0xff];
            if ((a | b | c) < 0 || (c & 0x03) != 0) {
                return -1;
            }
            int bits = a << 12 | b << 6 | c;
            dst[d++] = (byte) (bits >> 10);
            dst[d++] = (byte) (bits >> 2);
        }
        return d;
    }

    /** Index just past the last non-whitespace char of {@code s}. */
    static int trimmedEnd(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    static int skipSpaces(String s, int from, int end) {
        while (from < end && isSpace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /**
     * Start of the credentials in an {@code Authorization} value whose non-blank content is
     * {@code [start, end)}, or -1 if the scheme is not (case-insensitively) {@code Bearer}
     * followed by whitespace and something else.
     */
    static int bearerTokenStart(String header, int start, int end) {
        int schemeEnd = start + 6;
        if (schemeEnd >= end
                || !header.regionMatches(true, start, "Bearer", 0, 6)
                || !isSpace(header.charAt(schemeEnd))) {
            return -1;
        }
        return skipSpaces(header, schemeEnd, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
