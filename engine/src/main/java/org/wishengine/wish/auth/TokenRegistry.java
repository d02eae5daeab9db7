package org.wishengine.wish.auth;

import java.util.concurrent.CompletionStage;

/**
 * Where issued organiser tokens are recorded and revoked (Redis in the engine), so that a
 * revocation reaches every engine through its {@link RevocationSource}.
 */
public interface TokenRegistry {

    /** Records a token just issued, so that it can later be revoked by its id. */
    CompletionStage<Void> issued(OrganiserToken token);

    /** Revokes the token with this id: its expiry (epoch ms), or -1 when no such token was issued. */
    CompletionStage<Long> revoke(String jti);

    /** The org the token with this id was issued for, or null when unknown (for its audit record). */
    default CompletionStage<String> orgOf(String jti) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
}
