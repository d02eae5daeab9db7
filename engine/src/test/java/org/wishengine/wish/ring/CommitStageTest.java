package org.wishengine.wish.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Result;

/**
 * The commit stage against a store the test drives by hand: it decides when each batch is
 * durable, in which order the answers arrive, and which ones fail.
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
    private final CommitStage stage = new CommitStage(store, RingObserver.NONE, 100, 1_000, 4);

    private void batchOf(String label, Claim... claims) throws InterruptedException {
        for (Claim claim : claims) {
            RingEntry entry = new RingEntry();
            entry.outcome = new Outcome(Result.CREATED, claim, null, null);
            stage.collect(entry);
        }
        stage.submit(() -> delivered.add(label));
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
    void shouldDeliverInBatchOrderWhateverOrderTheAnswersArriveIn() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED));
        batchOf("c", claim("cl-3", ClaimStatus.CLAIMED));
        store.succeed(2);
        store.succeed(1);
        assertEquals(List.of(), delivered, "b and c wait for a");
        store.succeed(0);
        assertEquals(List.of("a", "b", "c"), delivered);
    }

    @Test
    void shouldNumberBatchesUpwardFromTheFirstSequence() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED));
        assertEquals(100, store.sent.get(0).sequence());
        assertEquals(101, store.sent.get(1).sequence());
    }

    @Test
    void shouldDeliverAReadOnlyBatchInTurnWithoutWritingIt() throws Exception {
        batchOf("write", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("read");
        assertEquals(1, store.sent.size(), "an empty batch is not sent");
        assertEquals(List.of(), delivered, "the read waits for the write before it");
        store.succeed(0);
        assertEquals(List.of("write", "read"), delivered);
    }

    @Test
    void shouldRepairAFailureWithTheLatestStateOfEveryUndeliveredBatch() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("b", claim("cl-1", ClaimStatus.CANCELLED), claim("cl-2", ClaimStatus.CLAIMED));
        store.syncFailuresLeft = 2;
        store.succeed(1); // the later batch landed ...
        store.fail(0);    // ... the earlier one did not
        assertTrue(stage.drain(5_000), "the repair finishes");
        assertEquals(List.of("a", "b"), delivered);
        assertEquals(1, store.committedSync.size());
        Batch merged = store.committedSync.get(0);
        assertTrue(merged.sequence() > 101, "numbered above every batch sent before it");
        assertEquals(ClaimStatus.CANCELLED, store.durable.get("cl-1").status(), "the later state wins");
        assertEquals(ClaimStatus.CLAIMED, store.durable.get("cl-2").status());
    }

    @Test
    void shouldNumberBatchesSentAfterARepairAboveIt() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        store.fail(0);
        assertTrue(stage.drain(5_000));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED));
        assertTrue(store.sent.get(1).sequence() > store.committedSync.get(0).sequence());
    }

    @Test
    void shouldHoldTheRingThreadBackWhileTooManyBatchesAreInFlight() throws Exception {
        for (int i = 0; i < 4; i++) {
            batchOf("b" + i, claim("cl-" + (i + 1), ClaimStatus.CLAIMED));
        }
        CompletableFuture<Void> fifth = CompletableFuture.runAsync(() -> {
            try {
                batchOf("b4", claim("cl-5", ClaimStatus.CLAIMED));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(4, store.sent.size(), "the fifth batch waits for room");
        store.succeed(0);
        fifth.get(5, TimeUnit.SECONDS);
        assertEquals(5, store.sent.size());
    }
}
