package org.wishengine.wish.ring;

import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Command;

/**
 * Stage ①, the single writer: applies each command to the {@link Book} in ring order. It is the
 * only thread that ever touches the book after recovery, which is what makes double claims
 * impossible without locks. Reads are answered here too, as immutable snapshots, so that they
 * see every write published before them. It decides nothing itself: each command names its rule
 * ({@link Command#apply}), and the book's reply carries the changes and events of the decision.
 */
public final class SettleStage {

    private final Book book;
    private final Settler settler;
    private final RingObserver observer;
    /** When the first entry of the current batch began; two clock reads per batch, not per entry. */
    private long batchStarted;
    private int batchSize;

    public SettleStage(Book book, Settler settler, RingObserver observer) {
        this.book = book;
        this.settler = settler;
        this.observer = observer;
    }

    /** Decides the entry's command; throws what the book throws (the pipeline treats it as fatal). */
    void process(RingEntry entry) {
        if (batchSize++ == 0) {
            batchStarted = System.nanoTime();
        }
        settler.settle(book, entry);
    }

    /**
     * Reports the time from the batch's first entry until it is ready to send: deciding it and
     * gathering its changes and replies (the store round trip is not included). Returns when the
     * batch's first entry began.
     */
    long endOfBatch() {
        int commands = batchSize;
        batchSize = 0;
        try {
            observer.settled(commands, System.nanoTime() - batchStarted);
        } catch (RuntimeException e) {
            observer.writerError("meter", null, e);
        }
        return batchStarted;
    }

    /** The settle step as it ships: the command applies its own rule to the book. */
    public static void settle(Book book, RingEntry entry) {
        entry.reply = entry.command.apply(book);
    }
}
