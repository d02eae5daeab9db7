package org.wishengine.wish.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds arbitrary (including hostile) tokens independently of the production code. */
final class TestJwts {

    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TestJwts() {}

    static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(String javaAlg, String secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance(javaAlg);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaAlg));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** header.payload signed with HMAC-SHA256 under {@code secret}. */
    static String hs256(String secret, String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + B64.encodeToString(hmac("HmacSHA256", secret, input));
    }

    static String hs256(String secret, String payloadJson) {
        return hs256(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson);
    }

    static String hs512(String secret, String payloadJson) {
        String input = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64(payloadJson);
        return input + "." + B64.encodeToString(hmac("HmacSHA512", secret, input));
    }
}
