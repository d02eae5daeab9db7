package org.wishengine.wish.http;

import org.wishengine.wish.core.WishEvent;

/**
 * The last events sent, by id, for a client that reconnects with {@code Last-Event-ID}: a ring
 * of the fields a frame is made of, not of the events themselves. Each claim's event is a fresh
 * object (with its claim's id, which no frame shows); a ring of those objects kept the last few
 * thousand claims' events alive at every young collection, which then copied them to the old
 * generation to die there. The fields kept instead are the type, the remaining count and the
 * wish's and campaign's ids, which are the book's own long-lived strings. The rare campaign and
 * draw events are kept whole (their title and opening time). Guarded by its owner's lock.
 */
final class EventJournal {

    private static final WishEvent.Type[] TYPES = WishEvent.Type.values();

    private final byte[] types;
    private final int[] remaining;
    private final String[] wishIds;
    private final String[] campaignIds;
    /** Campaign and draw events whole; null in the slots of wish events. */
    private final WishEvent[] whole;

    EventJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an event journal keeps at least one event, not " + capacity);
        }
        types = new byte[capacity];
        remaining = new int[capacity];
        wishIds = new String[capacity];
        campaignIds = new String[capacity];
        whole = new WishEvent[capacity];
    }

    /** How many events it keeps: the newest {@code capacity()} ids. */
    int capacity() {
        return types.length;
    }

    /** Keeps the event sent with this id, in the place of the one {@link #capacity()} ids before it. */
    void put(long id, WishEvent event) {
        int slot = slot(id);
        types[slot] = (byte) event.type().ordinal();
        remaining[slot] = event.remaining();
        wishIds[slot] = event.wishId();
        campaignIds[slot] = event.campaignId();
        boolean ofAWish = event.type() != WishEvent.Type.CAMPAIGN && event.type() != WishEvent.Type.DRAW;
        whole[slot] = ofAWish ? null : event;
    }

    /**
     * The event kept with this id, as its frame shows it (a wish event comes back without its
     * claim's id, which no frame carries). The caller asks only for ids still in the window.
     */
    WishEvent get(long id) {
        int slot = slot(id);
        WishEvent kept = whole[slot];
        if (kept != null) {
            return kept;
        }
        return new WishEvent(TYPES[types[slot]], wishIds[slot], campaignIds[slot], null, remaining[slot]);
    }

    private int slot(long id) {
        return (int) Math.floorMod(id, (long) types.length);
    }
}
