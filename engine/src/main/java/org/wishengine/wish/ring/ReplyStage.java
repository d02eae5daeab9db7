package org.wishengine.wish.ring;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage ③: lets every {@link Replier} copy what it needs from each settled entry (and notes the
 * engine's own commands, {@link CommandFuture}), then frees the entry; at the end of a batch it seals their deliveries into one action that the commit stage
 * runs once the batch is durable, so nothing outside the ring ever hears of a change before it is
 * in the store.
 *
 * <p>The watchers (the live event stream, the lifecycle meters) see an entry before the replier
 * that answers its request, so that a watcher that throws marks the entry {@link Fault#REPLY} in
 * time for the answer to say 500. A replier that throws, or a delivery that throws, is counted and
 * logged by the observer and never stops the writer: the book is consistent, only one answer or
 * one announcement is lost.
 */
public final class ReplyStage {

    private final Replier answers;
    private final Replier[] watchers;
    private final RingObserver observer;
    /** The verdict of the batch being gathered, shared by its requests. */
    private BatchVerdict verdict = new BatchVerdict();
    /** The engine's own commands settled in the batch being gathered; empty for nearly every batch. */
    private final List<CommandFuture> own = new ArrayList<>();

    /**
     * @param answers  the replier that answers requests (the HTTP edge)
     * @param watchers repliers that only observe (events, meters)
     */
    public ReplyStage(Replier answers, List<Replier> watchers, RingObserver observer) {
        this.answers = answers;
        this.watchers = watchers.toArray(new Replier[0]);
        this.observer = observer;
    }

    void process(RingEntry entry) {
        for (Replier watcher : watchers) {
            try {
                watcher.reply(entry);
            } catch (RuntimeException e) {
                if (entry.fault == null) {
                    entry.fault = Fault.REPLY;
                }
                observer.writerError("reply", entry.command, e);
            }
        }
        if (entry.origin != null) {
            entry.origin.answer(entry.reply, entry.fault, verdict);
            if (entry.origin instanceof CommandFuture command) {
                own.add(command);
            }
        }
        try {
            answers.reply(entry);
        } catch (RuntimeException e) {
            observer.writerError("reply", entry.command, e);
        }
        entry.clear();
    }

    /** The deliveries of the batch, to run after its commit: the answers first, then the watchers'. */
    BatchDelivery seal() {
        Runnable[] watched = new Runnable[watchers.length];
        for (int i = 0; i < watchers.length; i++) {
            watched[i] = sealed(watchers[i]);
        }
        CommandFuture[] ownCommands = null;
        if (!own.isEmpty()) {
            ownCommands = own.toArray(new CommandFuture[0]);
            own.clear();
        }
        BatchDelivery delivery = new BatchDelivery(verdict, sealed(answers), ownCommands, watched, observer);
        verdict = new BatchVerdict();
        return delivery;
    }

    private Runnable sealed(Replier replier) {
        try {
            return replier.endOfBatch();
        } catch (RuntimeException e) {
            observer.writerError("reply", null, e);
            return null;
        }
    }
}
