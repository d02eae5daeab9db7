package org.wishengine.wish.http;

import java.util.concurrent.atomic.AtomicReference;
import org.wishengine.wish.auth.Revocations;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.auth.TokenRegistry;

/**
 * What the HTTP edge needs for organiser tokens: a minter with the engine's token secret, the list
 * of revoked tokens its authenticator consults, and the registry in Redis that records issued tokens
 * and revocations (set once the store is connected, after the server is already listening).
 */
public record OrganiserTokens(TokenMinter minter, Revocations revocations, AtomicReference<TokenRegistry> registry) {

    /** No organiser token is ever revoked, and none can be issued: for servers without a store. */
    public static OrganiserTokens none(String tokenSecret) {
        return new OrganiserTokens(new TokenMinter(tokenSecret), Revocations.none(), new AtomicReference<>());
    }
}
