package org.wishengine.wish.ring;

/**
 * Hears what the settle and commit stages do, for health and metrics. Called on the stage
 * threads once per batch (never per command); must not block.
 */
public interface RingObserver {

    /** The settle stage decided a batch of {@code commands} in {@code nanos}. */
    default void settled(int commands, long nanos) {
    }

    /** A batch of {@code size} changes became durable after {@code nanos} (retries included). */
    default void committed(int size, long nanos) {
    }

    /** A commit attempt failed; the stage will retry the same batch after a backoff. */
    default void commitFailed(Exception cause, int attempt) {
    }

    RingObserver NONE = new RingObserver() {
    };
}
