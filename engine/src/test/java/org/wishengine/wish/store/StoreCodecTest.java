package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.DrawSeed;
import org.wishengine.wish.core.FairStart;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.WishSpec;

class StoreCodecTest {

    private final StoreCodec codec = new StoreCodec();

    @Test
    void shouldRoundTripAClaimInEveryStatus() throws Exception {
        for (ClaimStatus status : ClaimStatus.values()) {
            Claim claim = new Claim("cl-7", "w-1", "c-1", "alice", status, 1_000, 2_000, 3_000, 0, 0, 5,
                    "She said \"thank you\",\nand smiled");
            assertEquals(claim, codec.readClaim(codec.write(claim)));
        }
    }

    @Test
    void shouldRoundTripTheOrgOfACampaign() throws Exception {
        Campaign campaign = new Campaign("c-2", "Town books", 5_000, 2, 168, 4_000,
                List.of(new WishSpec("w-3", "Books", 3, null, null, null, null)), null, "town-zhujing");
        String json = codec.write(campaign);
        assertTrue(json.contains("\"org\":\"town-zhujing\""), json);
        assertEquals(campaign, codec.readCampaign(json));
        Campaign unscoped = campaign.withOrg(null);
        assertEquals(unscoped, codec.readCampaign(codec.write(unscoped)));
    }

    @Test
    void shouldRoundTripAClaimWithoutComment() throws Exception {
        Claim claim = new Claim("cl-8", "w-1", "c-1", "bob", ClaimStatus.CLAIMED, 1_000, 0, 0, 0, 0, 0, null);
        assertEquals(claim, codec.readClaim(codec.write(claim)));
    }

    @Test
    void shouldRoundTripACampaign() throws Exception {
        Campaign campaign = new Campaign("c-1", "Winter warmth", 5_000, 2, 168, 4_000,
                List.of(new WishSpec("w-1", "A radio", 1, "elderly", "Zhujing", "Grandma Wang, 82", "for the news"),
                        new WishSpec("w-2", "School books", 10, null, null, null, null)));
        assertEquals(campaign, codec.readCampaign(codec.write(campaign)));
    }

    @Test
    void shouldRoundTripAFairStartCampaignWithItsSeed() throws Exception {
        DrawSeed seed = DrawSeed.parse("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Campaign campaign = new Campaign("c-2", "Fair", 5_000, 1, 168, 4_000,
                List.of(new WishSpec("w-1", "A radio", 1, null, null, null, null)), new FairStart(10, seed));
        String json = codec.write(campaign);
        assertEquals(campaign, codec.readCampaign(json));
        assertTrue(json.contains("\"seed\":\"" + seed.hex() + "\""), json);
        assertEquals(null, codec.readCampaign(codec.write(new Campaign("c-3", "Plain", 5_000, 1, 168, 4_000,
                List.of(new WishSpec("w-2", "Books", 1, null, null, null, null))))).fairStart());
    }

    @Test
    void shouldIgnoreFieldsANewerEngineAdded() throws Exception {
        Claim claim = codec.readClaim("{\"id\":\"cl-1\",\"wishId\":\"w\",\"campaignId\":\"c\",\"userId\":\"u\","
                + "\"status\":\"CLAIMED\",\"claimedAt\":1,\"shinyNewField\":true}");
        assertEquals("cl-1", claim.id());
        assertEquals(ClaimStatus.CLAIMED, claim.status());
    }
}
