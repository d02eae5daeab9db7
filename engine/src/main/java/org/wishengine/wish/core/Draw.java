package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One fair-start draw, start to end: what went in (seed, entries, units left, per-user limit,
 * claims held before), the drawn order and the settlement. What the writer runs when a campaign's
 * window closes; made in one step so the order, the winners and the published {@link #audit audit}
 * cannot come from different inputs. Make it with {@link #run}: the constructor only copies, it does
 * not check that the parts belong together (an audit of parts that do not fails verification).
 *
 * @param entries   the entries in arrival order
 * @param unitsLeft units of each wish unclaimed when the draw starts, by wish id
 * @param held      claims held in the campaign before the draw (see {@link DrawSettlement})
 * @param drawn     the entries in drawn order ({@link DrawOrder})
 */
public record Draw(DrawSeed seed, List<DrawEntry> entries, Map<String, Integer> unitsLeft, int perUserLimit,
                   List<DrawSettlement.Held> held, List<DrawEntry> drawn, DrawSettlement settlement) {

    private static final Comparator<DrawSettlement.Held> HELD_ORDER =
            Comparator.comparing(DrawSettlement.Held::userId).thenComparing(DrawSettlement.Held::wishId);

    public Draw {
        entries = List.copyOf(entries);
        unitsLeft = Collections.unmodifiableMap(new TreeMap<>(unitsLeft));
        held = List.copyOf(held);
        drawn = List.copyOf(drawn);
    }

    /**
     * Draws: orders {@code entries} by {@code seed} and settles them. Refuses two entries with the
     * same id or the same arrival number, since the published record lists entries by arrival.
     */
    public static Draw run(DrawSeed seed, Collection<DrawEntry> entries, Map<String, Integer> unitsLeft,
                           int perUserLimit, Collection<DrawSettlement.Held> held) {
        List<DrawEntry> byArrival = new ArrayList<>(entries);
        byArrival.sort(Comparator.comparingLong(DrawEntry::arrival));
        for (int i = 1; i < byArrival.size(); i++) {
            if (byArrival.get(i - 1).arrival() == byArrival.get(i).arrival()) {
                throw new IllegalArgumentException("two entries with arrival " + byArrival.get(i).arrival());
            }
        }
        List<DrawEntry> drawn = DrawOrder.of(seed, byArrival);
        // Sorted, so the published record is the same whatever order the caller listed them in.
        Set<DrawSettlement.Held> distinct = new TreeSet<>(HELD_ORDER);
        distinct.addAll(held);
        DrawSettlement settlement = DrawSettlement.settle(drawn, unitsLeft, perUserLimit, distinct);
        return new Draw(seed, byArrival, unitsLeft, perUserLimit, new ArrayList<>(distinct), drawn, settlement);
    }

    /** The public record of this draw, seed included: publish it only once the result is committed. */
    public DrawAudit audit(String campaignId) {
        return DrawAudit.of(campaignId, this);
    }
}
