package org.wishengine.wish.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.core.WishSpec;

/**
 * The engine's own commands through a running ring: a {@link CommandFuture} completes only once
 * every batch settled before it, and its own, is durable.
 */
@Timeout(10)
class CommandFutureTest {

    private static final long OPENS = 1_800_000_000_000L;

    /** A store whose commits complete when the test says so. */
    private static final class HeldStore implements BatchStore {
        final List<Batch> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> answers = new CopyOnWriteArrayList<>();

        @Override
        public void commit(Batch batch) {
            throw new IllegalStateException("the ring commits asynchronously");
        }

        @Override
        public CompletionStage<Void> commitAsync(Batch batch) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            answers.add(answer);
            sent.add(batch);
            return answer;
        }
    }

    private static final Replier NO_ANSWERS = new Replier() {
        @Override
        public void reply(RingEntry entry) {
        }

        @Override
        public Runnable endOfBatch() {
            return null;
        }
    };

    private final HeldStore store = new HeldStore();
    private final Book book = new Book();
    private final WriterHealth health = new WriterHealth();
    private final ClaimRing ring = new ClaimRing(book, store, NO_ANSWERS, List.of(), RingObserver.NONE, health,
            WriterHooks.NONE, 64, 1);

    @AfterEach
    void stop() {
        store.answers.forEach(answer -> answer.complete(null));
        ring.close();
    }

    private void publish(Command command, PendingReply origin) {
        assertTrue(ring.tryPublish(command, origin));
    }

    private void awaitSent(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.sent.size() < count) {
            assertTrue(System.nanoTime() < deadline, "batch " + count + " was never sent");
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldCompleteOnlyOnceTheBatchesBeforeItAreDurable() throws Exception {
        ring.start();
        Campaign draft = new Campaign("c", "t", OPENS, 1, 1, 0, List.of(new WishSpec("w", "t", 5, null, null, null, null)));
        publish(new Command.CreateCampaign(draft, OPENS - 1), null);
        awaitSent(1);
        publish(new Command.ClaimWish("w", "alice", OPENS), null); // waits in the ring behind the first batch
        CommandFuture drop = new CommandFuture();
        publish(new Command.Drop("c", OPENS + 1), drop);
        CompletableFuture<Reply> settled = drop.settled();

        store.answers.get(0).complete(null);
        awaitSent(2);
        assertEquals(1, store.sent.get(1).claims().size(), "the claim before the drop is committed");
        assertFalse(settled.isDone(), "the claim's batch is not durable yet");

        store.answers.get(1).complete(null);
        assertEquals(new Reply.Internal("c", true), settled.get(5, TimeUnit.SECONDS));
        assertEquals(2, store.sent.size(), "the drop itself writes nothing");
    }

    @Test
    void shouldFailWithTheFaultWhenItsBatchIsRefused() throws Exception {
        ring.start();
        Campaign draft = new Campaign("c", "t", OPENS, 1, 1, 0, List.of(new WishSpec("w", "t", 5, null, null, null, null)));
        publish(new Command.CreateCampaign(draft, OPENS - 1), null);
        awaitSent(1);
        CommandFuture drop = new CommandFuture();
        publish(new Command.Drop("c", OPENS), drop);

        store.answers.get(0).completeExceptionally(new WriterFenced("another writer holds the lease"));
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> drop.settled().get(5, TimeUnit.SECONDS));
        CommandFuture.Faulted faulted = assertInstanceOf(CommandFuture.Faulted.class, failed.getCause());
        assertEquals(Fault.FENCED, faulted.fault());
    }
}
