package org.wishengine.wish.ring;

import com.lmax.disruptor.EventHandler;

/**
 * Runs the three stages on the ring's one consumer thread: settle each entry as it arrives,
 * gather its changes and let the repliers copy out what they need; at the end of the Disruptor
 * batch, send the changes to the store in one round trip and hand the batch's deliveries to the
 * commit stage, which runs them once the batch is durable.
 *
 * <p>One consumer thread rather than one per stage: a Disruptor consumer that waits on another
 * consumer spins, whatever the wait strategy, and on a small machine those spinning threads take
 * the cores the event loops need. With one consumer the only wait is on the producers, which
 * backs off to blocking within microseconds (see {@link ClaimRing}). The thread settles the next
 * Disruptor batches while Redis applies the last one; what it settles meanwhile waits in the
 * commit stage and goes out together as soon as Redis answers, so batches grow with the load.
 *
 * <p>Faults (see {@link Fault}): anything the book throws while settling stops the writer, since
 * the book may be half-changed. The failing command's partial changes are taken back out of the
 * batch; the commands before it were decided on a consistent book, so they are committed and
 * answered as usual; every later command is answered without being settled. Faults while
 * answering are contained by the {@link ReplyStage}.
 */
final class StagePipeline implements EventHandler<RingEntry> {

    private final SettleStage settle;
    private final CommitStage commit;
    private final ReplyStage reply;
    private final WriterHealth health;
    private final RingObserver observer;

    StagePipeline(SettleStage settle, CommitStage commit, ReplyStage reply, WriterHealth health,
                  RingObserver observer) {
        this.settle = settle;
        this.commit = commit;
        this.reply = reply;
        this.health = health;
        this.observer = observer;
    }

    @Override
    public void onEvent(RingEntry entry, long sequence, boolean endOfBatch) throws InterruptedException {
        if (health.isStopped()) {
            entry.discardDecision(health.stopFault());
        } else {
            commit.mark();
            try {
                settle.process(entry);
                commit.collect(entry);
            } catch (RuntimeException | Error e) {
                commit.discardSinceMark();
                entry.discardDecision(Fault.SETTLE);
                health.stop("the book failed while settling a command (" + e + "); restart the engine");
                observer.writerError("settle", entry.command, e);
            }
        }
        reply.process(entry);
        if (endOfBatch || commit.isFull()) {
            long settling = settle.endOfBatch();
            commit.submit(reply.seal(), settling);
        }
    }
}
