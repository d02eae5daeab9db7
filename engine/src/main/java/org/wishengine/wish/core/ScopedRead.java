package org.wishengine.wish.core;

/**
 * A read an organiser makes within its scope: {@code FOUND} with the value, {@code NOT_FOUND}
 * (value null) or {@code FORBIDDEN} (value null) when what was asked for lies outside the acting
 * organiser's subtree.
 */
public record ScopedRead<T>(Result result, T value) {

    static <T> ScopedRead<T> of(T value) {
        return value == null ? new ScopedRead<>(Result.NOT_FOUND, null) : new ScopedRead<>(Result.FOUND, value);
    }

    static <T> ScopedRead<T> forbidden() {
        return new ScopedRead<>(Result.FORBIDDEN, null);
    }
}
