package org.wishengine.wish.bench.recovery;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.store.ClaimJournal;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.StoreCodec;

/**
 * Where the time of the engine's original recovery goes, by redoing its steps one kind at a time
 * with the same Redis commands: all reads (SCAN + GET of campaigns, HSCAN COUNT 1000 of the
 * snapshot hash, LRANGE pages of 16 journal entries), then all parsing (Jackson per snapshot
 * field, {@link ClaimJournal#read} per entry), then {@link Book#restore}. The fold is what the
 * whole recovery took beyond these three.
 */
final class LegacySplit {

    record Split(double readMs, double parseMs, double restoreMs) {
    }

    static Split measure(RedisCommands<String, String> redis) throws Exception {
        StoreCodec codec = new StoreCodec();
        long t0 = System.nanoTime();
        List<String> campaignJson = new ArrayList<>();
        ScanIterator<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches(Keys.CAMPAIGN_PATTERN).limit(1000));
        while (keys.hasNext()) {
            campaignJson.add(redis.get(keys.next()));
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, List<String>> entries = new LinkedHashMap<>();
        for (String json : campaignJson) {
            String id = codec.readCampaign(json).id();
            List<String> values = new ArrayList<>();
            ScanIterator<KeyValue<String, String>> folded = ScanIterator.hscan(redis, Keys.claims(id), ScanArgs.Builder.limit(1000));
            while (folded.hasNext()) {
                values.add(folded.next().getValue());
            }
            fields.put(id, values);
            List<String> journal = new ArrayList<>();
            long length = redis.llen(Keys.journal(id));
            for (long from = 0; from < length; from += 16) {
                journal.addAll(redis.lrange(Keys.journal(id), from, Math.min(length, from + 16) - 1));
            }
            entries.put(id, journal);
        }
        long t1 = System.nanoTime();
        List<Campaign> campaigns = new ArrayList<>();
        Map<String, Claim> claims = new LinkedHashMap<>();
        for (String json : campaignJson) {
            campaigns.add(codec.readCampaign(json));
        }
        for (Map.Entry<String, List<String>> campaign : fields.entrySet()) {
            for (String json : campaign.getValue()) {
                Claim claim = codec.readClaim(json);
                claims.put(claim.id(), claim);
            }
            for (String entry : entries.get(campaign.getKey())) {
                for (Claim claim : ClaimJournal.read(entry, campaign.getKey())) {
                    claims.put(claim.id(), claim);
                }
            }
        }
        long t2 = System.nanoTime();
        Book book = new Book();
        for (Campaign campaign : campaigns) {
            book.restore(campaign);
        }
        for (Claim claim : claims.values()) {
            book.restore(claim);
        }
        book.recovered();
        long t3 = System.nanoTime();
        return new Split((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    }
}
