package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.ring.Batch;

/**
 * Start-up recovery against a real Redis, at the store: the compact snapshot that the journal
 * is folded into, the JSON snapshot of earlier engines, and folds interrupted at each step. The
 * reference for "what is committed" is {@link CommittedClaims}, a plain oldest-first reader.
 */
@Timeout(60)
class SnapshotFoldIT {

    private static final String CAMPAIGN = "snap";
    private static final String OTHER = "snap-other";
    /** More claims than one snapshot entry holds, so that the snapshot spans several entries. */
    private static final int CLAIMS = 2 * CampaignLoader.CHUNK_CLAIMS + 123;

    @TempDir
    Path tmp;

    private LocalRedis redis;
    private RedisStore store;
    private RedisClusterCommands<String, String> commands;
    private long sequence;

    @BeforeEach
    void start() {
        redis = LocalRedis.start(tmp, 0, List.of("--appendonly", "no"));
        store = RedisStore.connect(redis.uri(), Duration.ofSeconds(5));
        store.takeWriterLease(NodeIdentity.thisProcess("snapshot-fold-test"), Duration.ofMinutes(1));
        commands = store.sync();
    }

    @AfterEach
    void stop() {
        store.close();
        redis.stop();
    }

    @Test
    void shouldFoldTheJournalIntoASnapshotThatTheNextStartReadsAlone() throws Exception {
        commitGrab();
        Map<String, Claim> committed = committed(CAMPAIGN);
        assertEquals(CLAIMS, committed.size());

        Book first = new Book();
        RecoveryReport report = store.recover(first);
        assertEquals(committed, claimsIn(first, CAMPAIGN));
        assertEquals(sequence, report.lastSequence());
        assertEquals(0, commands.llen(Keys.journal(CAMPAIGN)), "journal folded");
        assertEquals(3, commands.llen(Keys.snapshot(CAMPAIGN)), "snapshot entries of up to " + CampaignLoader.CHUNK_CLAIMS);
        assertEquals(committed, committed(CAMPAIGN));

        Book second = new Book();
        RecoveryReport again = store.recover(second);
        assertEquals(0, again.journalEntries());
        assertEquals(CLAIMS + 1, again.lines(), "the snapshot holds each claim once (plus the other campaign's)");
        assertEquals(committed, claimsIn(second, CAMPAIGN));
        assertEquals(first.stats(), second.stats());
        assertEquals(first.claimsOf("user-7"), second.claimsOf("user-7"));
    }

    @Test
    void shouldReadAndMigrateTheJsonSnapshotOfAnEarlierEngine() throws Exception {
        commitGrab();
        Map<String, Claim> committed = committed(CAMPAIGN);
        // As an earlier engine left it: most claims folded into the JSON hash (some in an older
        // state than the journal's), the rest of the journal still to fold.
        List<String> journal = commands.lrange(Keys.journal(CAMPAIGN), 0, -1);
        int folded = journal.size() / 2;
        Map<String, String> hash = new HashMap<>();
        StoreCodec codec = new StoreCodec();
        for (String entry : journal.subList(0, folded)) {
            for (Claim claim : ClaimJournal.read(entry, CAMPAIGN)) {
                hash.put(claim.id(), codec.write(claim));
            }
        }
        commands.hset(Keys.claims(CAMPAIGN), hash);
        commands.ltrim(Keys.journal(CAMPAIGN), folded, -1);
        assertEquals(committed, committed(CAMPAIGN));

        Book book = new Book();
        store.recover(book);
        assertEquals(committed, claimsIn(book, CAMPAIGN));
        assertEquals(0, commands.exists(Keys.claims(CAMPAIGN)), "JSON hash migrated");
        assertEquals(0, commands.llen(Keys.journal(CAMPAIGN)));
        assertEquals(committed, committed(CAMPAIGN));
        Book after = new Book();
        store.recover(after);
        assertEquals(committed, claimsIn(after, CAMPAIGN));
    }

    @Test
    void shouldSurviveAFoldInterruptedBeforeOrAfterItsTransaction() throws Exception {
        commitGrab();
        Map<String, Claim> committed = committed(CAMPAIGN);
        List<String> journal = commands.lrange(Keys.journal(CAMPAIGN), 0, -1);
        store.recover(new Book());

        // Died after writing the next snapshot, before swapping it in: the half-written key is
        // ignored, and the journal entries it was folding are still there.
        commands.rpush(Keys.snapshotNext(CAMPAIGN), "claims/1\ncl-1\tsnap-w1\tintruder\tCLAIMED\t1\t0\t0\t0\t0\t0\n");
        commands.rpush(Keys.journal(CAMPAIGN), journal.toArray(new String[0]));
        Book replayed = new Book();
        store.recover(replayed);
        assertEquals(committed, claimsIn(replayed, CAMPAIGN), "entries replayed over a snapshot that has them");
        assertEquals(committed, committed(CAMPAIGN));
        assertEquals(0, commands.exists(Keys.snapshotNext(CAMPAIGN)));
        assertEquals(0, commands.llen(Keys.journal(CAMPAIGN)));

        // A leftover next snapshot with nothing to fold is dropped too.
        commands.rpush(Keys.snapshotNext(CAMPAIGN), "claims/1\n");
        Book quiet = new Book();
        store.recover(quiet);
        assertEquals(committed, claimsIn(quiet, CAMPAIGN));
        assertEquals(0, commands.exists(Keys.snapshotNext(CAMPAIGN)));
    }

    @Test
    void shouldKeepClaimsTheBookRefusesThroughAFold() throws Exception {
        commitGrab();
        Claim strangeId = new Claim("cl-007", "snap-w1", CAMPAIGN, "user-1", ClaimStatus.CLAIMED, 5, 0, 0, 0, 0, 0, null);
        Claim unknownWish = new Claim("cl-999999", "gone", CAMPAIGN, "user-1", ClaimStatus.CLAIMED, 5, 0, 0, 0, 0, 0, null);
        Claim otherCampaignsWish = new Claim("cl-999998", "snap-other-w1", CAMPAIGN, "user-1", ClaimStatus.CLAIMED,
                5, 0, 0, 0, 0, 0, null);
        commit(List.of(strangeId, unknownWish, otherCampaignsWish));
        Map<String, Claim> committed = committed(CAMPAIGN);

        Book book = new Book();
        store.recover(book);
        assertNull(book.claim("cl-999999"));
        assertNull(book.claim("cl-999998"), "a claim is loaded only into the campaign it was committed to");
        assertEquals(committed, committed(CAMPAIGN), "refused claims are folded, not dropped");
        assertTrue(committed(CAMPAIGN).containsKey("cl-007"));
    }

    @Test
    void shouldRecoverOneCampaignOnItsOwn() throws Exception {
        commitGrab();
        Map<String, Claim> committed = committed(CAMPAIGN);
        Book book = new Book();
        RecoveryReport report = store.recoverCampaign(book, CAMPAIGN);
        assertEquals(1, report.campaigns());
        assertEquals(committed, claimsIn(book, CAMPAIGN));
        assertNull(book.campaign(OTHER), "only the campaign asked for");
        assertEquals(1, commands.llen(Keys.journal(OTHER)), "the other campaign's journal is left alone");
        assertEquals(RecoveryReport.NONE, store.recoverCampaign(new Book(), "no-such-campaign"));
    }

    /**
     * Two campaigns; {@value #CLAIMS} claims on the first in batches of 100, then a third of them
     * moved on in later batches, so the journal holds several states of many claims; one claim on
     * the second.
     */
    private void commitGrab() throws Exception {
        Batch batch = new Batch(++sequence);
        batch.campaigns().add(campaign(CAMPAIGN, 50));
        batch.campaigns().add(campaign(OTHER, 1));
        store.commit(batch);
        List<Claim> changes = new ArrayList<>();
        for (int n = 1; n <= CLAIMS; n++) {
            changes.add(claimed(n));
        }
        for (int n = 1; n <= CLAIMS; n += 3) {
            Claim made = claimed(n);
            changes.add(with(made, ClaimStatus.FULFILLED, 0, null));
            if (n % 2 == 1) {
                changes.add(with(made, ClaimStatus.CONFIRMED, 5, n % 5 == 1 ? "merci\tà vous\n" : null));
            }
        }
        changes.add(new Claim("cl-" + (CLAIMS + 1), OTHER + "-w1", OTHER, "user-1", ClaimStatus.CLAIMED,
                1_000, 0, 0, 0, 0, 0, null));
        for (int from = 0; from < changes.size(); from += 100) {
            commit(changes.subList(from, Math.min(changes.size(), from + 100)));
        }
    }

    private void commit(List<Claim> claims) throws Exception {
        Batch batch = new Batch(++sequence);
        batch.claims().addAll(claims);
        store.commit(batch);
    }

    private static Campaign campaign(String id, int wishes) {
        List<WishSpec> specs = new ArrayList<>();
        for (int w = 1; w <= wishes; w++) {
            specs.add(new WishSpec(id + "-w" + w, "wish " + w, CLAIMS, null, null, null, null));
        }
        return new Campaign(id, id, 0, 3, 24, 10, specs);
    }

    private static Claim claimed(int n) {
        return new Claim("cl-" + n, CAMPAIGN + "-w" + (1 + n % 50), CAMPAIGN, "user-" + (n % 700), ClaimStatus.CLAIMED,
                1_000 + n, 0, 0, 0, 0, 0, null);
    }

    private static Claim with(Claim made, ClaimStatus status, int rating, String comment) {
        long at = made.claimedAt() + 10;
        return new Claim(made.id(), made.wishId(), made.campaignId(), made.userId(), status, made.claimedAt(), at,
                status == ClaimStatus.CONFIRMED ? at + 1 : 0, 0, 0, rating, comment);
    }

    private Map<String, Claim> committed(String campaignId) throws Exception {
        return new HashMap<>(CommittedClaims.read(commands, new StoreCodec(), campaignId).claims());
    }

    private static Map<String, Claim> claimsIn(Book book, String campaignId) {
        Map<String, Claim> byId = new LinkedHashMap<>();
        for (Claim claim : book.claimsOfCampaign(campaignId)) {
            assertFalse(byId.containsKey(claim.id()), claim::toString);
            byId.put(claim.id(), claim);
        }
        return new HashMap<>(byId);
    }
}
