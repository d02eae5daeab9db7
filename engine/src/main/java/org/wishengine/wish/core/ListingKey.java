package org.wishengine.wish.core;

import java.util.Comparator;

/**
 * Where a wish stands in the listing of a whole cluster: its campaign's creation time and id,
 * and its place among the campaign's wishes. Unlike a listing position, which counts the wishes
 * of one book, a key means the same wish on every node and stays valid when campaigns move
 * between nodes, so it is what a cluster hands out as the cursor of a combined wish listing
 * ({@code <createdAt>.<campaignId>.<offset>}; ids never contain a dot).
 *
 * <p>Keys are ordered as the book lists campaigns: creation time, then the number of a
 * {@code c-N} id, then the id, then the wish's place in its campaign.
 */
public record ListingKey(long createdAt, String campaignId, int offset) implements Comparable<ListingKey> {

    /** Before every wish: where a listing without a cursor starts. */
    public static final ListingKey FIRST = new ListingKey(Long.MIN_VALUE, "", 0);

    /** Campaigns in listing order (creation time, then c-N number, then id), as the book relists them. */
    public static final Comparator<ListingKey> ORDER = Comparator.comparingLong(ListingKey::createdAt)
            .thenComparingLong(key -> Book.numberIn(key.campaignId(), "c-"))
            .thenComparing(ListingKey::campaignId)
            .thenComparingInt(ListingKey::offset);

    @Override
    public int compareTo(ListingKey other) {
        return ORDER.compare(this, other);
    }

    /** The key of the wish after this one in the same campaign. */
    public ListingKey next() {
        return new ListingKey(createdAt, campaignId, offset + 1);
    }

    @Override
    public String toString() {
        return createdAt + "." + campaignId + "." + offset;
    }

    /** A key as {@link #toString} writes it, or null when {@code text} is not one. */
    public static ListingKey parse(String text) {
        if (text == null) {
            return null;
        }
        int first = text.indexOf('.');
        int last = text.lastIndexOf('.');
        if (first <= 0 || last <= first + 1 || last == text.length() - 1 || last - first - 1 > 64) {
            return null;
        }
        String campaign = text.substring(first + 1, last);
        if (!CampaignRules.ID.matcher(campaign).matches()) {
            return null;
        }
        try {
            long createdAt = Long.parseLong(text.substring(0, first));
            int offset = WishPage.decimal(text.substring(last + 1));
            return createdAt < 0 || offset < 0 ? null : new ListingKey(createdAt, campaign, offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
