package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenMinterTest {

    private static final String SECRET = "minter-secret";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_900L), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenMinter minter = new TokenMinter(SECRET, CLOCK);

    private static JsonNode part(String jwt, int index) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
    }

    @Test
    void shouldEmitStandardHeaderAndClaims() throws Exception {
        String jwt = minter.mint("carol", Duration.ofSeconds(90));
        assertFalse(jwt.contains("="));
        assertEquals(JSON.readTree("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), part(jwt, 0));
        assertEquals(JSON.readTree("{\"sub\":\"carol\",\"iat\":1700000000,\"exp\":1700000090}"), part(jwt, 1));
    }

    @Test
    void shouldOmitExpWithoutTtl() throws Exception {
        assertEquals(JSON.readTree("{\"sub\":\"carol\",\"iat\":1700000000}"), part(minter.mint("carol"), 1));
    }

    @Test
    void shouldRoundSubSecondTtlUp() throws Exception {
        assertEquals(1_700_000_001L, part(minter.mint("carol", Duration.ofMillis(1)), 1).get("exp").asLong());
    }

    @Test
    void shouldSignWithHs256OverTheSecret() {
        String jwt = minter.mint("dave");
        String input = jwt.substring(0, jwt.lastIndexOf('.'));
        String sig = jwt.substring(jwt.lastIndexOf('.') + 1);
        assertEquals(TestJwts.B64.encodeToString(TestJwts.hmac("HmacSHA256", SECRET, input)), sig);
        assertEquals(input.getBytes(StandardCharsets.US_ASCII).length, input.length());
    }

    @Test
    void shouldRejectInvalidSubjectsAndTtls() {
        assertThrows(IllegalArgumentException.class, () -> minter.mint(""));
        assertThrows(IllegalArgumentException.class, () -> minter.mint(null));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("ok", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> minter.mint("ok", Duration.ofSeconds(-5)));
    }

    @Test
    void shouldEmitOrganiserClaimsWithARandomJtiAndAnExpiry() throws Exception {
        OrganiserToken token = minter.mintOrganiser("town-zhujing", Duration.ofDays(30));
        JsonNode payload = part(token.token(), 1);
        assertEquals(JSON.readTree("{\"sub\":\"town-zhujing\",\"role\":\"organiser\",\"org\":\"town-zhujing\","
                + "\"jti\":\"" + token.jti() + "\",\"iat\":1700000000,\"exp\":" + (1_700_000_000L + 30 * 86_400) + "}"),
                payload);
        assertEquals(JSON.readTree("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), part(token.token(), 0));
        assertEquals("town-zhujing", token.org());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L + 30 * 86_400), token.expiresAt());
        assertTrue(token.jti().matches("[A-Za-z0-9_-]{22}"), token.jti());
        assertNotEquals(token.jti(), minter.mintOrganiser("town-zhujing", Duration.ofDays(30)).jti());
        assertFalse(token.toString().contains(token.token()), "toString must not reveal the token");
    }

    @Test
    void shouldRejectInvalidOrgsAndTtlsForOrganisers() {
        for (String org : new String[] {null, "", "a.b", "ops@town", "x".repeat(65), "朱泾镇", "a\"b"}) {
            assertThrows(IllegalArgumentException.class, () -> minter.mintOrganiser(org, Duration.ofDays(1)), org);
        }
        assertThrows(NullPointerException.class, () -> minter.mintOrganiser("town", null));
        assertThrows(IllegalArgumentException.class, () -> minter.mintOrganiser("town", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> minter.mintOrganiser("town", Duration.ofSeconds(-1)));
    }

    @Test
    void shouldRejectEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> new TokenMinter(""));
        assertThrows(NullPointerException.class, () -> new TokenMinter(null));
    }
}
