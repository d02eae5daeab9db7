package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.WishEvent;

class EventJournalTest {

    private static WishEvent claimed(String wish, int remaining) {
        return new WishEvent(WishEvent.Type.CLAIMED, wish, "c-1", "cl-" + remaining, remaining);
    }

    @Test
    void shouldGiveBackTheNewestEventsAsTheirFramesShowThem() {
        EventJournal journal = new EventJournal(4);
        long first = 1_700_000_000_000_001L; // ids start from the clock in microseconds
        for (int i = 0; i < 10; i++) {
            journal.put(first + i, claimed("w-" + i, 100 - i));
        }
        for (int i = 6; i < 10; i++) {
            WishEvent kept = journal.get(first + i);
            assertEquals(WishEvent.Type.CLAIMED, kept.type());
            assertEquals("w-" + i, kept.wishId());
            assertEquals("c-1", kept.campaignId());
            assertEquals(100 - i, kept.remaining());
            assertNull(kept.claimId(), "no frame shows the claim's id, so it is not kept");
        }
    }

    @Test
    void shouldKeepEveryTypeOfAWishEvent() {
        EventJournal journal = new EventJournal(8);
        WishEvent.Type[] types = {WishEvent.Type.CLAIMED, WishEvent.Type.RELEASED, WishEvent.Type.SOLD_OUT,
            WishEvent.Type.FULFILLED, WishEvent.Type.CONFIRMED};
        for (int i = 0; i < types.length; i++) {
            journal.put(i, new WishEvent(types[i], "w", "c", "cl-9", i));
        }
        for (int i = 0; i < types.length; i++) {
            assertEquals(new WishEvent(types[i], "w", "c", null, i), journal.get(i));
        }
    }

    @Test
    void shouldKeepCampaignAndDrawEventsWholeUntilTheirSlotIsReused() {
        EventJournal journal = new EventJournal(2);
        WishEvent campaign = new WishEvent(WishEvent.Type.CAMPAIGN, null, "c-7", null, 30, "Spring wishes",
                1_800_000_000_000L);
        WishEvent draw = new WishEvent(WishEvent.Type.DRAW, null, "c-7", null, 12);
        journal.put(10, campaign);
        journal.put(11, draw);
        assertSame(campaign, journal.get(10));
        assertSame(draw, journal.get(11));

        journal.put(12, claimed("w-1", 29)); // takes the campaign event's slot
        WishEvent kept = journal.get(12);
        assertEquals("w-1", kept.wishId());
        assertNull(kept.title(), "nothing of the campaign event that held the slot before");
        assertEquals(0, kept.opensAt());
    }

    @Test
    void shouldRefuseAnEmptyWindow() {
        assertThrows(IllegalArgumentException.class, () -> new EventJournal(0));
    }
}
