package org.wishengine.wish.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two primitives of the draw, SHA-256 and HMAC-SHA256, and the lowercase hex every published
 * value of a draw is written in. Both algorithms are mandatory in every Java platform, so a failure
 * to find them is a broken runtime, not a condition to handle.
 */
final class DrawHash {

    static final HexFormat HEX = HexFormat.of();

    private DrawHash() {
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the Java runtime", e);
        }
    }

    /** A fresh HMAC-SHA256 keyed with {@code key}: not thread safe, so each draw makes its own. */
    static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the Java runtime", e);
        }
    }

    static byte[] hmacSha256(byte[] key, byte[] message) {
        return hmac(key).doFinal(message);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
