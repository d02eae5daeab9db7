package org.wishengine.wish.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generates secrets for when the operator configures none: 32 bytes (256 bits, the HS256 key
 * size) from {@link SecureRandom}, encoded as unpadded base64url so the result is safe in URLs,
 * headers, shell arguments and config files. Thread-safe.
 */
public final class Secrets {

    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {}

    /** A fresh 43-character {@code [A-Za-z0-9_-]} secret. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
