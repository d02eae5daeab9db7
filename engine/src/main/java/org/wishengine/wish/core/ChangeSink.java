package org.wishengine.wish.core;

/**
 * Where a decision hands the state it changed: the commit gathers it into a batch for the store,
 * the lifecycle meters count it. Called on the writer's thread.
 */
public interface ChangeSink {

    /** A claim was created or moved to a new status; {@code claim} is its state after the change. */
    void claimChanged(Claim claim);

    /** A campaign was created. */
    void campaignCreated(Campaign campaign);

    /** A fair-start entry was made or settled by its draw; {@code entry} is its state after the change. */
    void entryChanged(Entry entry);

    /** An org of the organiser tree was added, renamed, moved or retired; {@code org} is its state after the change. */
    void orgChanged(Org org);

    /**
     * An organiser's action was decided ({@link AuditRecord}); committed with the batch like the
     * rest. A no-op by default, for sinks that only count state.
     */
    default void audited(AuditRecord record) {
    }
}
