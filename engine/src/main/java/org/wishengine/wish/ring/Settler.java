package org.wishengine.wish.ring;

import org.wishengine.wish.core.Book;

/**
 * The step that applies one ring entry's command to the book and records the decision in the
 * entry. The engine uses {@link SettleStage#settle}; a test may wrap it to throw on a chosen
 * command (see {@link WriterHooks}).
 */
@FunctionalInterface
public interface Settler {

    void settle(Book book, RingEntry entry);
}
