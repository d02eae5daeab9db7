package org.wishengine.wish.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;

/**
 * Runs the three stages on the ring's one consumer thread: settle each entry as it arrives,
 * gather its changes, and at the end of the Disruptor batch commit them in one store round trip
 * and then answer exactly the entries that commit covered.
 *
 * <p>One thread rather than one per stage: a Disruptor consumer that waits on another consumer
 * spins, whatever the wait strategy, so a commit thread waiting on the settle thread (and a reply
 * thread waiting on the commit thread through every Redis round trip) would burn the cores the
 * event loops need. With one consumer the only wait is on the producers, which blocks. While the
 * store round trip is in flight, new commands queue in the ring and form the next, larger batch:
 * the batching that makes durability cheap comes from exactly that wait.
 *
 * <p>Entries stay valid until this handler finishes the batch (the Disruptor frees them only
 * then), so replying re-reads them from the ring by sequence.
 */
final class StagePipeline implements EventHandler<RingEntry> {

    private final RingBuffer<RingEntry> ring;
    private final SettleStage settle;
    private final CommitStage commit;
    private final ReplyStage reply;
    private long firstPending = -1;

    StagePipeline(RingBuffer<RingEntry> ring, SettleStage settle, CommitStage commit, ReplyStage reply) {
        this.ring = ring;
        this.settle = settle;
        this.commit = commit;
        this.reply = reply;
    }

    @Override
    public void onEvent(RingEntry entry, long sequence, boolean endOfBatch) throws InterruptedException {
        if (firstPending < 0) {
            firstPending = sequence;
        }
        settle.process(entry);
        commit.collect(entry);
        if (endOfBatch || commit.isFull()) {
            settle.endOfBatch();
            commit.commit();
            for (long s = firstPending; s <= sequence; s++) {
                reply.process(ring.get(s));
            }
            reply.endOfBatch();
            firstPending = -1;
        }
    }
}
