package org.wishengine.wish.core;

/** What the organiser tree decided for one edit ({@link OrgChange}). */
public enum OrgResult {
    /** A new org was added. */
    CREATED,
    /** An org was renamed or retired, or a whole tree loaded (possibly changing nothing). */
    UPDATED,
    /** The id is taken (by a live or retired org), or repeated in a loaded tree. */
    ALREADY_EXISTS,
    /** The parent named is not in the tree (nor in the loaded tree). */
    UNKNOWN_PARENT,
    /** A loaded tree would make an org its own ancestor. */
    CYCLE,
    /** No org has this id. */
    UNKNOWN_ORG,
    /** Retiring: a campaign of the org still has a unit nobody holds, or a claim not yet confirmed. */
    HAS_OPEN_CAMPAIGNS,
    /** Retiring: the org still has a child that is not retired. */
    HAS_CHILDREN,
    /** A live org under a retired one: a retired org gets no new child. */
    RETIRED_PARENT,
    /** The acting organiser's scope does not allow this edit. */
    FORBIDDEN;

    /** True for an edit the tree applied (it may still have changed nothing, see {@link OrgChange#changed}). */
    public boolean applied() {
        return this == CREATED || this == UPDATED;
    }
}
