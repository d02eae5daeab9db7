package org.wishengine.wish.ring;

/**
 * The store refused a batch because this writer no longer holds the lease its commits carry:
 * another writer took over. Final: the batch was not written, no later one can be, and the
 * writer stops (see {@link CommitStage}).
 */
public final class WriterFenced extends Exception {

    public WriterFenced(String message) {
        super(message, null, false, false);
    }
}
