package org.wishengine.wish.core;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The 32-byte secret a fair-start draw is keyed with. The engine generates it when the campaign is
 * published and publishes only its {@link #commitment()}; the seed itself is revealed with the
 * result, and anyone can then check that it hashes to the commitment that was public before the
 * campaign opened, so it cannot have been chosen after seeing the entries.
 *
 * <p>Immutable. {@link #toString()} shows the commitment, never the seed, so a seed that reaches a
 * log line by accident is not revealed early; {@link #hex()} is the one way to write it out.
 */
public final class DrawSeed {

    /** Seed length in bytes: the key size of HMAC-SHA256's hash, so the key is used as is. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private DrawSeed(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A seed of exactly {@value #LENGTH} bytes (copied). */
    public static DrawSeed of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a draw seed has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new DrawSeed(bytes.clone());
    }

    /** A new seed from {@code source}. */
    public static DrawSeed generate(SeedSource source) {
        byte[] fresh = new byte[LENGTH];
        source.fill(fresh);
        return new DrawSeed(fresh);
    }

    /**
     * A seed as {@link #hex()} writes it: 64 hex digits; upper case is accepted too, since it names
     * the same bytes.
     */
    public static DrawSeed parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a draw seed is " + 2 * LENGTH + " hex digits");
        }
        try {
            return new DrawSeed(DrawHash.HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a draw seed is " + 2 * LENGTH + " hex digits", e);
        }
    }

    /** The seed as 64 lowercase hex digits: what is revealed after the draw. */
    public String hex() {
        return DrawHash.HEX.formatHex(bytes);
    }

    /** A copy of the seed's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The public commitment: lowercase hex SHA-256 of the 32 seed bytes (not of their hex). */
    public String commitment() {
        return DrawHash.HEX.formatHex(DrawHash.sha256(bytes));
    }

    @Override
    public boolean equals(Object other) {
        // Constant time, as is usual for comparing secrets.
        return other instanceof DrawSeed seed && MessageDigest.isEqual(bytes, seed.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "DrawSeed[commitment=" + commitment() + "]";
    }
}
