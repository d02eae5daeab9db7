package org.wishengine.wish.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies HS256 JSON Web Tokens presented as {@code Authorization: Bearer <jwt>}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Only {@code alg} exactly {@code "HS256"} is accepted ({@code none}, {@code HS512},
 *       {@code RS256}, wrong case... are {@link AuthFailure#UNSUPPORTED_ALGORITHM}); {@code typ},
 *       if present, must be {@code JWT} (case-insensitive, it is a media type); a {@code crit}
 *       header is refused since no extensions are understood.
 *   <li>Tokens longer than the configured maximum are refused as {@link AuthFailure#TOO_LARGE}
 *       before any decoding.
 *   <li>Segments must be unpadded, canonical base64url; the header and payload must each be a
 *       single JSON object; security-relevant members must not be duplicated.
 *   <li>The signature is compared in constant time ({@link MessageDigest#isEqual}) before
 *       anything in the payload is looked at.
 *   <li>{@code sub} must be a string of 1..64 chars of {@code [A-Za-z0-9_.@-]}; {@code exp} and
 *       {@code nbf}, when present, must be JSON numbers of seconds since the epoch and are
 *       enforced with the configured leeway against the injected {@link Clock}.
 *   <li>{@code role}, when present, must be exactly {@code "user"} or {@code "organiser"}. Without
 *       it (or with {@code "user"}) the token is a user token ({@link Role#USER}). An organiser
 *       token ({@link Role#ORGANISER}) must also carry {@code org} (an id, equal to {@code sub}),
 *       {@code jti} (an id, what a revocation names) and {@code exp}; it never yields a user id.
 *       Revocation itself is checked by the caller against {@link Revocations}.
 * </ul>
 *
 * <p>Thread-safe and intended for Netty event loops: each thread reuses its own {@link Mac} and
 * scratch buffers, and rejections are reported as values rather than exceptions.
 */
public final class TokenVerifier {

    /** Clock skew tolerated on {@code exp} and {@code nbf} unless configured otherwise. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

    /** Longest token (the part after {@code Bearer }) accepted unless configured otherwise. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 4096;

    /** Upper bound on the configurable maximum, because each thread keeps buffers of that size. */
    static final int MAX_TOKEN_LENGTH_LIMIT = 1 << 20;

    private final Clock clock;
    private final long leewayMillis;
    private final int maxTokenLength;
    private final ThreadLocal<Scratch> scratch;

    /** Verifier using the system UTC clock, {@link #DEFAULT_LEEWAY} and {@link #DEFAULT_MAX_TOKEN_LENGTH}. */
    public TokenVerifier(String secret) {
        this(secret, Clock.systemUTC());
    }

    /** Verifier using {@code clock}, {@link #DEFAULT_LEEWAY} and {@link #DEFAULT_MAX_TOKEN_LENGTH}. */
    public TokenVerifier(String secret, Clock clock) {
        this(secret, clock, DEFAULT_LEEWAY, DEFAULT_MAX_TOKEN_LENGTH);
    }

    /**
     * @param secret HMAC key as a string (its UTF-8 bytes are the key); must not be empty
     * @param clock source of "now" for {@code exp}/{@code nbf}
     * @param leeway non-negative clock skew tolerance
     * @param maxTokenLength longest accepted token in chars, 1..1048576
     */
    public TokenVerifier(String secret, Clock clock, Duration leeway, int maxTokenLength) {
        SecretKeySpec key = Hs256.key(secret);
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(leeway, "leeway");
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("leeway must not be negative");
        }
        if (maxTokenLength < 1 || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
            throw new IllegalArgumentException("maxTokenLength must be in 1.." + MAX_TOKEN_LENGTH_LIMIT);
        }
        this.leewayMillis = leeway.toMillis();
        this.maxTokenLength = maxTokenLength;
        // Fail fast on a broken JCE here rather than on the first request.
        Hs256.newMac(key);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(key, maxTokenLength));
    }

    /**
     * Verifies a raw {@code Authorization} header value.
     *
     * @param authorizationHeader the header value, or {@code null} if absent
     * @return never {@code null}; {@link AuthFailure#MISSING} for null/blank,
     *     {@link AuthFailure#MALFORMED} for a scheme other than {@code Bearer} or no token
     */
    public AuthResult verifyHeader(String authorizationHeader) {
        if (authorizationHeader == null) {
            return AuthResult.rejected(AuthFailure.MISSING);
        }
        int end = Hs256.trimmedEnd(authorizationHeader);
        int start = Hs256.skipSpaces(authorizationHeader, 0, end);
        if (start == end) {
            return AuthResult.rejected(AuthFailure.MISSING);
        }
        int tokenStart = Hs256.bearerTokenStart(authorizationHeader, start, end);
        if (tokenStart < 0) {
            return AuthResult.rejected(AuthFailure.MALFORMED);
        }
        return verify(authorizationHeader, tokenStart, end);
    }

    /**
     * Verifies a bare compact JWT (no {@code Bearer} prefix, no surrounding whitespace).
     *
     * @param jwt the token, or {@code null}
     * @return never {@code null}
     */
    public AuthResult verifyToken(String jwt) {
        if (jwt == null) {
            return AuthResult.rejected(AuthFailure.MISSING);
        }
        return verify(jwt, 0, jwt.length());
    }

    private AuthResult verify(String s, int start, int end) {
        int len = end - start;
        if (len > maxTokenLength) {
            return AuthResult.rejected(AuthFailure.TOO_LARGE);
        }
        Scratch st = scratch.get();
        byte[] ascii = st.ascii;

        // One pass: validate the alphabet, locate the dots and copy to bytes for the MAC. Checking
        // the alphabet here also guarantees the narrowing (byte) cast below is lossless, so two
        // different strings can never share a MAC input.
        int dot1 = -1;
        int dot2 = -1;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(start + i);
            if (c == '.') {
                if (dot1 < 0) {
                    dot1 = i;
                } else if (dot2 < 0) {
                    dot2 = i;
                } else {
                    return AuthResult.rejected(AuthFailure.MALFORMED);
                }
            } else if (!Hs256.isBase64UrlChar(c)) {
                return AuthResult.rejected(AuthFailure.MALFORMED);
            }
            ascii[i] = (byte) c;
        }
        if (dot2 < 0) {
            return AuthResult.rejected(AuthFailure.MALFORMED);
        }

        // The header must be read before the signature is checked, since it says how to check it;
        // our own minter always emits the same header, so skip parsing it in that common case.
        if (!(dot1 == Hs256.CANONICAL_HEADER_B64.length()
                && s.startsWith(Hs256.CANONICAL_HEADER_B64, start))) {
            int n = Hs256.decode(ascii, 0, dot1, st.decoded);
            if (n < 0) {
                return AuthResult.rejected(AuthFailure.MALFORMED);
            }
            AuthFailure headerFailure = st.header.read(st.decoded, n);
            if (headerFailure != null) {
                return AuthResult.rejected(headerFailure);
            }
        }

        int sigLen = len - dot2 - 1;
        if (sigLen != Hs256.SIGNATURE_CHARS) {
            // Length of the presented signature is public; nothing secret leaks by exiting here.
            return AuthResult.rejected(AuthFailure.BAD_SIGNATURE);
        }
        if (Hs256.decode(ascii, dot2 + 1, sigLen, st.presentedSig) != Hs256.SIGNATURE_BYTES) {
            return AuthResult.rejected(AuthFailure.MALFORMED);
        }
        Mac mac = st.mac;
        mac.update(ascii, 0, dot2);
        try {
            mac.doFinal(st.expectedSig, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // buffer is sized for HmacSHA256; unreachable
        }
        if (!MessageDigest.isEqual(st.expectedSig, st.presentedSig)) {
            return AuthResult.rejected(AuthFailure.BAD_SIGNATURE);
        }

        // Only now is the payload trusted enough to parse.
        int n = Hs256.decode(ascii, dot1 + 1, dot2 - dot1 - 1, st.decoded);
        if (n < 0) {
            return AuthResult.rejected(AuthFailure.MALFORMED);
        }
        Claims claims = st.claims;
        AuthFailure payloadFailure = claims.read(st.decoded, n);
        String sub = claims.subject;
        String org = claims.org;
        String jti = claims.jti;
        boolean organiser = claims.role == Role.ORGANISER;
        claims.clear(); // don't pin the last user id to the thread
        if (payloadFailure != null) {
            return AuthResult.rejected(payloadFailure);
        }

        long now = clock.millis();
        if (claims.hasExp && now >= saturatedAdd(claims.expMillis, leewayMillis)) {
            return AuthResult.rejected(AuthFailure.EXPIRED);
        }
        if (claims.hasNbf && now < saturatedAdd(claims.nbfMillis, -leewayMillis)) {
            return AuthResult.rejected(AuthFailure.NOT_YET_VALID);
        }
        return organiser ? AuthResult.organiser(org, jti) : AuthResult.verified(sub);
    }

    /**
     * "Not a number" marker. No parsed date can produce it: integer dates become multiples of 1000
     * and doubles this close to -2^63 are 1024 apart, so they saturate to Long.MIN_VALUE instead.
     */
    private static final long INVALID = Long.MIN_VALUE + 1;

    /**
     * JWT NumericDate (seconds, possibly fractional) to epoch millis, saturating instead of
     * overflowing so absurd values compare as "far past"/"far future" rather than wrapping.
     */
    private static long numericDateMillis(SegmentValue p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return p.getBigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            }
            long seconds = p.getLongValue();
            if (seconds > Long.MAX_VALUE / 1000) {
                return Long.MAX_VALUE;
            }
            if (seconds < Long.MIN_VALUE / 1000) {
                return Long.MIN_VALUE;
            }
            return seconds * 1000;
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double seconds = p.getDoubleValue();
            // The (long) cast saturates for out-of-range doubles; floor keeps sub-ms precision
            // from making a token valid a fraction of a millisecond longer than written.
            return (long) Math.floor(seconds * 1000.0);
        }
        return INVALID;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** Per-thread mutable state, so the hot path allocates little beyond the result and its user id. */
    private static final class Scratch {
        final Mac mac;
        final byte[] ascii;
        final byte[] decoded;
        final byte[] presentedSig = new byte[Hs256.SIGNATURE_BYTES];
        final byte[] expectedSig = new byte[Hs256.SIGNATURE_BYTES];
        final Header header = new Header();
        final Claims claims = new Claims();

        Scratch(SecretKeySpec key, int maxTokenLength) {
            this.mac = Hs256.newMac(key);
            this.ascii = new byte[maxTokenLength];
            this.decoded = new byte[maxTokenLength / 4 * 3 + 3];
        }
    }

    /** What the header says about how to check the signature. */
    private static final class Header extends SegmentReader {
        private String alg;
        private String typ;
        private boolean sawCrit;

        @Override
        void reset() {
            alg = null;
            typ = null;
            sawCrit = false;
        }

        @Override
        AuthFailure member(String name, JsonToken value, SegmentValue p) throws IOException {
            switch (name) {
                case "alg":
                    return (alg = firstString(alg, value, p)) == null ? AuthFailure.MALFORMED : null;
                case "typ":
                    return (typ = firstString(typ, value, p)) == null ? AuthFailure.MALFORMED : null;
                case "crit":
                    sawCrit = true;
                    return null;
                default:
                    return null;
            }
        }

        // Decided after reading the whole object so the outcome does not depend on member order:
        // an unsupported alg wins over other header defects.
        @Override
        AuthFailure finish() {
            if (alg == null) {
                return AuthFailure.MALFORMED;
            }
            if (!"HS256".equals(alg)) {
                return AuthFailure.UNSUPPORTED_ALGORITHM;
            }
            boolean typOk = typ == null || "JWT".equalsIgnoreCase(typ);
            return typOk && !sawCrit ? null : AuthFailure.MALFORMED;
        }
    }

    /**
     * The payload claims the engine acts on. A payload without {@code sub} is malformed; so is a
     * {@code role} other than {@code "user"} or {@code "organiser"}, and an organiser token without
     * a valid {@code org} equal to its {@code sub}, a valid {@code jti} and an {@code exp}. For a
     * user token {@code org} and {@code jti} are ignored whatever they hold, as before roles existed.
     */
    private static final class Claims extends SegmentReader {
        /** Whether an optional id claim was absent, held a valid id, or was unusable. */
        private static final int ABSENT = 0;
        private static final int VALID = 1;
        private static final int INVALID_ID = 2;

        private static final char[] USER = "user".toCharArray();
        private static final char[] ORGANISER = "organiser".toCharArray();

        String subject;
        boolean hasExp;
        long expMillis;
        boolean hasNbf;
        long nbfMillis;
        /** Null when there was no {@code role} claim, which means a user token. */
        Role role;
        String org;
        int orgState;
        String jti;
        int jtiState;

        @Override
        void reset() {
            subject = null;
            hasExp = false;
            hasNbf = false;
            role = null;
            org = null;
            orgState = ABSENT;
            jti = null;
            jtiState = ABSENT;
        }

        /** Forgets the strings of the last token so a thread does not pin them. */
        void clear() {
            subject = null;
            org = null;
            jti = null;
        }

        @Override
        AuthFailure member(String name, JsonToken value, SegmentValue p) throws IOException {
            switch (name) {
                case "sub":
                    if (subject != null || value != JsonToken.VALUE_STRING) {
                        return AuthFailure.MALFORMED;
                    }
                    // Validate in the reader's buffer so an oversized or hostile sub is refused
                    // without materialising a String for it.
                    char[] buf = p.getTextCharacters();
                    int off = p.getTextOffset();
                    int n = p.getTextLength();
                    if (!Hs256.isValidSubject(buf, off, n)) {
                        return AuthFailure.MALFORMED;
                    }
                    subject = new String(buf, off, n);
                    break;
                case "exp":
                    if (hasExp || (expMillis = numericDateMillis(p, value)) == INVALID) {
                        return AuthFailure.MALFORMED;
                    }
                    hasExp = true;
                    break;
                case "nbf":
                    if (hasNbf || (nbfMillis = numericDateMillis(p, value)) == INVALID) {
                        return AuthFailure.MALFORMED;
                    }
                    hasNbf = true;
                    break;
                case "role":
                    // Compared in the reader's buffer: a user token's "role":"user" costs nothing.
                    if (role != null || value != JsonToken.VALUE_STRING) {
                        return AuthFailure.MALFORMED;
                    }
                    if (textIs(p, USER)) {
                        role = Role.USER;
                    } else if (textIs(p, ORGANISER)) {
                        role = Role.ORGANISER;
                    } else {
                        return AuthFailure.MALFORMED; // an unknown role must not fall back to "user"
                    }
                    break;
                case "org":
                    orgState = orgState == ABSENT ? idState(p, value) : INVALID_ID;
                    org = orgState == VALID ? p.getText() : null;
                    break;
                case "jti":
                    jtiState = jtiState == ABSENT ? idState(p, value) : INVALID_ID;
                    jti = jtiState == VALID ? p.getText() : null;
                    break;
            }
            return null;
        }

        private static int idState(SegmentValue p, JsonToken value) throws IOException {
            return value == JsonToken.VALUE_STRING
                    && Hs256.isValidId(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()) ? VALID : INVALID_ID;
        }

        private static boolean textIs(SegmentValue p, char[] expected) throws IOException {
            int n = p.getTextLength();
            if (n != expected.length) {
                return false;
            }
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            for (int i = 0; i < n; i++) {
                if (buf[off + i] != expected[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        AuthFailure finish() {
            if (subject == null) {
                return AuthFailure.MALFORMED;
            }
            if (role == Role.ORGANISER) {
                // An organiser token must name its scope, be revocable (jti) and end (exp); its sub
                // is its org so that nothing reading sub alone can take it for someone else.
                boolean complete = orgState == VALID && jtiState == VALID && hasExp && subject.equals(org);
                return complete ? null : AuthFailure.MALFORMED;
            }
            return null;
        }
    }
}
