package org.wishengine.wish;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * What the engine says at start about the collector it runs on. Any collector is correct; the
 * tail is not. What outlives a young collection here is almost all ledger, which never dies, and
 * the parallel collector's default tenuring copies it between its survivor spaces up to 15 times
 * before promoting it: young pauses of 25–75 ms instead of 7–10 ms at 10,000 claims/s
 * (docs/performance.md item 33). An operator who started the engine without the README's
 * {@code -XX:MaxTenuringThreshold=0} reads so once in the log instead of finding it in a p99.
 */
final class CollectorAdvice {

    /** The parallel collector's young generation, as the JVM names it. */
    static final String PARALLEL_YOUNG = "PS Scavenge";

    private CollectorAdvice() {
    }

    /**
     * The line to log, given the collectors' names and the tenuring threshold ({@code -1} when the
     * JVM does not have that option): the collector in use, and the advice when the parallel
     * collector copies survivors.
     */
    static String describe(List<String> collectors, long maxTenuringThreshold) {
        String line = "Collector: " + String.join(" + ", collectors)
                + (maxTenuringThreshold >= 0 ? ", MaxTenuringThreshold=" + maxTenuringThreshold : "");
        return advice(collectors, maxTenuringThreshold).map(a -> line + ". " + a).orElse(line);
    }

    /** The advice alone, present only when the parallel collector ages survivors. */
    static Optional<String> advice(List<String> collectors, long maxTenuringThreshold) {
        if (collectors.contains(PARALLEL_YOUNG) && maxTenuringThreshold > 0) {
            return Optional.of("-XX:MaxTenuringThreshold=0 makes young pauses 3-4x shorter here, at the same "
                    + "claims/s: it promotes the ledger at once instead of copying it between survivor spaces "
                    + "(docs/operations.md, JVM options)");
        }
        return Optional.empty();
    }

    /** The line for this JVM. */
    static String forThisJvm() {
        List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        long threshold = -1;
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot != null) {
                threshold = Long.parseLong(hotspot.getVMOption("MaxTenuringThreshold").getValue());
            }
        } catch (IllegalArgumentException e) {
            // Not a HotSpot JVM, or one without the option (NumberFormatException is one too):
            // the line names the collector alone.
        }
        return describe(names, threshold);
    }
}
