package org.wishengine.wish.core;

import java.security.SecureRandom;

/**
 * Where the bytes of a new {@link DrawSeed} come from: the only randomness of a draw. Kept behind
 * this interface so that everything else about a draw is a pure function of its seed and entries,
 * and so tests can hand in a fixed source and get the same seeds on every run.
 */
@FunctionalInterface
public interface SeedSource {

    /** Fills {@code bytes} entirely with fresh bytes. */
    void fill(byte[] bytes);

    /**
     * The engine's source: a {@link SecureRandom}, because a seed someone could predict before it is
     * revealed would let them predict the draw.
     */
    static SeedSource secure() {
        SecureRandom random = new SecureRandom();
        return random::nextBytes;
    }
}
