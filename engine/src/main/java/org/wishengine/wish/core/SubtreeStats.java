package org.wishengine.wish.core;

import java.util.List;

/**
 * Statistics of an organiser's subtree: {@code totals} over every campaign of {@code org} and
 * its descendants, and one row per child org with that child's own subtree totals. For the whole
 * district ({@code org} null) the totals count every campaign, unscoped ones too, and the rows
 * are the roots. Read in O(children): the book keeps every subtree's counts as claims move.
 */
public record SubtreeStats(Org org, Stats totals, List<Row> children) {

    public SubtreeStats {
        children = List.copyOf(children);
    }

    /** One child org and the totals of its subtree. */
    public record Row(Org org, Stats stats) {
    }
}
