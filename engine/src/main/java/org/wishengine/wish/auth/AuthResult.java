package org.wishengine.wish.auth;

import java.util.Objects;

/**
 * Outcome of verifying a credential: either a verified user id or an {@link AuthFailure}, never
 * both. Instances are immutable; rejections are shared singletons so refusing a flood of bad
 * tokens allocates nothing.
 */
public final class AuthResult {

    private static final AuthResult[] REJECTIONS;

    static {
        AuthFailure[] reasons = AuthFailure.values();
        REJECTIONS = new AuthResult[reasons.length];
        for (AuthFailure reason : reasons) {
            REJECTIONS[reason.ordinal()] = new AuthResult(null, reason);
        }
    }

    private final String userId;
    private final AuthFailure failure;

    private AuthResult(String userId, AuthFailure failure) {
        this.userId = userId;
        this.failure = failure;
    }

    /**
     * A successful result for {@code userId}.
     *
     * @throws IllegalArgumentException if {@code userId} is not a valid subject (1..64 chars of
     *     {@code [A-Za-z0-9_.@-]})
     */
    public static AuthResult verified(String userId) {
        if (!Hs256.isValidSubject(userId)) {
            throw new IllegalArgumentException("invalid user id");
        }
        return new AuthResult(userId, null);
    }

    /** The (shared) rejected result for {@code reason}. */
    public static AuthResult rejected(AuthFailure reason) {
        return REJECTIONS[Objects.requireNonNull(reason, "reason").ordinal()];
    }

    /** {@code true} iff the credential was accepted; then {@link #userId()} is non-null. */
    public boolean isValid() {
        return failure == null;
    }

    /**
     * The verified {@code sub}: 1..64 chars of {@code [A-Za-z0-9_.@-]}.
     *
     * @throws IllegalStateException if the credential was rejected, so a forgotten
     *     {@link #isValid()} check fails loudly instead of yielding a null user
     */
    public String userId() {
        if (failure != null) {
            throw new IllegalStateException("credential rejected: " + failure);
        }
        return userId;
    }

    /** The reason for rejection, or {@code null} if the credential was accepted. */
    public AuthFailure failure() {
        return failure;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResult other
                && failure == other.failure
                && Objects.equals(userId, other.userId);
    }

    @Override
    public int hashCode() {
        return failure != null ? failure.hashCode() : userId.hashCode();
    }

    @Override
    public String toString() {
        return failure != null ? "AuthResult[rejected=" + failure + "]" : "AuthResult[userId=" + userId + "]";
    }
}
