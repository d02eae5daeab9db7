package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.cluster.LeaseAnswer;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.ring.WriterFenced;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.LocalRedis;
import org.wishengine.wish.store.RedisLeases;
import org.wishengine.wish.store.RedisStore;

/**
 * The lease and commit scripts against a real Redis: epochs only grow, a lease is judged by
 * Redis's clock, and a commit under an epoch that is no longer the lease's writes nothing.
 */
@Timeout(60)
class RedisLeasesIT {

    private static final String KEY = Keys.WRITER_LEASE;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final NodeIdentity A = new NodeIdentity("a", "host-a", 11);
    private static final NodeIdentity B = new NodeIdentity("b", "host-b", 22);
    private static final String CAMPAIGN = "c-fence";

    @TempDir
    Path tmp;

    private LocalRedis redis;
    private RedisStore storeA;
    private RedisStore storeB;
    private RedisLeases leases;

    @BeforeEach
    void start() {
        redis = LocalRedis.start(tmp);
        storeA = RedisStore.connect(redis.uri(), Duration.ofSeconds(5));
        storeB = RedisStore.connect(redis.uri(), Duration.ofSeconds(5));
        leases = storeA.leases();
    }

    @AfterEach
    void stop() {
        storeA.close();
        storeB.close();
        redis.stop();
    }

    private LeaseAnswer acquire(NodeIdentity node, Duration lease) {
        return leases.acquire(KEY, node, lease).toCompletableFuture().join();
    }

    @Test
    void shouldGrantAFreeLeaseAndRefuseOthersWhileItRuns() {
        LeaseAnswer first = acquire(A, LEASE);
        assertTrue(first.granted());
        assertEquals(1, first.holder().epoch());
        assertEquals("a", first.holder().node());

        LeaseAnswer refused = acquire(B, LEASE);
        assertFalse(refused.granted());
        assertEquals("a", refused.holder().node());
        assertEquals("host-a", refused.holder().host());
        assertEquals("11", refused.holder().pid());
        assertEquals(1, refused.holder().epoch());
        assertTrue(refused.holder().remainingMillis() > 25_000 && refused.holder().remainingMillis() <= 30_000,
                refused::toString);
    }

    @Test
    void shouldRenewOnlyTheCurrentEpochsLease() {
        long epoch = acquire(A, LEASE).holder().epoch();
        assertTrue(leases.renew(KEY, A, epoch, LEASE).toCompletableFuture().join().granted());
        assertFalse(leases.renew(KEY, A, epoch - 1, LEASE).toCompletableFuture().join().granted(), "a stale epoch");
        assertFalse(leases.renew(KEY, B, epoch, LEASE).toCompletableFuture().join().granted(), "another node");
    }

    @Test
    void shouldLetAReleasedLeaseBeTakenAtOnceUnderAHigherEpoch() {
        long epoch = acquire(A, LEASE).holder().epoch();
        assertTrue(leases.release(KEY, A, epoch).toCompletableFuture().join().granted());
        LeaseAnswer taken = acquire(B, LEASE);
        assertTrue(taken.granted());
        assertEquals(epoch + 1, taken.holder().epoch(), "releasing keeps the epoch, so it never repeats");
        assertFalse(leases.release(KEY, A, epoch).toCompletableFuture().join().granted(),
                "a former holder cannot release its successor's lease");
        assertFalse(leases.renew(KEY, A, epoch, LEASE).toCompletableFuture().join().granted());
    }

    @Test
    void shouldLetALeaseRunOutOnRedisClock() throws Exception {
        acquire(A, Duration.ofMillis(300));
        GrabSupport.await("a's lease to run out", Duration.ofSeconds(5), () -> acquire(B, LEASE).granted());
        assertEquals(3, acquire(B, LEASE).holder().epoch(), "b taking its own lease again bumps the epoch too");
    }

    @Test
    void shouldWriteNothingForAWriterWhoseEpochIsNoLongerTheLeases() throws Exception {
        storeA.fenceWith(KEY, acquire(A, LEASE).holder().epoch());
        storeA.commit(batch(1, true, "cl-1"));
        assertEquals(1, journalLength());

        assertFalse(acquire(B, LEASE).granted(), "a holds the lease");
        storeB.fenceWith(KEY, 2); // an epoch b was never granted
        assertThrows(WriterFenced.class, () -> storeB.commit(batch(2, false, "cl-2")),
                "a writer that never held the lease's current epoch writes nothing");
        assertEquals(1, journalLength());

        storeA.sync().hset(KEY, "until", "0"); // a's lease runs out, as if a had frozen
        long epochB = acquire(B, LEASE).holder().epoch();
        storeB.fenceWith(KEY, epochB);
        storeB.commit(batch(10, false, "cl-2"));
        assertEquals(2, journalLength());

        assertThrows(WriterFenced.class, () -> storeA.commit(batch(2, false, "cl-3")),
                "the old writer wakes up: its next batch is refused");
        assertEquals(2, journalLength(), "and nothing of it was written");
        assertEquals("10:" + epochB, storeA.sync().get(Keys.sequence(CAMPAIGN)));
    }

    @Test
    void shouldSkipABatchAlreadyAppliedUnderTheSameEpoch() throws Exception {
        storeA.fenceWith(KEY, acquire(A, LEASE).holder().epoch());
        storeA.commit(batch(5, true, "cl-1"));
        storeA.commit(batch(5, true, "cl-1")); // Lettuce re-sending after a reconnect
        storeA.commit(batch(4, false, "cl-0"));
        assertEquals(1, journalLength());
    }

    @Test
    void shouldRetryRatherThanStopWhenRedisLostTheLeaseRecord() throws Exception {
        long epoch = acquire(A, LEASE).holder().epoch();
        storeA.fenceWith(KEY, epoch);
        storeA.sync().del(KEY);
        Exception missing = assertThrows(Exception.class, () -> storeA.commit(batch(1, true, "cl-1")));
        assertInstanceOf(IllegalStateException.class, missing, "a retriable failure, not a fence");
        assertEquals(0, journalLength());
        assertTrue(leases.renew(KEY, A, epoch, LEASE).toCompletableFuture().join().granted(),
                "the holder restores the record it still holds");
        storeA.commit(batch(1, true, "cl-1"));
        assertEquals(1, journalLength());
    }

    private long journalLength() {
        return storeA.sync().llen(Keys.journal(CAMPAIGN));
    }

    private static Batch batch(long sequence, boolean withCampaign, String claimId) {
        return GrabSupport.oneClaimBatch(CAMPAIGN, sequence, withCampaign, claimId);
    }
}
