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
 * Every committed claim of one campaign, read back from Redis: the folded snapshot in
 * {@code wish:{c}:claims} (JSON per claim) with the journal {@code wish:{c}:journal} applied on
 * top in order, so the latest committed state of each claim wins.
 */
public final class CommittedClaims {

    /** Entries per LRANGE: an entry can hold a batch of thousands of claims, so keep replies small. */
    private static final int PAGE = 16;

    private final Map<String, Claim> claims;
    private final Map<String, Claim> journaled;
    private final long journalEntries;

    private CommittedClaims(Map<String, Claim> claims, Map<String, Claim> journaled, long journalEntries) {
        this.claims = claims;
        this.journaled = journaled;
        this.journalEntries = journalEntries;
    }

    /**
     * Reads the campaign's claims. Entries appended to the journal while this runs may or may not
     * be included; {@link #journalEntries()} says how many were.
     */
    public static CommittedClaims read(RedisClusterCommands<String, String> redis, StoreCodec codec, String campaignId)
            throws JsonProcessingException {
        Map<String, Claim> claims = new LinkedHashMap<>();
        ScanIterator<KeyValue<String, String>> folded =
                ScanIterator.hscan(redis, Keys.claims(campaignId), ScanArgs.Builder.limit(1000));
        while (folded.hasNext()) {
            KeyValue<String, String> field = folded.next();
            claims.put(field.getKey(), codec.readClaim(field.getValue()));
        }
        String journal = Keys.journal(campaignId);
        long entries = redis.llen(journal);
        Map<String, Claim> journaled = new LinkedHashMap<>();
        for (long from = 0; from < entries; from += PAGE) {
            List<String> page = redis.lrange(journal, from, Math.min(entries, from + PAGE) - 1);
            for (String entry : page) {
                for (Claim claim : ClaimJournal.read(entry, campaignId)) {
                    journaled.put(claim.id(), claim);
                }
            }
        }
        claims.putAll(journaled);
        return new CommittedClaims(claims, journaled, entries);
    }

    /** The latest committed state of every claim, by id. */
    public Map<String, Claim> claims() {
        return Collections.unmodifiableMap(claims);
    }

    /** The claims that the journal entries read changed (their latest state), by id. */
    Map<String, Claim> journaled() {
        return journaled;
    }

    /** How many journal entries were read (from the head of the list). */
    long journalEntries() {
        return journalEntries;
    }
}
