package org.wishengine.wish.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wishengine.wish.core.Claim;

/**
 * Every committed claim of one campaign, read back from Redis by tools and tests, oldest state
 * first, so that the latest committed state of each claim wins: an earlier engine's JSON hash
 * {@code wish:{c}:claims} if it is still there, then the folded snapshot {@code wish:{c}:snapshot},
 * then the journal {@code wish:{c}:journal}. Simple and unhurried on purpose: start-up recovery
 * reads the same keys with {@link CampaignLoader}, and tests compare the two.
 */
public final class CommittedClaims {

    private static final int PAGE = 16;

    private final Map<String, Claim> claims;

    private CommittedClaims(Map<String, Claim> claims) {
        this.claims = claims;
    }

    /** Reads the campaign's claims; entries appended while this runs may or may not be included. */
    public static CommittedClaims read(RedisClusterCommands<String, String> redis, StoreCodec codec, String campaignId)
            throws JsonProcessingException {
        Map<String, Claim> claims = new LinkedHashMap<>();
        ScanIterator<KeyValue<String, String>> legacy =
                ScanIterator.hscan(redis, Keys.claims(campaignId), ScanArgs.Builder.limit(1000));
        while (legacy.hasNext()) {
            KeyValue<String, String> field = legacy.next();
            claims.put(field.getKey(), codec.readClaim(field.getValue()));
        }
        readList(redis, Keys.snapshot(campaignId), campaignId, claims);
        readList(redis, Keys.journal(campaignId), campaignId, claims);
        return new CommittedClaims(claims);
    }

    private static void readList(RedisClusterCommands<String, String> redis, String key, String campaignId,
                                 Map<String, Claim> claims) {
        long entries = redis.llen(key);
        for (long from = 0; from < entries; from += PAGE) {
            List<String> page = redis.lrange(key, from, Math.min(entries, from + PAGE) - 1);
            for (String entry : page) {
                for (Claim claim : ClaimJournal.read(entry, campaignId)) {
                    claims.put(claim.id(), claim);
                }
            }
        }
    }

    /** The latest committed state of every claim, by id. */
    public Map<String, Claim> claims() {
        return Collections.unmodifiableMap(claims);
    }
}
