package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A read-only snapshot of one campaign and its wishes, safe to hand to any thread.
 * {@code drawnAt} is when its fair-start draw happened (epoch millis), 0 before it or for a plain campaign.
 */
public record CampaignView(Campaign campaign, List<WishView> wishes, long remaining, long drawnAt) {

    /** A campaign without a draw behind it. */
    public CampaignView(Campaign campaign, List<WishView> wishes, long remaining) {
        this(campaign, wishes, remaining, 0);
    }

    /** The view of a campaign nobody has claimed from yet: every unit remains. */
    public static CampaignView fresh(Campaign campaign) {
        List<WishView> wishes = new ArrayList<>(campaign.wishes().size());
        for (WishSpec wish : campaign.wishes()) {
            wishes.add(new WishView(wish, campaign.id(), wish.quantity(), campaign.opensAt()));
        }
        return new CampaignView(campaign, List.copyOf(wishes), campaign.units());
    }
}
