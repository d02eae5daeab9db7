package org.wishengine.wish.cluster;

import org.wishengine.wish.core.Campaign;

/**
 * What the cluster registry answered a campaign draft: its ids reserved, or the id that stands in
 * the way.
 */
public sealed interface Reservation {

    /** The draft with every id set, all of them registered to this campaign. */
    record Reserved(Campaign campaign) implements Reservation {
    }

    /**
     * Nothing was reserved: {@code id} is a wish id registered for another campaign, or repeated
     * in the draft.
     */
    record Conflict(String id) implements Reservation {
    }

    /** Nothing was reserved: the draft is a new campaign of an org that is retired. */
    record RetiredOrg(String org) implements Reservation {
    }
}
