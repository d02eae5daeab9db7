package org.wishengine.wish.auth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RevocationSource} held in memory, for tests and for engines without a shared store. */
public final class InMemoryRevocationSource implements RevocationSource {

    private final Map<String, Long> revoked = new ConcurrentHashMap<>();

    /** Revokes the token {@code jti}, which expires at {@code expiresAt}. */
    public void revoke(String jti, Instant expiresAt) {
        revoked.put(jti, expiresAt.toEpochMilli());
    }

    /** Revokes a token just minted. */
    public void revoke(OrganiserToken token) {
        revoke(token.jti(), token.expiresAt());
    }

    @Override
    public Map<String, Long> revoked() {
        return Map.copyOf(revoked);
    }
}
