package org.wishengine.wish.core;

import java.util.List;

/**
 * One page of a wish listing: the matching wishes from the cursor on, at most the page's limit,
 * and where the next page starts.
 *
 * <p>Positions count wishes in listing order (campaigns in creation order, each campaign's wishes
 * in the order the organiser listed them). Wishes are never deleted and new campaigns are only
 * ever appended, and recovery restores the same order, so a position names the same wish for as
 * long as the data lives: a walk over the pages sees every wish once, whatever is claimed or
 * created meanwhile. The cursor is that position written in base 10; clients treat it as opaque.
 *
 * <p>A page read from a {@link ListingKey} (a part of a cluster's combined listing) carries the
 * key of each wish and of the next matching one instead, since positions mean nothing across nodes.
 *
 * @param wishes  the page, in listing order
 * @param next    the position of the next matching wish, or -1 on the last page (or a keyed page)
 * @param keys    each wish's key on a keyed page, else null
 * @param nextKey the key of the next matching wish on a keyed page, else null
 */
public record WishPage(List<WishView> wishes, int next, List<ListingKey> keys, ListingKey nextKey) {

    /** Page size when the client names none: about 90 kB of JSON, so no single answer is large. */
    public static final int DEFAULT_LIMIT = 500;
    /** The largest page a client may ask for (about 175 kB of JSON). */
    public static final int MAX_LIMIT = 1000;

    public WishPage {
        wishes = List.copyOf(wishes);
        keys = keys == null ? null : List.copyOf(keys);
    }

    /** A page of one book's listing, by position. */
    public WishPage(List<WishView> wishes, int next) {
        this(wishes, next, null, null);
    }

    /** The cursor of the next page, or null on the last page. */
    public String nextCursor() {
        if (keys != null) {
            return nextKey == null ? null : nextKey.toString();
        }
        return next < 0 ? null : Integer.toString(next);
    }

    /**
     * A non-negative base-10 integer of at most 9 digits, without sign or leading zeros, as
     * cursors are written (and limits are read); -1 for anything else.
     */
    public static int decimal(String text) {
        if (text == null || text.isEmpty() || text.length() > 9 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
