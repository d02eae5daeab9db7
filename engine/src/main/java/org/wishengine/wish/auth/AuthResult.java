package org.wishengine.wish.auth;

import java.util.Objects;

/**
 * Outcome of verifying a credential: either a verified token or an {@link AuthFailure}, never
 * both. A verified token is a user ({@link Role#USER}, with a user id) or an organiser
 * ({@link Role#ORGANISER}, with its org and token id). Instances are immutable; rejections are
 * shared singletons so refusing a flood of bad tokens allocates nothing, and a user result is
 * one object holding the user id, as before organisers existed.
 */
public final class AuthResult {

    private static final AuthResult[] REJECTIONS;

    static {
        AuthFailure[] reasons = AuthFailure.values();
        REJECTIONS = new AuthResult[reasons.length];
        for (AuthFailure reason : reasons) {
            REJECTIONS[reason.ordinal()] = new AuthResult(null, null, null, null, reason);
        }
    }

    private final Role role;
    /** The user id (users only): kept apart from {@link #org} so neither can be read as the other. */
    private final String userId;
    private final String org;
    private final String jti;
    private final AuthFailure failure;

    private AuthResult(Role role, String userId, String org, String jti, AuthFailure failure) {
        this.role = role;
        this.userId = userId;
        this.org = org;
        this.jti = jti;
        this.failure = failure;
    }

    /**
     * A successful user result for {@code userId}.
     *
     * @throws IllegalArgumentException if {@code userId} is not a valid subject (1..64 chars of
     *     {@code [A-Za-z0-9_.@-]})
     */
    public static AuthResult verified(String userId) {
        if (!Hs256.isValidSubject(userId)) {
            throw new IllegalArgumentException("invalid user id");
        }
        return new AuthResult(Role.USER, userId, null, null, null);
    }

    /**
     * A successful organiser result scoped to {@code org}, identified by {@code jti} for revocation.
     *
     * @throws IllegalArgumentException if {@code org} or {@code jti} is not an id (1..64 chars of
     *     {@code [A-Za-z0-9_-]})
     */
    public static AuthResult organiser(String org, String jti) {
        if (!Hs256.isValidId(org) || !Hs256.isValidId(jti)) {
            throw new IllegalArgumentException("invalid org or jti");
        }
        return new AuthResult(Role.ORGANISER, null, org, jti, null);
    }

    /** The (shared) rejected result for {@code reason}. */
    public static AuthResult rejected(AuthFailure reason) {
        return REJECTIONS[Objects.requireNonNull(reason, "reason").ordinal()];
    }

    /** {@code true} iff the credential was accepted; then {@link #role()} is non-null. */
    public boolean isValid() {
        return failure == null;
    }

    /** What the accepted token may act as, or {@code null} if it was rejected. */
    public Role role() {
        return role;
    }

    /** {@code true} iff the credential was accepted as a user token. */
    public boolean isUser() {
        return role == Role.USER;
    }

    /** {@code true} iff the credential was accepted as an organiser token. */
    public boolean isOrganiser() {
        return role == Role.ORGANISER;
    }

    /**
     * The verified user id ({@code sub}): 1..64 chars of {@code [A-Za-z0-9_.@-]}.
     *
     * @throws IllegalStateException if the credential was rejected or is an organiser token, so a
     *     forgotten {@link #isValid()} or {@link #isUser()} check fails loudly instead of letting an
     *     organiser act as a user
     */
    public String userId() {
        if (failure != null) {
            throw new IllegalStateException("credential rejected: " + failure);
        }
        if (role != Role.USER) {
            throw new IllegalStateException("not a user token");
        }
        return userId;
    }

    /** The org an organiser token is scoped to; {@code null} for a user or a rejection. */
    public String org() {
        return org;
    }

    /** The token id of an organiser token (what a revocation names); {@code null} otherwise. */
    public String jti() {
        return jti;
    }

    /** The reason for rejection, or {@code null} if the credential was accepted. */
    public AuthFailure failure() {
        return failure;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResult other
                && failure == other.failure
                && role == other.role
                && Objects.equals(userId, other.userId)
                && Objects.equals(org, other.org)
                && Objects.equals(jti, other.jti);
    }

    @Override
    public int hashCode() {
        return failure != null ? failure.hashCode() : Objects.hash(role, userId, org, jti);
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "AuthResult[rejected=" + failure + "]";
        }
        return role == Role.USER ? "AuthResult[userId=" + userId + "]"
                : "AuthResult[organiser org=" + org + ", jti=" + jti + "]";
    }
}
