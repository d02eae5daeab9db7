package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListingKeyTest {

    @Test
    void shouldReadBackWhatItWrites() {
        ListingKey key = new ListingKey(1_764_651_106_311L, "winter_2026-a", 17);
        assertEquals("1764651106311.winter_2026-a.17", key.toString());
        assertEquals(key, ListingKey.parse(key.toString()));
    }

    @Test
    void shouldRefuseWhatIsNotAKey() {
        for (String text : new String[] {null, "", "17", "1.c-1", ".c-1.0", "1..0", "1.c-1.", "x.c-1.0", "1.c 1.0",
                "1.c-1.01", "-5.c-1.0", "1.c-1.-1", "1." + "a".repeat(65) + ".0"}) {
            assertNull(ListingKey.parse(text), text);
        }
    }

    @Test
    void shouldOrderAsTheBookListsCampaigns() {
        List<ListingKey> keys = new ArrayList<>(List.of(
                new ListingKey(2, "c-1", 0), new ListingKey(1, "c-10", 0), new ListingKey(1, "c-9", 1),
                new ListingKey(1, "c-9", 0), new ListingKey(1, "alpha", 0), ListingKey.FIRST));
        keys.sort(null);
        assertEquals(List.of(ListingKey.FIRST, new ListingKey(1, "alpha", 0), new ListingKey(1, "c-9", 0),
                new ListingKey(1, "c-9", 1), new ListingKey(1, "c-10", 0), new ListingKey(2, "c-1", 0)), keys);
        assertTrue(new ListingKey(1, "c-9", 0).next().compareTo(new ListingKey(1, "c-9", 1)) == 0);
    }
}
