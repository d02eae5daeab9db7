package org.wishengine.wish.ring;

import org.wishengine.wish.core.Command;

/**
 * Hears what the settle and commit stages do, for health and metrics. Called once per batch
 * (never per command) on the ring thread ({@link #settled}), or on the thread that completes a
 * commit (the store client's or the repair thread); must not block.
 */
public interface RingObserver {

    /** The settle stage decided a batch of {@code commands} in {@code nanos}. */
    default void settled(int commands, long nanos) {
    }

    /** A batch of {@code size} changes became durable after {@code nanos} (retries included). */
    default void committed(int size, long nanos) {
    }

    /**
     * A commit attempt failed; the stage merges everything undelivered into one batch and
     * retries that after a backoff.
     */
    default void commitFailed(Exception cause, int attempt) {
    }

    /**
     * The store refused a batch of {@code size} changes because another writer holds the lease;
     * the writer stops (see {@link WriterFenced}).
     */
    default void fenced(WriterFenced cause, int size) {
    }

    /**
     * Something on the writer's path threw: {@code where} is {@code settle}, {@code reply},
     * {@code delivery} or {@code meter}; {@code command} is the command concerned, or null when the
     * fault concerns a whole batch.
     */
    default void writerError(String where, Command command, Throwable cause) {
    }

    RingObserver NONE = new RingObserver() {
    };
}
