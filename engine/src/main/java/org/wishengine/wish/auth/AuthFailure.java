package org.wishengine.wish.auth;

/**
 * Why a presented credential was refused. Every value maps to HTTP 401; the distinction exists for
 * metrics and debugging, so callers should not echo it to clients in more detail than they need.
 */
public enum AuthFailure {
    /** No {@code Authorization} header at all, or a blank one. */
    MISSING,
    /**
     * Anything structurally wrong: not {@code Bearer}, not three base64url segments, padding or
     * non-alphabet characters, header/payload not a JSON object, bad {@code typ}, or a missing or
     * invalid {@code sub}/{@code exp}/{@code nbf}/{@code role}, or an organiser token without a
     * valid {@code org}, {@code jti} or {@code exp}.
     */
    MALFORMED,
    /** The HS256 signature does not match the configured secret. */
    BAD_SIGNATURE,
    /** The header names an algorithm other than exactly {@code HS256} (including {@code none}). */
    UNSUPPORTED_ALGORITHM,
    /** {@code exp} is in the past by more than the configured leeway. */
    EXPIRED,
    /** {@code nbf} is in the future by more than the configured leeway. */
    NOT_YET_VALID,
    /** The token is longer than the configured maximum; it was not decoded at all. */
    TOO_LARGE,
    /**
     * A valid organiser token whose {@code jti} is on the revocation list. {@link TokenVerifier}
     * never reports it (it knows no list); {@link Revocations} users do.
     */
    REVOKED
}
