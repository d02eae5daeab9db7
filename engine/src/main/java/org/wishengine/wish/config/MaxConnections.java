package org.wishengine.wish.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default connection cap, derived from the process's open-file limit. Every connection is a
 * file descriptor: with a cap at or above the limit, accept fails with "Too many open files" near
 * the cap, and new connections (health checks too) hang until they time out instead of being
 * refused at once. So the cap leaves room under the limit for what else the process keeps open.
 *
 * @param value     the cap
 * @param fileLimit the process's open-file limit, or {@link #UNKNOWN}
 * @param reserved  descriptors kept back for Redis connections, data files, jars, epoll and the JVM
 * @param capped    whether {@link #CEILING} rather than the file limit decided the value
 */
public record MaxConnections(int value, long fileLimit, long reserved, boolean capped) {

    /** The file limit could not be read (not a Unix JVM). */
    public static final long UNKNOWN = -1;
    /** The cap when the file limit is unknown (the engine's earlier fixed default). */
    public static final int FALLBACK = 20_000;
    /** Never more by default: each open connection also costs heap, whatever the file limit. */
    public static final int CEILING = 100_000;
    /** Descriptors always kept back, however small the limit. */
    static final long MIN_RESERVE = 256;
    /** Share of the limit kept back when that is more than {@link #MIN_RESERVE}. */
    static final int RESERVE_PERCENT = 5;

    /** The default cap for this process. */
    public static MaxConnections forThisProcess() {
        return forFileLimit(processFileLimit());
    }

    /** The default cap under a file limit ({@link #UNKNOWN} or any value below 1 when unknown). */
    public static MaxConnections forFileLimit(long fileLimit) {
        if (fileLimit < 1) {
            return new MaxConnections(FALLBACK, UNKNOWN, 0, false);
        }
        long reserved = reserveFor(fileLimit);
        long allowed = Math.max(1, fileLimit - reserved);
        return allowed > CEILING ? new MaxConnections(CEILING, fileLimit, reserved, true)
                : new MaxConnections((int) allowed, fileLimit, reserved, false);
    }

    /** Descriptors kept back under {@code fileLimit}. */
    static long reserveFor(long fileLimit) {
        return Math.max(MIN_RESERVE, fileLimit * RESERVE_PERCENT / 100);
    }

    /** Whether an explicitly chosen cap is more than the file limit leaves room for. */
    public boolean exceededBy(int explicit) {
        return fileLimit != UNKNOWN && explicit > fileLimit - reserved;
    }

    /** How the default came about, for the start-up log. */
    public String describe() {
        if (fileLimit == UNKNOWN) {
            return String.format("max connections %,d (file limit unknown)", value);
        }
        String base = String.format("file limit %,d less %,d for Redis, files and the JVM", fileLimit, reserved);
        return capped ? String.format("max connections %,d (%s would allow %,d; capped)", value, base,
                fileLimit - reserved) : String.format("max connections %,d (%s)", value, base);
    }

    /** The warning when an explicit cap of {@code explicit} is more than the file limit allows. */
    public String describeExcess(int explicit) {
        return String.format("--max-connections %,d is more than the file limit %,d allows (%,d, keeping %,d for "
                + "Redis, files and the JVM): near that many connections accept fails with \"Too many open files\" "
                + "and new connections hang instead of being refused; raise the limit (ulimit -n) or lower the cap",
                explicit, fileLimit, Math.max(1, fileLimit - reserved), reserved);
    }

    /** The process's open-file limit as the JVM sees it, or {@link #UNKNOWN}. */
    static long processFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            return limit > 0 ? limit : UNKNOWN;
        }
        return UNKNOWN;
    }
}
