package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.auth.TestJwts.b64;
import static org.wishengine.wish.auth.TestJwts.hs256;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String SECRET = "test-secret-0123456789";
    private static final long NOW = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private final TokenVerifier verifier = new TokenVerifier(SECRET, CLOCK);

    private static String payload(String sub) {
        return "{\"sub\":\"" + sub + "\",\"iat\":" + NOW + "}";
    }

    private AuthFailure failureOf(String header) {
        AuthResult r = verifier.verifyHeader(header);
        assertFalse(r.isValid(), () -> "expected rejection, got " + r);
        return r.failure();
    }

    private String userOf(String header) {
        AuthResult r = verifier.verifyHeader(header);
        assertTrue(r.isValid(), () -> "expected acceptance, got " + r);
        assertNull(r.failure());
        return r.userId();
    }

    @Test
    void shouldAcceptValidTokenWithItsSub() {
        String jwt = hs256(SECRET, "{\"sub\":\"alice@example.com\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 60)
                + ",\"nbf\":" + (NOW - 60) + ",\"extra\":{\"nested\":[1,2,{\"sub\":5}]}}");
        assertEquals("alice@example.com", userOf("Bearer " + jwt));
        assertEquals("alice@example.com", verifier.verifyToken(jwt).userId());
    }

    @Test
    void shouldAcceptSchemeCaseInsensitivelyAndSurroundingWhitespace() {
        String jwt = hs256(SECRET, payload("u1"));
        assertEquals("u1", userOf("bearer " + jwt));
        assertEquals("u1", userOf("BEARER " + jwt));
        assertEquals("u1", userOf("  Bearer   " + jwt + "  "));
    }

    @Test
    void shouldAcceptNonCanonicalButValidHeader() {
        String jwt = hs256(SECRET, "{ \"typ\" : \"jwt\", \"alg\" : \"HS256\", \"kid\": \"k1\" }", payload("u2"));
        assertEquals("u2", userOf("Bearer " + jwt));
    }

    @Test
    void shouldRejectMissingHeader() {
        assertEquals(AuthFailure.MISSING, failureOf(null));
        assertEquals(AuthFailure.MISSING, failureOf(""));
        assertEquals(AuthFailure.MISSING, failureOf("   "));
        assertEquals(AuthFailure.MISSING, verifier.verifyToken(null).failure());
    }

    @Test
    void shouldRejectNonBearerScheme() {
        String jwt = hs256(SECRET, payload("u1"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Basic dXNlcjpwYXNz"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Token " + jwt));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer" + jwt));
        assertEquals(AuthFailure.MALFORMED, failureOf(jwt));
    }

    @Test
    void shouldRejectBearerWithoutToken() {
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer    "));
    }

    @Test
    void shouldRejectGarbage() {
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer not a jwt"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer ..."));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer .."));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer a+b/c.d.e"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer \u00e9t\u00e9.x.y"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + b64("hello") + "." + b64("world") + ".sig"));
    }

    @Test
    void shouldRejectTwoParts() {
        String jwt = hs256(SECRET, payload("u1"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + jwt.substring(0, jwt.lastIndexOf('.'))));
    }

    @Test
    void shouldRejectFourParts() {
        String jwt = hs256(SECRET, payload("u1"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + jwt + ".extra"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + jwt + "."));
    }

    @Test
    void shouldRejectPadding() {
        // '{"sub":"u1"}' is 12 bytes (no padding); pick a payload whose encoding needs padding.
        String payloadJson = payload("ab");
        String padded = java.util.Base64.getUrlEncoder().encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        assertTrue(padded.endsWith("="), "test precondition: payload encoding must need padding");
        String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String input = header + "." + padded;
        String jwt = input + "." + TestJwts.B64.encodeToString(TestJwts.hmac("HmacSHA256", SECRET, input));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + jwt));

        String good = hs256(SECRET, payload("u1"));
        String sig = good.substring(good.lastIndexOf('.') + 1);
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + good.substring(0, good.lastIndexOf('.') + 1) + sig + "="));
    }

    @Test
    void shouldRejectNonCanonicalBase64() {
        String good = hs256(SECRET, payload("u1"));
        int dot = good.lastIndexOf('.');
        String sig = good.substring(dot + 1);
        // 43 chars encode 32 bytes + 2 spare bits; setting a spare bit must not alias the same signature.
        char last = sig.charAt(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char twiddled = alphabet.charAt(alphabet.indexOf(last) | 1);
        String respelled = good.substring(0, dot + 1) + sig.substring(0, 42) + twiddled;
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + respelled));
    }

    @Test
    void shouldRejectForgedSignature() {
        String forged = hs256("some-other-secret", payload("admin"));
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + forged));
    }

    @Test
    void shouldRejectTamperedPayloadWithOldSignature() {
        String original = hs256(SECRET, payload("alice"));
        String[] parts = original.split("\\.");
        String tampered = parts[0] + "." + b64(payload("mallory")) + "." + parts[2];
        assertEquals("alice", userOf("Bearer " + original));
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + tampered));
    }

    @Test
    void shouldRejectTruncatedOrEmptySignatureForHs256() {
        String jwt = hs256(SECRET, payload("u1"));
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + jwt.substring(0, jwt.length() - 1)));
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + jwt.substring(0, jwt.lastIndexOf('.') + 1)));
    }

    @Test
    void shouldRejectAlgNone() {
        String jwt = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload("admin")) + ".";
        assertEquals(AuthFailure.UNSUPPORTED_ALGORITHM, failureOf("Bearer " + jwt));
        String upper = b64("{\"alg\":\"NONE\"}") + "." + b64(payload("admin")) + ".";
        assertEquals(AuthFailure.UNSUPPORTED_ALGORITHM, failureOf("Bearer " + upper));
    }

    @Test
    void shouldRejectAlgHs512EvenWhenCorrectlySigned() {
        String jwt = TestJwts.hs512(SECRET, payload("u1"));
        assertEquals(AuthFailure.UNSUPPORTED_ALGORITHM, failureOf("Bearer " + jwt));
    }

    @Test
    void shouldRejectAlgRs256() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair kp = gen.generateKeyPair();
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(payload("u1"));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(kp.getPrivate());
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        String jwt = input + "." + TestJwts.B64.encodeToString(rsa.sign());
        assertEquals(AuthFailure.UNSUPPORTED_ALGORITHM, failureOf("Bearer " + jwt));

        // Even an HMAC-with-our-secret signature must not rescue a header that claims RS256.
        String confused = hs256(SECRET, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload("u1"));
        assertEquals(AuthFailure.UNSUPPORTED_ALGORITHM, failureOf("Bearer " + confused));
    }

    @Test
    void shouldRejectAlgWithWrongCaseOrType() {
        assertEquals(AuthFailure.UNSUPPORTED_ALGORITHM,
                failureOf("Bearer " + hs256(SECRET, "{\"alg\":\"hs256\"}", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"alg\":256}", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"typ\":\"JWT\"}", payload("u1"))));
    }

    @Test
    void shouldRejectDuplicateAlg() {
        String jwt = hs256(SECRET, "{\"alg\":\"HS256\",\"alg\":\"none\"}", payload("u1"));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + jwt));
    }

    @Test
    void shouldRejectWrongTypAndCrit() {
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"alg\":\"HS256\",\"typ\":\"JWE\"}", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"alg\":\"HS256\",\"typ\":1}", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", payload("u1"))));
    }

    @Test
    void shouldRejectHeaderNotJson() {
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "alg=HS256", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "[\"HS256\"]", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "\"HS256\"", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"alg\":\"HS256\"", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"alg\":\"HS256\"}{}", payload("u1"))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "", payload("u1"))));
    }

    @Test
    void shouldRejectPayloadNotJsonObject() {
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "[1,2]")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "sub=alice")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, payload("u1") + " x")));
    }

    @Test
    void shouldRejectExpiredBeyondLeeway() {
        String jwt = hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + (NOW - 31) + "}");
        assertEquals(AuthFailure.EXPIRED, failureOf("Bearer " + jwt));
        String boundary = hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + (NOW - 30) + "}");
        assertEquals(AuthFailure.EXPIRED, failureOf("Bearer " + boundary));
    }

    @Test
    void shouldAcceptExpiredWithinLeeway() {
        String jwt = hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + (NOW - 29) + "}");
        assertEquals("u1", userOf("Bearer " + jwt));
    }

    @Test
    void shouldHonourConfiguredLeeway() {
        TokenVerifier strict = new TokenVerifier(SECRET, CLOCK, Duration.ZERO, TokenVerifier.DEFAULT_MAX_TOKEN_LENGTH);
        assertEquals(AuthFailure.EXPIRED,
                strict.verifyToken(hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + NOW + "}")).failure());
        assertTrue(strict.verifyToken(hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + (NOW + 1) + "}")).isValid());
        assertEquals(AuthFailure.NOT_YET_VALID,
                strict.verifyToken(hs256(SECRET, "{\"sub\":\"u1\",\"nbf\":" + (NOW + 1) + "}")).failure());
        assertTrue(strict.verifyToken(hs256(SECRET, "{\"sub\":\"u1\",\"nbf\":" + NOW + "}")).isValid());
    }

    @Test
    void shouldAcceptFractionalAndExtremeNumericDates() {
        assertEquals("u1", userOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + NOW + ".5e0}")));
        assertEquals("u1", userOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"exp\":99999999999999999999999}")));
        assertEquals(AuthFailure.EXPIRED,
                failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"exp\":-99999999999999999999999}")));
        assertEquals(AuthFailure.NOT_YET_VALID,
                failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"nbf\":1e300}")));
    }

    @Test
    void shouldRejectNonNumericOrDuplicateExp() {
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"exp\":\"" + (NOW + 60) + "\"}")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"exp\":null}")));
        assertEquals(AuthFailure.MALFORMED,
                failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"exp\":" + (NOW + 60) + ",\"exp\":1}")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"nbf\":true}")));
    }

    @Test
    void shouldRejectNbfInTheFuture() {
        assertEquals(AuthFailure.NOT_YET_VALID,
                failureOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"nbf\":" + (NOW + 31) + "}")));
        assertEquals("u1", userOf("Bearer " + hs256(SECRET, "{\"sub\":\"u1\",\"nbf\":" + (NOW + 30) + "}")));
    }

    @Test
    void shouldRejectOversizedTokenBeforeDecoding() {
        String huge = "!".repeat(TokenVerifier.DEFAULT_MAX_TOKEN_LENGTH + 1);
        assertEquals(AuthFailure.TOO_LARGE, failureOf("Bearer " + huge));
        String atLimit = "!".repeat(TokenVerifier.DEFAULT_MAX_TOKEN_LENGTH);
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + atLimit));

        String padding = "x".repeat(TokenVerifier.DEFAULT_MAX_TOKEN_LENGTH);
        String bigButValid = hs256(SECRET, "{\"sub\":\"u1\",\"pad\":\"" + padding + "\"}");
        assertEquals(AuthFailure.TOO_LARGE, failureOf("Bearer " + bigButValid));
    }

    @Test
    void shouldHonourConfiguredMaxLength() {
        String jwt = hs256(SECRET, payload("u1"));
        TokenVerifier exact = new TokenVerifier(SECRET, CLOCK, TokenVerifier.DEFAULT_LEEWAY, jwt.length());
        assertEquals("u1", exact.verifyHeader("Bearer " + jwt).userId());
        TokenVerifier tight = new TokenVerifier(SECRET, CLOCK, TokenVerifier.DEFAULT_LEEWAY, jwt.length() - 1);
        assertEquals(AuthFailure.TOO_LARGE, tight.verifyHeader("Bearer " + jwt).failure());
    }

    @Test
    void shouldRejectMissingSub() {
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"iat\":" + NOW + "}")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{}")));
    }

    @Test
    void shouldRejectNonStringSub() {
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"sub\":42}")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"sub\":null}")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"sub\":[\"u1\"]}")));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, "{\"sub\":{\"id\":\"u1\"}}")));
    }

    @Test
    void shouldRejectTooLongSub() {
        assertEquals("a".repeat(64), userOf("Bearer " + hs256(SECRET, payload("a".repeat(64)))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, payload("a".repeat(65)))));
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, payload(""))));
    }

    @Test
    void shouldRejectSubWithBadChars() {
        for (String bad : new String[] {"has space", "semi;colon", "slash/x", "\\u00e9l\\u00e8ve", "tab\\t",
                "new\\nline", "quote\\\"", "nul\\u0000"}) {
            assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + hs256(SECRET, payload(bad))), bad);
        }
        assertEquals("A-z_0.9@x", userOf("Bearer " + hs256(SECRET, payload("A-z_0.9@x"))));
    }

    @Test
    void shouldRejectDuplicateSub() {
        String jwt = hs256(SECRET, "{\"sub\":\"alice\",\"sub\":\"admin\"}");
        assertEquals(AuthFailure.MALFORMED, failureOf("Bearer " + jwt));
    }

    @Test
    void shouldRoundTripMintedToken() {
        TokenMinter minter = new TokenMinter(SECRET, CLOCK);
        assertEquals("bob", userOf("Bearer " + minter.mint("bob")));
        assertEquals("bob.smith@x-y_z", userOf("Bearer " + minter.mint("bob.smith@x-y_z", Duration.ofMinutes(5))));

        TokenVerifier later = new TokenVerifier(SECRET, Clock.offset(CLOCK, Duration.ofMinutes(5).plusSeconds(30)));
        assertEquals(AuthFailure.EXPIRED, later.verifyToken(minter.mint("bob", Duration.ofMinutes(5))).failure());
        assertEquals("bob", later.verifyToken(minter.mint("bob")).userId());
    }

    @Test
    void shouldRejectMintedTokenUnderOtherSecret() {
        String jwt = new TokenMinter("another-secret", CLOCK).mint("bob");
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + jwt));
    }

    @Test
    void shouldRejectBadConstructorArguments() {
        assertThrows(IllegalArgumentException.class, () -> new TokenVerifier(""));
        assertThrows(NullPointerException.class, () -> new TokenVerifier(null));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenVerifier(SECRET, CLOCK, Duration.ofSeconds(-1), 4096));
        assertThrows(IllegalArgumentException.class, () -> new TokenVerifier(SECRET, CLOCK, Duration.ZERO, 0));
    }

    @Test
    void shouldFailLoudlyWhenUserIdReadFromRejection() {
        AuthResult r = verifier.verifyHeader(null);
        assertThrows(IllegalStateException.class, r::userId);
        assertEquals(AuthResult.rejected(AuthFailure.MISSING), r);
    }

    // --- organiser tokens (issue 18) ---

    private static final String ORG_PAYLOAD_TAIL = ",\"iat\":" + NOW + ",\"exp\":" + (NOW + 3600) + "}";

    private static String organiserPayload(String sub, String org, String jti) {
        return "{\"sub\":\"" + sub + "\",\"role\":\"organiser\",\"org\":\"" + org + "\",\"jti\":\"" + jti + "\""
                + ORG_PAYLOAD_TAIL;
    }

    @Test
    void shouldRoundTripMintedOrganiserToken() {
        OrganiserToken token = new TokenMinter(SECRET, CLOCK).mintOrganiser("town-zhujing", Duration.ofDays(30));
        AuthResult r = verifier.verifyHeader("Bearer " + token.token());
        assertTrue(r.isValid(), r::toString);
        assertTrue(r.isOrganiser());
        assertFalse(r.isUser());
        assertEquals(Role.ORGANISER, r.role());
        assertEquals("town-zhujing", r.org());
        assertEquals(token.jti(), r.jti());
        assertEquals(AuthResult.organiser("town-zhujing", token.jti()), r);
    }

    @Test
    void shouldNeverLetAnOrganiserTokenActAsAUser() {
        AuthResult r = verifier.verifyToken(hs256(SECRET, organiserPayload("town-a", "town-a", "j1")));
        assertTrue(r.isOrganiser());
        assertThrows(IllegalStateException.class, r::userId);
    }

    @Test
    void shouldNeverLetAUserTokenActAsAnOrganiser() {
        // A user token may carry org and jti for its issuer's own purposes: they give it no scope.
        AuthResult r = verifier.verifyToken(hs256(SECRET,
                "{\"sub\":\"alice\",\"org\":\"town-a\",\"jti\":\"j1\",\"iat\":" + NOW + "}"));
        assertTrue(r.isUser());
        assertFalse(r.isOrganiser());
        assertEquals(Role.USER, r.role());
        assertNull(r.org());
        assertNull(r.jti());
        assertEquals("alice", r.userId());
        AuthResult explicit = verifier.verifyToken(hs256(SECRET, "{\"sub\":\"bob\",\"role\":\"user\"}"));
        assertEquals(AuthResult.verified("bob"), explicit);
        assertNull(AuthResult.rejected(AuthFailure.EXPIRED).role());
    }

    @Test
    void shouldRefuseARoleOrOrgChangedUnderTheOriginalSignature() {
        OrganiserToken token = new TokenMinter(SECRET, CLOCK).mintOrganiser("town-a", Duration.ofHours(1));
        String[] parts = token.token().split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        for (String altered : new String[] {
                payload.replace("\"role\":\"organiser\"", "\"role\":\"user\""),
                payload.replace("\"org\":\"town-a\"", "\"org\":\"district\"").replace("\"sub\":\"town-a\"",
                        "\"sub\":\"district\""),
                payload.replace(",\"jti\":\"" + token.jti() + "\"", "")}) {
            assertNotEquals(payload, altered);
            assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + parts[0] + "." + b64(altered) + "." + parts[2]));
        }
        String user = new TokenMinter(SECRET, CLOCK).mint("alice");
        String[] u = user.split("\\.");
        String promoted = b64("{\"sub\":\"alice\",\"role\":\"organiser\",\"org\":\"alice\",\"jti\":\"x\",\"iat\":"
                + NOW + ",\"exp\":" + (NOW + 60) + "}");
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + u[0] + "." + promoted + "." + u[2]));
    }

    @Test
    void shouldRejectIncompleteOrInconsistentOrganiserTokens() {
        String[] payloads = {
                // no org, no jti, no exp
                "{\"sub\":\"town-a\",\"role\":\"organiser\",\"jti\":\"j1\"" + ORG_PAYLOAD_TAIL,
                "{\"sub\":\"town-a\",\"role\":\"organiser\",\"org\":\"town-a\"" + ORG_PAYLOAD_TAIL,
                "{\"sub\":\"town-a\",\"role\":\"organiser\",\"org\":\"town-a\",\"jti\":\"j1\"}",
                // sub is not the org
                organiserPayload("alice", "town-a", "j1"),
                // org or jti outside the id alphabet, or not a string
                organiserPayload("a.b", "a.b", "j1"),
                organiserPayload("ops@x", "ops@x", "j1"),
                organiserPayload("town-a", "town-a", "j.1"),
                organiserPayload("town-a", "town-a", ""),
                "{\"sub\":\"town-a\",\"role\":\"organiser\",\"org\":5,\"jti\":\"j1\"" + ORG_PAYLOAD_TAIL,
                // repeated members
                "{\"sub\":\"town-a\",\"role\":\"organiser\",\"org\":\"town-a\",\"org\":\"town-a\",\"jti\":\"j1\""
                        + ORG_PAYLOAD_TAIL,
                "{\"sub\":\"town-a\",\"role\":\"organiser\",\"org\":\"town-a\",\"jti\":\"j1\",\"jti\":\"j2\""
                        + ORG_PAYLOAD_TAIL,
                "{\"sub\":\"town-a\",\"role\":\"user\",\"role\":\"organiser\",\"org\":\"town-a\",\"jti\":\"j1\""
                        + ORG_PAYLOAD_TAIL,
                // unknown or mis-typed roles never fall back to "user"
                "{\"sub\":\"alice\",\"role\":\"admin\"}",
                "{\"sub\":\"alice\",\"role\":\"Organiser\"}",
                "{\"sub\":\"alice\",\"role\":\"\"}",
                "{\"sub\":\"alice\",\"role\":null}",
                "{\"sub\":\"alice\",\"role\":[\"organiser\"]}",
        };
        for (String payload : payloads) {
            AuthResult r = verifier.verifyToken(hs256(SECRET, payload));
            assertEquals(AuthFailure.MALFORMED, r.failure(), payload);
        }
    }

    @Test
    void shouldExpireOrganiserTokensWithTheLeeway() {
        OrganiserToken token = new TokenMinter(SECRET, CLOCK).mintOrganiser("town-a", Duration.ofHours(1));
        TokenVerifier justBefore = new TokenVerifier(SECRET, Clock.offset(CLOCK, Duration.ofHours(1).plusSeconds(29)));
        assertTrue(justBefore.verifyToken(token.token()).isOrganiser());
        TokenVerifier after = new TokenVerifier(SECRET, Clock.offset(CLOCK, Duration.ofHours(1).plusSeconds(30)));
        assertEquals(AuthFailure.EXPIRED, after.verifyToken(token.token()).failure());
    }

    @Test
    void shouldRejectOrganiserTokenUnderOtherSecret() {
        OrganiserToken token = new TokenMinter("another-secret", CLOCK).mintOrganiser("town-a", Duration.ofHours(1));
        assertEquals(AuthFailure.BAD_SIGNATURE, failureOf("Bearer " + token.token()));
    }

    @Test
    void shouldNotPinTheLastOrganiserToTheThreadAfterAUserToken() {
        // Scratch state is reused per thread: an organiser's org must not leak into the next result.
        verifier.verifyToken(hs256(SECRET, organiserPayload("town-a", "town-a", "j1")));
        AuthResult user = verifier.verifyToken(hs256(SECRET, payload("alice")));
        assertEquals(AuthResult.verified("alice"), user);
        assertNull(user.org());
    }
}
