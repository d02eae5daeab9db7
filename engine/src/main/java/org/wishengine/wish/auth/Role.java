package org.wishengine.wish.auth;

/**
 * What a verified token may act as. A token is exactly one of these, fixed by its signed
 * {@code role} claim, so a user token can never act as an organiser nor the reverse.
 */
public enum Role {
    /** A person claiming wishes; the token has no {@code role} claim or {@code "role":"user"}. */
    USER,
    /** An organiser scoped to one org of the tree; the token has {@code "role":"organiser"}. */
    ORGANISER
}
