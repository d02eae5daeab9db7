package org.wishengine.wish.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import org.wishengine.wish.core.ClaimBlocks;
import org.wishengine.wish.core.ListingKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines the bodies of several nodes' local answers to a listing into the body one engine
 * holding every campaign would give (engine/API.md 6.2, 6.8, 6.13): each node answers for the
 * campaigns it owns, and the node the client asked merges. Pure: JSON bytes in, JSON bytes out.
 *
 * <p>An entry listed by two nodes (a campaign in the instant of a hand-over) is listed once, as
 * the first body listing it has it.
 */
public final class ListingMerge {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The counters of a stats body, in the order the engine writes them. */
    private static final List<String> STATS_COUNTERS = List.of("campaigns", "wishes", "units", "remaining", "claimed",
            "fulfilled", "confirmed", "cancelled", "expired", "rated");

    /** Creation order, as the engine lists campaigns and restores them: createdAt, then c-N number, then id. */
    private static final Comparator<JsonNode> BY_CREATION = Comparator.comparing(
            (JsonNode c) -> new ListingKey(instant(c, "createdAt").toEpochMilli(), c.path("id").asText(), 0));

    /** Oldest first: claimedAt, then claim number (the engine's order for claims made in one millisecond). */
    private static final Comparator<JsonNode> BY_CLAIM_TIME = Comparator
            .comparing((JsonNode c) -> instant(c, "claimedAt"))
            .thenComparingLong(c -> ClaimBlocks.numberOf(c.path("id").asText()))
            .thenComparing(c -> c.path("id").asText());

    private static final Comparator<JsonNode> BY_ENTRY_TIME = Comparator
            .comparing((JsonNode e) -> instant(e, "enteredAt"))
            .thenComparing(e -> e.path("campaignId").asText())
            .thenComparingLong(e -> org.wishengine.wish.core.Entry.arrivalOf(e.path("entryId").asText()));

    private ListingMerge() {
    }

    /** {@code GET /api/campaigns}: {@code {"campaigns": [...]}}, every node's campaigns in creation order. */
    public static byte[] campaigns(List<byte[]> parts) {
        return mergedArray(parts, "campaigns", BY_CREATION);
    }

    /** {@code GET /api/me/claims}: {@code {"claims": [...]}}, every node's claims of the user, oldest first. */
    public static byte[] claims(List<byte[]> parts) {
        return mergedArray(parts, "claims", BY_CLAIM_TIME);
    }

    /**
     * {@code GET /api/me/entries}: {@code {"entries": [...]}}, every node's entries of the user,
     * oldest first. An entry id names an entry within its campaign only, so the campaign is part
     * of what tells two entries apart.
     */
    public static byte[] entries(List<byte[]> parts) {
        return mergedArray(parts, "entries", BY_ENTRY_TIME,
                e -> e.path("campaignId").asText() + "/" + e.path("entryId").asText());
    }

    /**
     * {@code GET /api/stats} over every campaign: the counters summed; {@code satisfaction}, the
     * share of ratings of 4 or 5, recomputed from each part's share times its {@code rated}
     * ({@code null} when nothing is rated). Stats of one campaign ({@code ?campaign=}) come from
     * its owner alone and are not merged: a part naming a campaign is refused.
     */
    public static byte[] stats(List<byte[]> parts) {
        List<JsonNode> bodies = new ArrayList<>(parts.size());
        for (byte[] part : parts) {
            JsonNode stats = read(part);
            if (stats.has("campaignId")) {
                throw new IllegalArgumentException("stats of one campaign are its owner's answer, not merged: "
                        + stats.get("campaignId").asText());
            }
            bodies.add(stats);
        }
        return write(summed(bodies, JSON.createObjectNode()));
    }

    /**
     * {@code GET /api/stats?org=}: an org's subtree on every node, its totals summed as
     * {@link #stats} sums them, and its children's rows summed per child org, in the order the
     * first part lists them (every node holds the same tree; a child only some list yet comes
     * after). {@code org} and {@code name} (absent for the whole district) come from the first part.
     */
    public static byte[] orgStats(List<byte[]> parts) {
        List<JsonNode> bodies = new ArrayList<>(parts.size());
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        Map<String, JsonNode> firstRow = new LinkedHashMap<>();
        for (byte[] part : parts) {
            JsonNode stats = read(part);
            if (!stats.path("children").isArray()) {
                throw new IllegalArgumentException("not the statistics of a subtree");
            }
            bodies.add(stats);
            for (JsonNode row : stats.get("children")) {
                String org = row.path("org").asText();
                rows.computeIfAbsent(org, id -> new ArrayList<>()).add(row);
                firstRow.putIfAbsent(org, row);
            }
        }
        ObjectNode merged = JSON.createObjectNode();
        JsonNode first = bodies.isEmpty() ? JSON.createObjectNode() : bodies.get(0);
        if (first.has("org")) {
            merged.set("org", first.get("org"));
            merged.set("name", first.get("name"));
        }
        summed(bodies, merged);
        ArrayNode children = merged.putArray("children");
        for (Map.Entry<String, List<JsonNode>> child : rows.entrySet()) {
            JsonNode row = firstRow.get(child.getKey());
            ObjectNode summedRow = JSON.createObjectNode();
            summedRow.set("org", row.get("org"));
            summedRow.set("name", row.get("name"));
            summedRow.set("retired", row.get("retired"));
            children.add(summed(child.getValue(), summedRow));
        }
        return write(merged);
    }

    /** Writes into {@code into} the counters of {@code parts} summed, and their satisfaction recomputed. */
    private static ObjectNode summed(List<JsonNode> parts, ObjectNode into) {
        long[] sums = new long[STATS_COUNTERS.size()];
        long satisfied = 0;
        for (JsonNode stats : parts) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] += counter(stats, STATS_COUNTERS.get(i));
            }
            long rated = counter(stats, "rated");
            JsonNode satisfaction = stats.path("satisfaction");
            if (rated > 0 && satisfaction.isNumber()) {
                // The share was satisfied / rated with both whole numbers: rounding gets the count back exactly.
                satisfied += Math.round(satisfaction.doubleValue() * rated);
            }
        }
        for (int i = 0; i < sums.length; i++) {
            into.put(STATS_COUNTERS.get(i), sums[i]);
        }
        long rated = sums[STATS_COUNTERS.indexOf("rated")];
        if (rated == 0) {
            into.putNull("satisfaction");
        } else {
            into.put("satisfaction", (double) satisfied / rated);
        }
        return into;
    }

    /**
     * {@code GET /api/wishes} over every node: each part is a node's page read from the same key
     * on ({@code {"wishes": [...], "keys": [...], "nextCursor": key}}); the answer is the first
     * {@code limit} wishes of all parts in listing order, and the key of the first wish not in it
     * as {@code nextCursor}: the least of the next part wish left out and the next key of each part
     * whose every wish went in (its following wishes all come after what it sent).
     */
    public static byte[] wishes(List<byte[]> parts, int limit) {
        List<JsonNode> wishes = new ArrayList<>();
        List<ListingKey> keys = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<ListingKey> nextOfPart = new ArrayList<>();
        List<Integer> sentByPart = new ArrayList<>();
        for (byte[] part : parts) {
            JsonNode page = read(part);
            JsonNode partWishes = page.get("wishes");
            JsonNode partKeys = page.get("keys");
            if (partWishes == null || partKeys == null || partWishes.size() != partKeys.size()) {
                throw new IllegalArgumentException("a wish listing part without a key for each wish");
            }
            for (int i = 0; i < partWishes.size(); i++) {
                wishes.add(partWishes.get(i));
                keys.add(key(partKeys.get(i).asText()));
                owners.add(nextOfPart.size());
            }
            JsonNode next = page.get("nextCursor");
            nextOfPart.add(next == null || next.isNull() ? null : key(next.asText()));
            sentByPart.add(partWishes.size());
        }
        Integer[] order = new Integer[wishes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparing(keys::get));
        ObjectNode merged = JSON.createObjectNode();
        ArrayNode array = merged.putArray("wishes");
        int[] taken = new int[parts.size()];
        int count = Math.min(limit, order.length);
        for (int i = 0; i < count; i++) {
            array.add(wishes.get(order[i]));
            taken[owners.get(order[i])]++;
        }
        ListingKey next = count < order.length ? keys.get(order[count]) : null;
        for (int part = 0; part < parts.size(); part++) {
            ListingKey partNext = nextOfPart.get(part);
            if (partNext != null && taken[part] == sentByPart.get(part) && (next == null || partNext.compareTo(next) < 0)) {
                next = partNext;
            }
        }
        if (next != null) {
            merged.put("nextCursor", next.toString());
        }
        return write(merged);
    }

    private static ListingKey key(String text) {
        ListingKey key = ListingKey.parse(text);
        if (key == null) {
            throw new IllegalArgumentException("not a listing key: " + text);
        }
        return key;
    }

    private static byte[] mergedArray(List<byte[]> parts, String field, Comparator<JsonNode> order) {
        return mergedArray(parts, field, order, e -> e.path("id").asText());
    }

    private static byte[] mergedArray(List<byte[]> parts, String field, Comparator<JsonNode> order,
                                      java.util.function.Function<JsonNode, String> identity) {
        List<JsonNode> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (byte[] part : parts) {
            JsonNode array = read(part).get(field);
            if (array == null || !array.isArray()) {
                throw new IllegalArgumentException("a listing part without a \"" + field + "\" array");
            }
            for (JsonNode entry : array) {
                if (seen.add(identity.apply(entry))) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(order); // stable: equal keys keep the order of the parts
        ObjectNode merged = JSON.createObjectNode();
        ArrayNode array = merged.putArray(field);
        array.addAll(entries);
        return write(merged);
    }

    private static long counter(JsonNode stats, String name) {
        JsonNode value = stats.get(name);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("a stats part without a whole number \"" + name + "\"");
        }
        return value.longValue();
    }

    private static Instant instant(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("a listing entry without \"" + field + "\": " + entry);
        }
        return Instant.parse(value.asText());
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("a listing part is not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
