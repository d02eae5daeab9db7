package org.wishengine.wish.http;

import java.util.concurrent.atomic.AtomicReference;
import org.wishengine.wish.auth.Revocations;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.auth.TokenRegistry;
import org.wishengine.wish.store.RedisAuditTrail;

/**
 * What the HTTP edge needs for organiser tokens: a minter with the engine's token secret, the list
 * of revoked tokens its authenticator consults, the registry in Redis that records issued tokens
 * and revocations, and the audit trail those and every other organiser action go to (both set
 * once the store is connected, after the server is already listening; the trail never on a Redis
 * Cluster, see {@link AuditEndpoints}).
 */
public record OrganiserTokens(TokenMinter minter, Revocations revocations, AtomicReference<TokenRegistry> registry,
                              AtomicReference<RedisAuditTrail> audit) {

    /** Without an audit trail. */
    public OrganiserTokens(TokenMinter minter, Revocations revocations, AtomicReference<TokenRegistry> registry) {
        this(minter, revocations, registry, new AtomicReference<>());
    }

    /** No organiser token is ever revoked, and none can be issued: for servers without a store. */
    public static OrganiserTokens none(String tokenSecret) {
        return new OrganiserTokens(new TokenMinter(tokenSecret), Revocations.none(), new AtomicReference<>());
    }
}
