package org.wishengine.wish.auth;

import java.time.Instant;

/**
 * An organiser token just minted, with what its issuer must keep to revoke it later: the token
 * id ({@code jti}) and when it expires (a revocation can be forgotten after that).
 *
 * @param token the compact JWT to hand to the organiser
 * @param org the org it is scoped to
 * @param jti its random id
 * @param expiresAt its {@code exp}
 */
public record OrganiserToken(String token, String org, String jti, Instant expiresAt) {

    @Override
    public String toString() {
        return "OrganiserToken[org=" + org + ", jti=" + jti + ", expiresAt=" + expiresAt + ", token=<redacted>]";
    }
}
