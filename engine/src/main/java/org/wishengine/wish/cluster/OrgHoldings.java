package org.wishengine.wish.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the nodes of a cluster hold of some orgs' own campaigns (not those of the orgs below
 * them), counted from their subtree statistics before an org is retired: how many campaigns each
 * has, and which have one still open (a unit nobody holds, or a claim not yet settled). Pure.
 */
public final class OrgHoldings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> campaigns = new HashMap<>();
    private final Set<String> open = new HashSet<>();

    /**
     * Counts an org's own campaigns from the statistics of its subtree summed over every node
     * ({@code GET /api/stats?org=} as {@link ListingMerge#orgStats} merges them): its totals less
     * its children's rows.
     *
     * @throws IllegalArgumentException when the body is not such statistics
     */
    public OrgHoldings add(String orgId, byte[] subtreeStats) {
        JsonNode stats;
        try {
            stats = JSON.readTree(subtreeStats);
        } catch (IOException e) {
            throw new IllegalArgumentException("not subtree statistics: " + e.getMessage(), e);
        }
        if (stats == null || !stats.path("children").isArray()) {
            throw new IllegalArgumentException("not subtree statistics of org " + orgId);
        }
        long own = stats.path("campaigns").asLong();
        long remaining = stats.path("remaining").asLong();
        long claimed = stats.path("claimed").asLong();
        long fulfilled = stats.path("fulfilled").asLong();
        for (JsonNode child : stats.get("children")) {
            own -= child.path("campaigns").asLong();
            remaining -= child.path("remaining").asLong();
            claimed -= child.path("claimed").asLong();
            fulfilled -= child.path("fulfilled").asLong();
        }
        campaigns.put(orgId, own);
        if (remaining > 0 || claimed > 0 || fulfilled > 0) {
            open.add(orgId);
        }
        return this;
    }

    /** How many campaigns of its own the nodes hold for the org (0 when it was not counted). */
    public long campaigns(String orgId) {
        return campaigns.getOrDefault(orgId, 0L);
    }

    /** The orgs counted with a campaign of their own still open. */
    public Set<String> open() {
        return Set.copyOf(open);
    }
}
