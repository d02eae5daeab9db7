package org.wishengine.wish.ring;

/**
 * The store refused a batch because this writer no longer holds the lease its commits carry:
 * another writer took over. Final: the batch was not written, no later one can be, and the
 * writer stops (see {@link CommitStage}).
 */
public final class WriterFenced extends Exception {

    private final String campaignId;

    public WriterFenced(String message) {
        this(message, null);
    }

    /** Refused for one campaign's sake: its lease (multi-node mode) is no longer this node's. */
    public WriterFenced(String message, String campaignId) {
        super(message, null, false, false);
        this.campaignId = campaignId;
    }

    /** The campaign whose lease refused the batch, or null when the writer's one lease did. */
    public String campaignId() {
        return campaignId;
    }
}
