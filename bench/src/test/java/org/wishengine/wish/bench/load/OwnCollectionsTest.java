package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OwnCollectionsTest {

    @Test
    void shouldSayNoneWhenNothingWasCollectedInTheWindow() {
        try (OwnCollections own = new OwnCollections()) {
            own.windowOpened();
            own.windowClosed();
            assertEquals("load generator's own collections in the window: none", own.summary());
        }
    }

    @Test
    @Timeout(30)
    void shouldCountACollectionInsideTheWindow() throws Exception {
        try (OwnCollections own = new OwnCollections()) {
            own.windowOpened();
            System.gc();
            // The JVM tells of a collection on its own notification thread, a little later.
            while (own.summary().endsWith("none")) {
                TimeUnit.MILLISECONDS.sleep(10);
                System.gc();
            }
            own.windowClosed();
            assertTrue(own.summary().matches("load generator's own collections in the window: \\d+, \\d+ ms in all, "
                    + "longest \\d+ ms \\(.+\\)"), own.summary());
        }
    }
}
