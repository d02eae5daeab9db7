package org.wishengine.wish.auth;

import java.util.Map;

/**
 * Where the list of revoked organiser tokens lives (Redis in production; memory in tests).
 * {@link Revocations} reads the whole list on every refresh, which is cheap because only revoked,
 * not yet expired organiser tokens are on it.
 */
public interface RevocationSource {

    /**
     * Every revoked token id ({@code jti}) with that token's expiry in epoch milliseconds.
     * Called from one refresher thread at a time.
     *
     * @throws Exception if the list cannot be read now; the previous snapshot then stays in force
     */
    Map<String, Long> revoked() throws Exception;
}
