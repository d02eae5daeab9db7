package org.wishengine.wish.ring;


/**
 * What a ring batch does once the store has answered: {@link #run()} hands out its answers (to
 * the HTTP edge, then to the engine's own commands, {@link CommandFuture}) and then tells the
 * watchers (events, meters) of its changes; {@link #refuse} is for a batch the store refused for
 * good, whose requests are all answered with one fault and whose changes nobody hears of, since
 * they were never written.
 */
final class BatchDelivery implements Runnable {

    private final BatchVerdict verdict;
    private final Runnable answers;
    /** The batch's own commands, or null when it has none (nearly always). */
    private final CommandFuture[] own;
    private final Runnable[] watchers;
    private final RingObserver observer;

    BatchDelivery(BatchVerdict verdict, Runnable answers, Runnable[] watchers, RingObserver observer) {
        this(verdict, answers, null, watchers, observer);
    }

    BatchDelivery(BatchVerdict verdict, Runnable answers, CommandFuture[] own, Runnable[] watchers,
                  RingObserver observer) {
        this.verdict = verdict;
        this.answers = answers;
        this.own = own;
        this.watchers = watchers;
        this.observer = observer;
    }

    /** Notes when the writer began settling the batch; before it is handed to the commit stage. */
    void settling(long settlingNanos) {
        verdict.settlingNanos = settlingNanos;
    }

    /**
     * Notes when the store batch this ring batch's answers wait for went out; never called for a
     * ring batch that waits for none (its stamp stays 0).
     */
    void sent(long sentNanos) {
        verdict.sentNanos = sentNanos;
    }

    /** Notes when the store said the batch is durable; before {@link #run()}. */
    void durable(long nanos) {
        verdict.durableNanos = nanos;
    }

    @Override
    public void run() {
        deliver(answers);
        completeOwn();
        for (Runnable watcher : watchers) {
            deliver(watcher);
        }
    }

    /** Answers every request of the batch with {@code why} instead of its decision. */
    void refuse(Fault why) {
        verdict.refused = why;
        deliver(answers);
        completeOwn();
    }

    private void completeOwn() {
        if (own != null) {
            for (CommandFuture command : own) {
                deliver(command::complete);
            }
        }
    }

    private void deliver(Runnable delivery) {
        if (delivery != null) {
            try {
                delivery.run();
            } catch (RuntimeException e) {
                observer.writerError("delivery", null, e);
            }
        }
    }
}
