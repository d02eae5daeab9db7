package org.wishengine.wish.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.core.Result;

/**
 * The commit stage as it ships (one batch on the wire at a time) against a store the test drives
 * by hand: it decides when each batch is durable and which attempts fail.
 */
@Timeout(10)
class CommitStageTest {

    /** A store whose asynchronous commits complete when the test says so. */
    private static final class HandDrivenStore implements BatchStore {
        final List<Batch> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();
        final List<Batch> committedSync = new CopyOnWriteArrayList<>();
        final Map<String, Claim> durable = new ConcurrentHashMap<>();
        volatile int syncFailuresLeft;

        @Override
        public void commit(Batch batch) throws Exception {
            if (syncFailuresLeft > 0) {
                syncFailuresLeft--;
                throw new IllegalStateException("store still down");
            }
            committedSync.add(batch);
            apply(batch);
        }

        @Override
        public CompletionStage<Void> commitAsync(Batch batch) {
            sent.add(batch);
            CompletableFuture<Void> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        void succeed(int index) {
            apply(sent.get(index));
            answers.get(index).complete(null);
        }

        void fail(int index) {
            answers.get(index).completeExceptionally(new IllegalStateException("connection lost"));
        }

        private void apply(Batch batch) {
            for (Claim claim : batch.claims()) {
                durable.put(claim.id(), claim);
            }
        }
    }

    private final HandDrivenStore store = new HandDrivenStore();
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private final List<String> writerErrors = new CopyOnWriteArrayList<>();
    private final CommitStage stage = new CommitStage(store, new RingObserver() {
        @Override
        public void writerError(String where, org.wishengine.wish.core.Command command, Throwable cause) {
            writerErrors.add(where + ": " + cause.getMessage());
        }
    }, 100, 1_000);

    private void batchOf(String label, Claim... claims) throws InterruptedException {
        batchOf(() -> delivered.add(label), claims);
    }

    private void batchOf(Runnable delivery, Claim... claims) throws InterruptedException {
        for (Claim claim : claims) {
            RingEntry entry = new RingEntry();
            entry.reply = new Reply.ClaimDecision(new Outcome(Result.CREATED, claim, null, null));
            stage.collect(entry);
        }
        stage.submit(delivery);
    }

    /** Submits from another thread, as the ring thread would while the test plays the store. */
    private CompletableFuture<Void> batchLater(String label, Claim... claims) {
        return CompletableFuture.runAsync(() -> {
            try {
                batchOf(label, claims);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitSent(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.sent.size() < count) {
            assertTrue(System.nanoTime() < deadline, "batch " + count + " was never sent");
            Thread.onSpinWait();
        }
    }

    private static Claim claim(String id, ClaimStatus status) {
        return new Claim(id, "w-1", "c-1", "alice", status, 1, 0, 0, status == ClaimStatus.CANCELLED ? 2 : 0, 0, 0, null);
    }

    @Test
    void shouldDeliverNothingBeforeItsBatchIsDurable() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        assertEquals(List.of(), delivered);
        store.succeed(0);
        assertEquals(List.of("a"), delivered);
    }

    @Test
    void shouldHoldTheRingThreadBackWhileABatchIsOnTheWire() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        CompletableFuture<Void> second = batchLater("b", claim("cl-2", ClaimStatus.CLAIMED));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> second.get(200, TimeUnit.MILLISECONDS),
                "the second batch waits for the first");
        assertEquals(1, store.sent.size());
        store.succeed(0);
        second.get(5, TimeUnit.SECONDS);
        awaitSent(2);
        store.succeed(1);
        assertEquals(List.of("a", "b"), delivered);
    }

    @Test
    void shouldNumberBatchesUpwardFromTheFirstSequence() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        store.succeed(0);
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED));
        assertEquals(100, store.sent.get(0).sequence());
        assertEquals(101, store.sent.get(1).sequence());
    }

    @Test
    void shouldDeliverAReadOnlyBatchInTurnWithoutWritingIt() throws Exception {
        batchOf("write", claim("cl-1", ClaimStatus.CLAIMED));
        CompletableFuture<Void> read = batchLater("read");
        assertThrows(java.util.concurrent.TimeoutException.class, () -> read.get(200, TimeUnit.MILLISECONDS));
        assertEquals(List.of(), delivered, "the read waits for the write before it");
        store.succeed(0);
        read.get(5, TimeUnit.SECONDS);
        assertEquals(1, store.sent.size(), "an empty batch is not sent");
        assertEquals(List.of("write", "read"), delivered);
    }

    @Test
    void shouldResendAFailedBatchUnderItsOwnSequenceUntilItSticks() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED), claim("cl-2", ClaimStatus.CLAIMED));
        store.syncFailuresLeft = 2;
        store.fail(0);
        assertTrue(stage.drain(5_000), "the repair finishes");
        assertEquals(List.of("a"), delivered);
        assertEquals(1, store.committedSync.size(), "two failed retries, then one that stuck");
        assertEquals(100, store.committedSync.get(0).sequence(), "the store skips a sequence it has applied");
        assertEquals(ClaimStatus.CLAIMED, store.durable.get("cl-2").status());
        batchOf("b", claim("cl-3", ClaimStatus.CLAIMED));
        assertEquals(101, store.sent.get(1).sequence());
    }

    @Test
    void shouldLetTheRingThreadSendTheNextBatchWhileTheLastOneIsStillBeingDelivered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch delivering = new CountDownLatch(1);
        batchOf(() -> {
            delivering.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add("a");
        }, claim("cl-1", ClaimStatus.CLAIMED));
        CompletableFuture<Void> firstCommit = CompletableFuture.runAsync(() -> store.succeed(0));
        assertTrue(delivering.await(5, TimeUnit.SECONDS));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED)); // returns although a's delivery still runs
        assertEquals(2, store.sent.size());
        store.succeed(1); // this thread finds a delivery under way and leaves b's to it
        assertEquals(List.of(), delivered, "b is not delivered before a");
        release.countDown();
        firstCommit.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b"), delivered);
    }

    @Test
    void shouldGoOnDeliveringAfterADeliveryThrows() throws Exception {
        batchOf(() -> {
            throw new IllegalStateException("broken replier");
        }, claim("cl-1", ClaimStatus.CLAIMED));
        store.succeed(0);
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED));
        store.succeed(1);
        assertEquals(List.of("b"), delivered);
        assertEquals(List.of("delivery: broken replier"), writerErrors);
    }

    @Test
    void shouldTakeBackWhatWasCollectedSinceAMark() throws Exception {
        RingEntry first = new RingEntry();
        first.reply = new Reply.ClaimDecision(new Outcome(Result.CREATED, claim("cl-1", ClaimStatus.CLAIMED), null, null));
        stage.collect(first);
        long mark = stage.mark();
        RingEntry failing = new RingEntry();
        failing.reply = new Reply.Expiry(List.of(claim("cl-2", ClaimStatus.EXPIRED), claim("cl-3", ClaimStatus.EXPIRED)),
                List.of());
        stage.collect(failing);
        stage.discardSince(mark);
        stage.submit(() -> delivered.add("a"));
        assertEquals(List.of("cl-1"), store.sent.get(0).claims().stream().map(Claim::id).toList());
    }
}
