package org.wishengine.wish.ring;


/**
 * What a ring batch does once the store has answered: {@link #run()} hands out its answers and
 * then tells the watchers (events, meters) of its changes; {@link #refuse} is for a batch the
 * store refused for good, whose requests are all answered with one fault and whose changes nobody
 * hears of, since they were never written.
 */
final class BatchDelivery implements Runnable {

    private final BatchVerdict verdict;
    private final Runnable answers;
    private final Runnable[] watchers;
    private final RingObserver observer;

    BatchDelivery(BatchVerdict verdict, Runnable answers, Runnable[] watchers, RingObserver observer) {
        this.verdict = verdict;
        this.answers = answers;
        this.watchers = watchers;
        this.observer = observer;
    }

    @Override
    public void run() {
        deliver(answers);
        for (Runnable watcher : watchers) {
            deliver(watcher);
        }
    }

    /** Answers every request of the batch with {@code why} instead of its decision. */
    void refuse(Fault why) {
        verdict.refused = why;
        deliver(answers);
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
