package org.wishengine.wish.ring;

import java.util.List;

/**
 * A test seam around the single writer: lets a test make the book or a replier throw (or block)
 * on a chosen command, to prove what the engine does then. The engine runs with {@link #NONE}.
 */
public interface WriterHooks {

    /** The settle step to run, given the real one. */
    default Settler settler(Settler real) {
        return real;
    }

    /** Extra repliers that see every entry before the HTTP answer is taken from it. */
    default List<Replier> watchers() {
        return List.of();
    }

    /** No hooks: the writer as it ships. */
    WriterHooks NONE = new WriterHooks() {
    };
}
