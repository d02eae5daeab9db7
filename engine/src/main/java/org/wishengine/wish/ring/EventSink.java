package org.wishengine.wish.ring;

import java.util.List;
import org.wishengine.wish.core.WishEvent;

/** Hears the wish events of committed commands, on the reply thread; must not block. */
public interface EventSink {

    /** Events of one committed entry, in order; the list is reused after the call. */
    void add(List<WishEvent> events);

    /** The end of a ring batch: send what was gathered. */
    void flush();

    EventSink NONE = new EventSink() {
        @Override
        public void add(List<WishEvent> events) {
        }

        @Override
        public void flush() {
        }
    };
}
