package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void shouldGenerateUrlSafe256BitSecrets() {
        String a = Secrets.generate();
        assertEquals(43, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertEquals(32, Base64.getUrlDecoder().decode(a).length);
        assertNotEquals(a, Secrets.generate());
    }

    @Test
    void shouldBeUsableAsSigningSecret() {
        String secret = Secrets.generate();
        String jwt = new TokenMinter(secret).mint("u1", java.time.Duration.ofMinutes(1));
        assertEquals("u1", new TokenVerifier(secret).verifyHeader("Bearer " + jwt).userId());
    }
}
