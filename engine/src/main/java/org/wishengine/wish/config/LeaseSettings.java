package org.wishengine.wish.config;

import java.time.Duration;

/**
 * How this engine holds the lease that makes it its store's one writer.
 *
 * @param nodeId   the name it holds leases under, or null for one made from the host and pid
 * @param duration how long a lease lasts unrenewed (renewed every third of it): a successor of a
 *                 crashed engine waits at most this long, and an engine paused longer than this
 *                 may find itself fenced out when it wakes
 */
public record LeaseSettings(String nodeId, Duration duration) {

    public static final LeaseSettings DEFAULTS = new LeaseSettings(null, Duration.ofSeconds(3));

    public LeaseSettings {
        if (duration.toMillis() < 300 || duration.toMillis() > 600_000) {
            throw new IllegalArgumentException("the lease must last between 300 ms and 10 minutes, not "
                    + duration.toMillis() + " ms");
        }
        if (nodeId != null && !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a node id is 1 to 64 letters, digits, '.', '_' or '-', not '"
                    + nodeId + "'");
        }
    }
}
