package org.wishengine.wish.http;

/**
 * The HTTP side of an orderly stop, shared by every connection. Once {@link #begin() begun}, each
 * answer says {@code Connection: close} and its connection closes once the answer is written, and
 * a connection with no request in progress is closed after {@value #IDLE_GRACE_MILLIS} ms.
 *
 * <p>Why not close the keep-alive connections at once: a client that has just read an answer may
 * be writing its next request at that very moment, and a close crossing that request leaves it
 * with a request written and no answer, not knowing whether the engine acted on it. An answer
 * that says {@code close} tells the client, before it writes again, that the connection is done.
 * Only a client idle for the whole grace can still cross the close, as with any idle timeout.
 */
public final class ConnectionDrain {

    /** How long a connection with nothing in progress is left open once the drain has begun. */
    public static final long IDLE_GRACE_MILLIS = 250;

    private volatile boolean begun;

    void begin() {
        begun = true;
    }

    boolean begun() {
        return begun;
    }
}
