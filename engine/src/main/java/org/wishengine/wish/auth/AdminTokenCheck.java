package org.wishengine.wish.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Checks a presented admin bearer token against the configured one in constant time.
 *
 * <p>Comparison uses {@link MessageDigest#isEqual} on UTF-8 bytes with the presented token as the
 * first argument: the JDK implementation then runs in time proportional to the presented length
 * only and folds a length mismatch into the result instead of returning early, so neither the
 * content nor the length of the configured token is revealed through timing. Immutable and
 * thread-safe; {@link #toString()} never reveals the token.
 */
public final class AdminTokenCheck {

    private final byte[] expected;

    /** @param adminToken the configured token; must not be empty */
    public AdminTokenCheck(String adminToken) {
        Objects.requireNonNull(adminToken, "adminToken");
        if (adminToken.isEmpty()) {
            throw new IllegalArgumentException("admin token must not be empty");
        }
        this.expected = adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code true} iff {@code presentedToken} equals the configured token; {@code null} is false. */
    public boolean matches(String presentedToken) {
        if (presentedToken == null) {
            return false; // absence is not a secret, so returning early leaks nothing
        }
        return MessageDigest.isEqual(presentedToken.getBytes(StandardCharsets.UTF_8), expected);
    }

    /**
     * {@code true} iff the raw {@code Authorization} value is {@code Bearer <configured token>}
     * (scheme case-insensitive, surrounding whitespace ignored); {@code null} is false.
     */
    public boolean matchesHeader(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        int end = Hs256.trimmedEnd(authorizationHeader);
        int start = Hs256.skipSpaces(authorizationHeader, 0, end);
        int tokenStart = Hs256.bearerTokenStart(authorizationHeader, start, end);
        return tokenStart >= 0 && matches(authorizationHeader.substring(tokenStart, end));
    }

    @Override
    public String toString() {
        return "AdminTokenCheck[token=<redacted>]";
    }
}
