package org.wishengine.wish.cluster;

import java.util.concurrent.CompletionStage;

/**
 * Where the campaign of a wish or of a block of claim numbers is registered (the cluster registry).
 * Both answers never change once given, so callers may keep them forever.
 */
public interface CampaignLookup {

    /** The campaign the wish belongs to, or null when no campaign has such a wish. */
    CompletionStage<String> campaignOfWish(String wishId);

    /** The campaign the block was granted to, or null when it was never granted. */
    CompletionStage<String> campaignOfBlock(long block);
}
