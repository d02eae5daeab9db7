package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.it.AdjustableClock;

/** The revocation list as the event loops read it: one atomic snapshot, reloaded from a source. */
class RevocationsTest {

    private final AdjustableClock clock = new AdjustableClock();
    private final InMemoryRevocationSource source = new InMemoryRevocationSource();
    private final Revocations revocations = new Revocations(source, clock, Duration.ofSeconds(30));

    private Instant inAnHour() {
        return clock.instant().plus(Duration.ofHours(1));
    }

    @Test
    void shouldSeeARevocationOnlyAfterARefresh() throws Exception {
        source.revoke("j1", inAnHour());
        assertFalse(revocations.isRevoked("j1"), "the snapshot changes only on refresh");
        revocations.refresh();
        assertTrue(revocations.isRevoked("j1"));
        assertFalse(revocations.isRevoked("j2"));
        assertEquals(1, revocations.size());
    }

    @Test
    void shouldShowANewSnapshotToEveryThreadOnceARefreshReturns() throws Exception {
        int readers = 8;
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger sawIt = new AtomicInteger();
        // Set after refresh() returns: a reader that sees it and then reads the snapshot must find
        // the revocation (happens-before through the volatile snapshot), on every thread.
        AtomicBoolean refreshed = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(readers);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Thread t = new Thread(() -> {
                started.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline) {
                    boolean after = refreshed.get();
                    boolean revoked = revocations.isRevoked("j1");
                    if (after && !revoked) {
                        stale.incrementAndGet();
                        return;
                    }
                    if (revoked) {
                        sawIt.incrementAndGet();
                        return;
                    }
                }
            }, "reader-" + i);
            t.start();
            threads.add(t);
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        source.revoke("j1", inAnHour());
        revocations.refresh();
        refreshed.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(0, stale.get(), "a reader saw the old list after the refresh");
        assertEquals(readers, sawIt.get(), "every reader sees the revocation");
    }

    @Test
    void shouldDropATokenOnceItHasExpiredBeyondTheLeeway() throws Exception {
        source.revoke("short", clock.instant().plusSeconds(10));
        source.revoke("long", inAnHour());
        revocations.refresh();
        assertTrue(revocations.isRevoked("short"));

        clock.advance(Duration.ofSeconds(10 + 29)); // the verifier still accepts "short" within its leeway
        revocations.refresh();
        assertTrue(revocations.isRevoked("short"), "dropped while the verifier would still accept it");

        clock.advance(Duration.ofSeconds(2));
        revocations.refresh();
        assertFalse(revocations.isRevoked("short"));
        assertTrue(revocations.isRevoked("long"));
        assertEquals(1, revocations.size());
    }

    @Test
    void shouldKeepTheLastSnapshotWhenTheSourceFails() throws Exception {
        AtomicReference<Map<String, Long>> list = new AtomicReference<>(Map.of("j1", inAnHour().toEpochMilli()));
        Revocations flaky = new Revocations(() -> {
            Map<String, Long> l = list.get();
            if (l == null) {
                throw new IllegalStateException("Redis is down");
            }
            return l;
        }, clock, Duration.ofSeconds(30));
        flaky.refresh();
        list.set(null);
        assertThrows(IllegalStateException.class, flaky::refresh);
        assertTrue(flaky.isRevoked("j1"));
    }

    @Test
    void shouldPickUpARevocationFromTheRefresherWithinADeadline() throws Exception {
        try (Revocations polled = new Revocations(source, clock, Duration.ofSeconds(30)).start()) {
            source.revoke("j9", inAnHour());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!polled.isRevoked("j9") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertTrue(polled.isRevoked("j9"), "the refresher never published the revocation");
            assertThrows(IllegalStateException.class, polled::start);
        }
    }

    @Test
    void shouldNeverRevokeAnythingWithoutASource() throws Exception {
        Revocations none = Revocations.none();
        none.refresh();
        assertFalse(none.isRevoked("j1"));
        assertEquals(0, none.size());
    }
}
