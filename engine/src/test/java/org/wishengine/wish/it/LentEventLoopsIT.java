package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.http.ServerTransport;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.store.CommittedClaims;
import org.wishengine.wish.store.LocalRedis;
import org.wishengine.wish.store.RedisStore;
import org.wishengine.wish.store.StoreCodec;

/**
 * The Redis client borrows the HTTP server's event loops: commits complete on those loops, and
 * closing the store leaves them serving. When the client would pick another transport it keeps
 * threads of its own, and commits still land.
 */
@Timeout(30)
class LentEventLoopsIT {

    private static final String CAMPAIGN = "lent";

    @TempDir
    Path dir;

    private LocalRedis redis;
    private ServerTransport transport;

    @BeforeEach
    void start() throws Exception {
        redis = LocalRedis.start(dir);
        transport = ServerTransport.create(2, "lent-io");
    }

    @AfterEach
    void stop() {
        transport.loops().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        redis.stop();
    }

    @Test
    void shouldCompleteCommitsOnTheLentLoopsAndLeaveThemRunningAfterClose() throws Exception {
        // Lettuce picks its transport itself (epoll on Linux, kqueue on macOS, else NIO); lending
        // needs it to match the server's.
        assumeTrue(Transports.socketChannelClass() == transport.clientChannelType(),
                "Lettuce's transport differs from the server's on this platform");
        RedisStore store = RedisStore.connect(redis.uri(), Duration.ofSeconds(5), transport.loops(),
                transport.clientChannelType());
        store.takeWriterLease(NodeIdentity.thisProcess("lent-loops-test"), Duration.ofMinutes(1));
        String thread;
        try {
            assertTrue(store.runsOnLentLoops());
            CountDownLatch hold = holdLoops();
            CompletableFuture<String> completedOn = commitOneClaim(store, "cl-1");
            hold.countDown();
            thread = completedOn.get(10, TimeUnit.SECONDS);
            assertTrue(thread.startsWith("lent-io-"), "completed on " + thread);
            assertEquals(ClaimStatus.CLAIMED, committed(store, "cl-1"));
        } finally {
            store.close();
        }
        assertFalse(transport.loops().isShuttingDown());
        assertEquals("still serving", transport.loops().submit(() -> "still serving").get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldKeepItsOwnThreadsWhenTheTransportDiffers() throws Exception {
        Class<? extends Channel> other = transport.clientChannelType() == NioSocketChannel.class
                ? EpollSocketChannel.class : NioSocketChannel.class;
        try (RedisStore store = RedisStore.connect(redis.uri(), Duration.ofSeconds(5), transport.loops(), other)) {
            assertFalse(store.runsOnLentLoops());
            store.takeWriterLease(NodeIdentity.thisProcess("lent-loops-test"), Duration.ofMinutes(1));
            CountDownLatch hold = holdLoops();
            try {
                // Completes while the HTTP loops are held: the client does not need them.
                String thread = commitOneClaim(store, "cl-2").get(10, TimeUnit.SECONDS);
                assertFalse(thread.startsWith("lent-io-"), "completed on " + thread);
            } finally {
                hold.countDown();
            }
            assertEquals(ClaimStatus.CLAIMED, committed(store, "cl-2"));
        }
    }

    /**
     * Occupies every loop until the returned latch opens, so that whatever the store sends through
     * the loops meanwhile can neither go out nor complete before the test has attached its callback.
     */
    private CountDownLatch holdLoops() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<EventExecutor> loops = new ArrayList<>();
        transport.loops().forEach(loops::add);
        CountDownLatch running = new CountDownLatch(loops.size());
        for (EventExecutor loop : loops) {
            loop.execute(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(running.await(5, TimeUnit.SECONDS), "the loops did not pick up the hold");
        return release;
    }

    /** Commits the campaign and one claim; completes with the name of the thread that saw it durable. */
    private static CompletableFuture<String> commitOneClaim(RedisStore store, String claimId) {
        long now = System.currentTimeMillis();
        Batch batch = new Batch(1);
        batch.campaigns().add(new Campaign(CAMPAIGN, "lent loops", now, 1, 168, now,
                List.of(new WishSpec("w-1", "radio", 1, null, null, null, null))));
        batch.claims().add(new Claim(claimId, "w-1", CAMPAIGN, "user-1", ClaimStatus.CLAIMED, now, 0, 0, 0, 0, 0,
                null));
        CompletableFuture<String> completedOn = new CompletableFuture<>();
        store.commitAsync(batch).whenComplete((ignored, failure) -> {
            if (failure != null) {
                completedOn.completeExceptionally(failure);
            } else {
                completedOn.complete(Thread.currentThread().getName());
            }
        });
        return completedOn;
    }

    private static ClaimStatus committed(RedisStore store, String claimId) throws Exception {
        Claim claim = CommittedClaims.read(store.sync(), new StoreCodec(), CAMPAIGN).claims().get(claimId);
        return claim == null ? null : claim.status();
    }
}
