package org.wishengine.wish.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Stats;

/**
 * The engine's own JSON bodies ({@link ApiJson}) as bytes, for tests outside this package that
 * must see exactly what a node answers.
 */
public final class ApiJsonBodies {

    private ApiJsonBodies() {
    }

    /** The body of {@code GET /api/campaigns}. */
    public static byte[] campaigns(List<CampaignView> campaigns) {
        return bytes(json -> ApiJson.campaigns(json, campaigns));
    }

    /** The body of {@code GET /api/me/entries}. */
    public static byte[] entries(List<org.wishengine.wish.core.Entry> entries) {
        return bytes(json -> ApiJson.entries(json, entries));
    }

    /** The body of {@code GET /api/me/claims}. */
    public static byte[] claims(List<Claim> claims) {
        return bytes(json -> ApiJson.claims(json, claims));
    }

    /** The body of {@code GET /api/wishes}. */
    public static byte[] wishes(org.wishengine.wish.core.WishPage page) {
        return bytes(json -> ApiJson.wishes(json, page));
    }

    /** The body of {@code GET /api/stats} (over every campaign when {@code campaignId} is null). */
    public static byte[] stats(Stats stats, String campaignId) {
        return bytes(json -> ApiJson.stats(json, stats, campaignId));
    }

    /** The body of {@code GET /api/stats?org=}: an org's subtree with its children's rows. */
    public static byte[] orgStats(org.wishengine.wish.core.SubtreeStats stats) {
        return bytes(json -> ApiJson.orgStats(json, stats));
    }

    private static byte[] bytes(ApiJson.Body body) {
        ByteBuf buffer = ApiJson.encode(UnpooledByteBufAllocator.DEFAULT, body);
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }
}
