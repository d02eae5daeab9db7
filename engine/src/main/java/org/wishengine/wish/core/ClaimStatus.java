package org.wishengine.wish.core;

/**
 * Where a claim is in its life. {@code claimed -> fulfilled -> confirmed}, or
 * {@code claimed -> cancelled | expired}; the last two give the unit back to the pool.
 */
public enum ClaimStatus {
    CLAIMED, FULFILLED, CONFIRMED, CANCELLED, EXPIRED;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    /** True while the claim holds a unit of its wish. */
    public boolean isActive() {
        return this == CLAIMED || this == FULFILLED || this == CONFIRMED;
    }

    /** The lower-case name used in JSON and in the store. */
    public String wireName() {
        return wireName;
    }

    /** Parses a {@link #wireName()}; throws {@link IllegalArgumentException} for anything else. */
    public static ClaimStatus fromWire(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
