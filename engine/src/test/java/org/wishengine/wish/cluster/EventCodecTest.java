package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.WishEvent;

class EventCodecTest {

    @Test
    void shouldCarryEveryKindOfEventAcrossUnchanged() {
        List<WishEvent> events = List.of(
                new WishEvent(WishEvent.Type.CLAIMED, "w-1", "c-1", "cl-1025", 4),
                new WishEvent(WishEvent.Type.SOLD_OUT, "w-1", "c-1", "cl-1025", 0),
                new WishEvent(WishEvent.Type.RELEASED, "w-2", "c-1", "cl-1030", 1),
                new WishEvent(WishEvent.Type.CAMPAIGN, null, "c-2", null, 300, "冬日暖心\tline\nnext \\ end", 1_764_000_000_000L));

        String message = EventCodec.encode("n2", events);

        assertEquals("n2", EventCodec.sender(message));
        assertEquals(events, EventCodec.decode(message));
    }

    @Test
    void shouldTellAnEmptyTitleFromNone() {
        List<WishEvent> events = List.of(new WishEvent(WishEvent.Type.CAMPAIGN, null, "c-3", null, 1, "", 5));
        assertEquals(events, EventCodec.decode(EventCodec.encode("n1", events)));
    }
}
