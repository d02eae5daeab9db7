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
import org.wishengine.wish.core.AuditRecord;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.OrgChange;
import org.wishengine.wish.core.OrgResult;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.core.Result;

/**
 * The commit stage as it ships (one batch on the wire at a time, what is settled meanwhile waiting
 * behind it) against a store the test drives by hand: it decides when each batch is durable and
 * which attempts fail.
 */
@Timeout(10)
class CommitStageTest {

    /** A store whose asynchronous commits complete when the test says so. */
    private static final class HandDrivenStore implements BatchStore {
        final List<Batch> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();
        final List<Batch> committedSync = new CopyOnWriteArrayList<>();
        /** The threads that sent each batch. */
        final List<String> senders = new CopyOnWriteArrayList<>();
        volatile boolean mayBlock;
        final Map<String, Claim> durable = new ConcurrentHashMap<>();
        volatile int syncFailuresLeft;
        volatile boolean fencedForSync;

        @Override
        public void commit(Batch batch) throws Exception {
            if (fencedForSync) {
                throw new WriterFenced("another writer holds the lease");
            }
            if (syncFailuresLeft > 0) {
                syncFailuresLeft--;
                throw new IllegalStateException("store still down");
            }
            committedSync.add(batch);
            apply(batch);
        }

        @Override
        public boolean sendsWithoutBlocking() {
            return !mayBlock;
        }

        @Override
        public CompletionStage<Void> commitAsync(Batch batch) {
            senders.add(Thread.currentThread().getName());
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

        void fence(int index) {
            answers.get(index).completeExceptionally(new WriterFenced("another writer holds the lease"));
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
    private final List<Integer> fencedBatches = new CopyOnWriteArrayList<>();
    /** What the watchers (events, meters) were told of. */
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final WriterHealth health = new WriterHealth();
    private final RingObserver observer = new RingObserver() {
        @Override
        public void writerError(String where, org.wishengine.wish.core.Command command, Throwable cause) {
            writerErrors.add(where + ": " + cause.getMessage());
        }

        @Override
        public void fenced(WriterFenced cause, int size) {
            fencedBatches.add(size);
        }
    };
    private final CommitStage stage = new CommitStage(store, observer, health, 100, 1_000);

    /** A request waiting for its answer, as the HTTP edge's would. */
    private static final class Waiting extends PendingReply {
    }

    private void batchOf(String label, Claim... claims) throws InterruptedException {
        batchOf(() -> delivered.add(label), claims);
    }

    private void batchOf(Runnable delivery, Claim... claims) throws InterruptedException {
        batchOf(delivery, List.of(), claims);
    }

    /** A batch whose requests are {@code origins}; its watcher notes each delivery in {@link #heard}. */
    private void batchOf(Runnable delivery, List<PendingReply> origins, Claim... claims) throws InterruptedException {
        batchOf(stage, delivery, origins, claims);
    }

    private void batchOf(CommitStage target, Runnable delivery, List<PendingReply> origins, Claim... claims)
            throws InterruptedException {
        for (Claim claim : claims) {
            RingEntry entry = new RingEntry();
            entry.reply = new Reply.ClaimDecision(new Outcome(Result.CREATED, claim, null, null));
            target.collect(entry);
        }
        BatchVerdict verdict = new BatchVerdict();
        for (PendingReply origin : origins) {
            origin.answer(new Reply.ClaimDecision(new Outcome(Result.CREATED, claims.length > 0 ? claims[0]
                    : claim("cl-0", ClaimStatus.CLAIMED), null, null)), null, verdict); // as the reply stage does
        }
        target.submit(new BatchDelivery(verdict, delivery, new Runnable[] {() -> heard.add("batch")}, observer), System.nanoTime());
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
        assertEquals(List.of("batch"), heard, "the watchers hear of a committed batch after its answers");
    }

    @Test
    void shouldGatherWhatIsSettledWhileABatchIsOnTheWireIntoTheNextOne() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED)); // returns at once: the ring thread goes on settling
        batchOf("c", claim("cl-3", ClaimStatus.CLAIMED), claim("cl-4", ClaimStatus.CLAIMED));
        assertEquals(1, store.sent.size(), "one batch on the wire at a time");
        store.succeed(0); // the thread that learns of the commit sends the waiting batch itself
        assertEquals(2, store.sent.size());
        assertEquals(Thread.currentThread().getName(), store.senders.get(1));
        assertEquals(List.of("cl-2", "cl-3", "cl-4"), store.sent.get(1).claims().stream().map(Claim::id).toList());
        assertEquals(101, store.sent.get(1).sequence());
        assertEquals(List.of("a"), delivered, "b and c wait for their own batch");
        store.succeed(1);
        assertEquals(List.of("a", "b", "c"), delivered);
    }

    @Test
    void shouldHoldTheRingThreadBackOnlyWhileTheWaitingBatchIsFull() throws Exception {
        CommitStage small = new CommitStage(store, observer, health, 1, 2);
        submit(small, "a", claim("cl-1", ClaimStatus.CLAIMED));
        submit(small, "b", claim("cl-2", ClaimStatus.CLAIMED), claim("cl-3", ClaimStatus.CLAIMED));
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> submit(small, "c", claim("cl-4", ClaimStatus.CLAIMED)));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> third.get(200, TimeUnit.MILLISECONDS),
                "the waiting batch holds two changes at most");
        store.succeed(0);
        third.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("cl-2", "cl-3"), store.sent.get(1).claims().stream().map(Claim::id).toList());
        store.succeed(1);
        awaitSent(3);
        store.succeed(2);
        assertEquals(List.of("cl-4"), store.sent.get(2).claims().stream().map(Claim::id).toList());
        assertEquals(List.of("a", "b", "c"), delivered);
    }

    private void submit(CommitStage target, String label, Claim... claims) {
        try {
            batchOf(target, () -> delivered.add(label), List.of(), claims);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
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
        batchOf("read");
        assertEquals(List.of(), delivered, "the read waits for the write before it");
        store.succeed(0);
        assertEquals(1, store.sent.size(), "an empty batch is not sent");
        assertEquals(List.of("write", "read"), delivered);
    }

    @Test
    void shouldAnswerAReadAsSoonAsTheWritesSettledBeforeItAreDurable() throws Exception {
        Waiting early = new Waiting();
        Waiting late = new Waiting();
        batchOf(() -> delivered.add("a"), claim("cl-1", ClaimStatus.CLAIMED));
        batchOf(() -> delivered.add("read before b"), List.of(early));
        batchOf(() -> delivered.add("b"), claim("cl-2", ClaimStatus.CLAIMED));
        batchOf(() -> delivered.add("read after b"), List.of(late));
        store.succeed(0);
        assertEquals(List.of("a", "read before b"), delivered, "the first read needs only a, the second needs b");
        assertEquals(0, early.sentNanos(), "the first read waited for no batch of its own");
        assertEquals(2, store.sent.size());
        assertEquals(List.of("cl-2"), store.sent.get(1).claims().stream().map(Claim::id).toList());
        store.succeed(1);
        assertEquals(List.of("a", "read before b", "b", "read after b"), delivered);
        assertTrue(late.durableNanos() >= late.sentNanos() && late.sentNanos() > 0,
                "the second read's answer carries the times of the batch it waited for");
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
        stage.mark();
        RingEntry failing = new RingEntry();
        failing.reply = new Reply.Expiry(List.of(claim("cl-2", ClaimStatus.EXPIRED), claim("cl-3", ClaimStatus.EXPIRED)),
                List.of());
        stage.collect(failing);
        stage.discardSinceMark();
        stage.submit(new BatchDelivery(new BatchVerdict(), () -> delivered.add("a"), new Runnable[0], observer), System.nanoTime());
        assertEquals(List.of("cl-1"), store.sent.get(0).claims().stream().map(Claim::id).toList());
    }

    @Test
    void shouldTakeBackTheOrgsATreeEditCollectedSinceAMark() throws Exception {
        RingEntry first = new RingEntry();
        first.reply = new Reply.OrgEdit(new OrgChange(OrgResult.CREATED, new Org("town-a", "A", null), null,
                List.of(new Org("town-a", "A", null))));
        stage.collect(first);
        stage.mark();
        RingEntry failing = new RingEntry();
        failing.reply = new Reply.OrgEdit(new OrgChange(OrgResult.UPDATED, null, null,
                List.of(new Org("town-b", "B", null), new Org("town-c", "C", null))));
        stage.collect(failing);
        stage.discardSinceMark();
        stage.submit(new BatchDelivery(new BatchVerdict(), () -> delivered.add("a"), new Runnable[0], observer), System.nanoTime());
        assertEquals(List.of(new Org("town-a", "A", null)), store.sent.get(0).orgs());
        assertEquals(1, store.sent.get(0).size());
    }

    @Test
    void shouldTakeBackTheAuditRecordsCollectedSinceAMark() throws Exception {
        AuditRecord kept = new AuditRecord(1, "admin", AuditRecord.ORG_CREATE, "town-a", null, "town-a", null);
        RingEntry first = new RingEntry();
        first.reply = new Reply.OrgEdit(new OrgChange(OrgResult.CREATED, new Org("town-a", "A", null), null,
                List.of(new Org("town-a", "A", null))), kept);
        stage.collect(first);
        stage.mark();
        RingEntry failing = new RingEntry();
        failing.reply = new Reply.OrgEdit(new OrgChange(OrgResult.CREATED, new Org("town-b", "B", null), null,
                List.of(new Org("town-b", "B", null))),
                new AuditRecord(2, "admin", AuditRecord.ORG_CREATE, "town-b", null, "town-b", null));
        stage.collect(failing);
        stage.discardSinceMark();
        stage.submit(new BatchDelivery(new BatchVerdict(), () -> delivered.add("a"), new Runnable[0], observer), System.nanoTime());
        assertEquals(List.of(kept), store.sent.get(0).audits());
        assertEquals(2, store.sent.get(0).size(), "one org and its record");
    }

    @Test
    void shouldAnswerAFencedBatchAndEveryLaterOneAsFencedWithoutSendingThem() throws Exception {
        Waiting first = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(first), claim("cl-1", ClaimStatus.CLAIMED));
        store.fence(0);
        assertEquals(List.of("a"), delivered, "answered");
        assertEquals(List.of(), heard, "no watcher hears of a change that was never written");
        assertEquals(Fault.FENCED, first.fault());
        assertEquals(null, first.reply());
        assertTrue(health.isFenced(), "the writer stops");
        assertEquals(List.of(1), fencedBatches);

        Waiting later = new Waiting();
        batchOf(() -> delivered.add("b"), List.of(later), claim("cl-2", ClaimStatus.CLAIMED));
        assertEquals(1, store.sent.size(), "nothing more is sent");
        assertEquals(Fault.FENCED, later.fault());
        Waiting read = new Waiting();
        batchOf(() -> delivered.add("read"), List.of(read));
        assertEquals(Fault.FENCED, read.fault(), "not even a read is answered from a book the store left behind");
        assertEquals(List.of("a", "b", "read"), delivered);
        assertTrue(store.durable.isEmpty());
    }

    @Test
    void shouldAnswerTheWaitingBatchAsFencedWithoutSendingIt() throws Exception {
        Waiting first = new Waiting();
        Waiting behind = new Waiting();
        Waiting read = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(first), claim("cl-1", ClaimStatus.CLAIMED));
        batchOf(() -> delivered.add("read"), List.of(read));
        batchOf(() -> delivered.add("b"), List.of(behind), claim("cl-2", ClaimStatus.CLAIMED));
        store.fence(0);
        assertEquals(1, store.sent.size(), "the waiting batch is never sent");
        assertEquals(List.of("a", "read", "b"), delivered);
        assertEquals(Fault.FENCED, first.fault());
        assertEquals(Fault.FENCED, read.fault());
        assertEquals(Fault.FENCED, behind.fault());
        assertEquals(List.of(), heard);
        assertTrue(stage.drain(5_000));
    }

    @Test
    void shouldNotAnswerAReadTwiceWhenTheBatchItRodeAheadOfIsFenced() throws Exception {
        Waiting read = new Waiting();
        Waiting behind = new Waiting();
        batchOf(() -> delivered.add("a"), claim("cl-1", ClaimStatus.CLAIMED));
        batchOf(() -> delivered.add("read"), List.of(read));
        batchOf(() -> delivered.add("b"), List.of(behind), claim("cl-2", ClaimStatus.CLAIMED));
        store.succeed(0);
        assertEquals(List.of("a", "read"), delivered, "the read went out once a was durable");
        store.fence(1);
        assertEquals(List.of("a", "read", "b"), delivered, "the read is not answered again");
        assertEquals(null, read.fault(), "its answer stands: it needed only a");
        assertEquals(Fault.FENCED, behind.fault());
    }

    @Test
    void shouldAnswerWhatTheStoreNeverConfirmedAsShutDownWhenHalted() throws Exception {
        Waiting first = new Waiting();
        Waiting read = new Waiting();
        Waiting behind = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(first), claim("cl-1", ClaimStatus.CLAIMED));
        batchOf(() -> delivered.add("read"), List.of(read));
        batchOf(() -> delivered.add("b"), List.of(behind), claim("cl-2", ClaimStatus.CLAIMED));
        assertEquals(List.of(), delivered, "nothing is answered while a is on the wire");

        stage.halt();
        assertEquals(List.of("a", "read", "b"), delivered, "every one answered, in order");
        assertEquals(Fault.SHUT_DOWN, first.fault(), "on the wire: not acknowledged");
        assertEquals(Fault.SHUT_DOWN, read.fault(), "a read behind a write that never became durable");
        assertEquals(Fault.SHUT_DOWN, behind.fault(), "never sent");
        assertEquals(1, store.sent.size(), "the waiting batch is not sent");
        assertEquals(List.of(), heard, "no watcher hears of a change the store never confirmed");
        assertTrue(stage.drain(5_000), "nothing is left to wait for");

        store.succeed(0); // Redis's answer comes after the engine gave up on it
        assertEquals(List.of("a", "read", "b"), delivered, "a is not answered twice");
        assertEquals(Fault.SHUT_DOWN, first.fault());
        assertEquals(List.of(), heard);

        Waiting late = new Waiting();
        batchOf(() -> delivered.add("late"), List.of(late), claim("cl-3", ClaimStatus.CLAIMED));
        assertEquals(Fault.SHUT_DOWN, late.fault(), "what the ring thread submits after the halt is refused too");
        assertEquals(List.of("a", "read", "b", "late"), delivered);
        assertEquals(1, store.sent.size());
        stage.halt(); // again, as a second close would
        assertEquals(List.of("a", "read", "b", "late"), delivered);
    }

    @Test
    void shouldStopRepairingAndAnswerTheFailedBatchWhenHalted() throws Exception {
        Waiting first = new Waiting();
        Waiting behind = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(first), claim("cl-1", ClaimStatus.CLAIMED));
        batchOf(() -> delivered.add("b"), List.of(behind), claim("cl-2", ClaimStatus.CLAIMED));
        store.syncFailuresLeft = Integer.MAX_VALUE; // Redis stays away
        store.fail(0);
        stage.halt();
        assertEquals(List.of("a", "b"), delivered);
        assertEquals(Fault.SHUT_DOWN, first.fault());
        assertEquals(Fault.SHUT_DOWN, behind.fault());
        assertTrue(stage.drain(5_000));
        assertTrue(store.committedSync.isEmpty());
        assertTrue(store.durable.isEmpty());
    }

    @Test
    void shouldSendTheWaitingBatchFromItsOwnThreadWhenTheStoreMayBlock() throws Exception {
        store.mayBlock = true;
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED));
        store.succeed(0);
        awaitSent(2);
        assertEquals("wish-commit-aside", store.senders.get(1), "not the thread that read the answer");
        store.succeed(1);
        assertTrue(stage.drain(5_000));
        assertEquals(List.of("a", "b"), delivered);
    }

    @Test
    void shouldSendTheWaitingBatchOnceARepairedBatchSticks() throws Exception {
        batchOf("a", claim("cl-1", ClaimStatus.CLAIMED));
        batchOf("b", claim("cl-2", ClaimStatus.CLAIMED)); // waits behind a
        store.syncFailuresLeft = 1;
        store.fail(0);
        awaitSent(2);
        assertEquals(1, store.committedSync.size(), "a was repaired first");
        assertEquals(List.of("cl-2"), store.sent.get(1).claims().stream().map(Claim::id).toList());
        assertEquals(101, store.sent.get(1).sequence());
        store.succeed(1);
        assertTrue(stage.drain(5_000));
        assertEquals(List.of("a", "b"), delivered);
    }

    @Test
    void shouldLeaveTheAnswersOfACommittedBatchAsTheBookDecidedThem() throws Exception {
        Waiting waiting = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(waiting), claim("cl-1", ClaimStatus.CLAIMED));
        store.succeed(0);
        assertEquals(null, waiting.fault());
        assertTrue(waiting.reply() instanceof Reply.ClaimDecision);
    }

    @Test
    void shouldStampWhenABatchWasSentAndMadeDurableBeforeItsAnswersGoOut() throws Exception {
        Waiting waiting = new Waiting();
        long[] seenAtDelivery = new long[1];
        long before = System.nanoTime();
        batchOf(() -> seenAtDelivery[0] = waiting.durableNanos(), List.of(waiting), claim("cl-1", ClaimStatus.CLAIMED));
        assertTrue(waiting.settlingNanos() >= before, "settling is the time the ring thread passed in");
        assertTrue(waiting.sentNanos() >= waiting.settlingNanos(), "sent after settling began");
        assertEquals(0, waiting.durableNanos(), "not durable while on the wire");
        store.succeed(0);
        assertTrue(seenAtDelivery[0] >= waiting.sentNanos(), "the delivery already sees when it became durable");
        assertEquals(seenAtDelivery[0], waiting.durableNanos());
    }

    @Test
    void shouldStampNoStoreTimesOnABatchWithNothingToWrite() throws Exception {
        Waiting read = new Waiting();
        batchOf(() -> delivered.add("read"), List.of(read));
        assertEquals(List.of("read"), delivered);
        assertTrue(read.settlingNanos() > 0);
        assertEquals(0, read.sentNanos());
        assertEquals(0, read.durableNanos());
    }

    @Test
    void shouldStampARepairedBatchDurableWhenTheRetryStuck() throws Exception {
        Waiting waiting = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(waiting), claim("cl-1", ClaimStatus.CLAIMED));
        store.syncFailuresLeft = 1;
        store.fail(0);
        assertTrue(stage.drain(5_000), "the repair finishes");
        assertEquals(List.of("a"), delivered);
        assertTrue(waiting.durableNanos() > waiting.sentNanos(), "durable when the retry stuck, after sending");
    }

    @Test
    void shouldStopRepairingWhenTheStoreSaysFenced() throws Exception {
        Waiting waiting = new Waiting();
        batchOf(() -> delivered.add("a"), List.of(waiting), claim("cl-1", ClaimStatus.CLAIMED));
        store.fencedForSync = true;
        store.fail(0); // the connection drops; the repair's resend finds another writer in charge
        assertTrue(stage.drain(5_000), "the repair gives up at once instead of retrying forever");
        assertEquals(Fault.FENCED, waiting.fault());
        assertEquals(List.of("a"), delivered);
        assertTrue(health.isFenced());
        assertEquals(List.of(), store.committedSync);
    }
}
