package org.wishengine.wish.ring;

/** Hears what the commit stage does, for health and metrics. Called on the commit thread; must not block. */
public interface CommitObserver {

    /** A batch of {@code size} changes became durable after {@code nanos} (retries included). */
    default void committed(int size, long nanos) {
    }

    /** A commit attempt failed; the stage will retry the same batch after a backoff. */
    default void commitFailed(Exception cause, int attempt) {
    }

    CommitObserver NONE = new CommitObserver() {
    };
}
