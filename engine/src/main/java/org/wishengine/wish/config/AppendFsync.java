package org.wishengine.wish.config;

import java.util.Optional;

/**
 * How often the Redis the engine starts itself fsyncs its append-only file. {@code everysec}
 * keeps claims/s; a power cut, or a killed Redis on a busy disk (which postpones its AOF writes
 * and goes on replying), can lose the last seconds of acknowledged claims. {@code always} fsyncs
 * before each reply and loses nothing acknowledged (docs/operations.md, Durability).
 */
public enum AppendFsync {
    EVERYSEC("everysec"),
    ALWAYS("always");

    private final String redisName;

    AppendFsync(String redisName) {
        this.redisName = redisName;
    }

    /** The value of Redis's {@code appendfsync} option. */
    public String redisName() {
        return redisName;
    }

    /** The setting Redis calls {@code name}, or empty for anything else. */
    public static Optional<AppendFsync> named(String name) {
        for (AppendFsync fsync : values()) {
            if (fsync.redisName.equals(name)) {
                return Optional.of(fsync);
            }
        }
        return Optional.empty();
    }
}
