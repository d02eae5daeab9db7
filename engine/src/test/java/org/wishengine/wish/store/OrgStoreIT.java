package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.ring.WriterFenced;

/**
 * The organiser tree in a real single Redis ({@code wish:orgs}, {@code lua/orgs.lua}): every org
 * change of a batch is committed with it under the writer lease, once per batch sequence, and a
 * restart rebuilds the tree, the campaigns' orgs and the subtree statistics.
 */
@Timeout(60)
class OrgStoreIT {

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
        store.takeWriterLease(NodeIdentity.thisProcess("org-store-test"), Duration.ofMinutes(1));
        commands = store.sync();
    }

    @AfterEach
    void stop() {
        store.close();
        redis.stop();
    }

    @Test
    void shouldRebuildTheTreeCampaignOrgsAndSubtreeStatsAfterARestart() throws Exception {
        Org district = new Org("district", "金山区", null);
        Org town = new Org("town-a", "Town\tA\nnorth \\ side", "district");
        Org other = new Org("town-b", "朱泾镇", "district");
        Org community = new Org("com-a1", "Community A1", "town-a");
        // Children before parents in one batch: the reader restores in any order.
        commit(batch(List.of(community, town, district, other), List.of(), List.of()));
        Campaign scoped = campaign("c-a", "com-a1");
        Campaign unscoped = campaign("c-all", null);
        Claim claim = new Claim("cl-1", "c-a-w1", "c-a", "alice", ClaimStatus.CLAIMED, 2_000, 0, 0, 0, 0, 0, null);
        commit(batch(List.of(), List.of(scoped, unscoped), List.of(claim)));
        // Later batches win: a rename, then the other town retired.
        Org renamed = new Org("town-a", "Town A", "district");
        commit(batch(List.of(renamed), List.of(), List.of()));
        Org retired = new Org("town-b", "朱泾镇", "district", true);
        commit(batch(List.of(retired), List.of(), List.of()));
        assertEquals(3, commands.llen(Keys.ORGS), "one element per batch that changed orgs");

        Book book = new Book();
        RecoveryReport report = store.recover(book);
        assertEquals(sequence, report.lastSequence());
        assertEquals(List.of(district, renamed, community, retired), book.orgs(null).value());
        assertEquals("com-a1", book.campaign("c-a").campaign().org());
        assertEquals(null, book.campaign("c-all").campaign().org());
        assertEquals(1, book.orgStats("district").totals().claimed(), "the claim counts up the org chain");
        assertEquals(1, book.orgStats("town-a").children().get(0).stats().claimed());
        assertEquals(0, book.orgStats("town-b").totals().units());
        assertEquals(2, book.stats().campaigns(), "the district's totals count campaigns of no org too");

        Book again = new Book();
        store.recover(again);
        assertEquals(book.orgs(null).value(), again.orgs(null).value());
        assertEquals(book.orgStats(null), again.orgStats(null));
    }

    @Test
    void shouldApplyTheOrgChangesOfABatchOnceWhenItIsSentAgain() throws Exception {
        Batch batch = batch(List.of(new Org("district", "District", null)), List.of(), List.of());
        store.commit(batch);
        store.commit(batch); // Lettuce re-sending after a reconnect, or the commit stage retrying
        assertEquals(1, commands.llen(Keys.ORGS));
        assertEquals(sequence + ":" + commands.hget(Keys.WRITER_LEASE, "epoch"), commands.get(Keys.ORGS_SEQUENCE));
    }

    @Test
    void shouldWriteNoOrgForAFencedWriter() throws Exception {
        commit(batch(List.of(new Org("district", "District", null)), List.of(), List.of()));
        // Another engine took the lease over: its epoch is newer than the one this store holds.
        long epoch = Long.parseLong(commands.hget(Keys.WRITER_LEASE, "epoch"));
        commands.hset(Keys.WRITER_LEASE, "epoch", Long.toString(epoch + 1));

        Batch late = batch(List.of(new Org("town-a", "Town A", "district")), List.of(), List.of());
        assertThrows(WriterFenced.class, () -> store.commit(late));
        assertEquals(1, commands.llen(Keys.ORGS), "nothing written");
        Book book = new Book();
        store.recover(book);
        assertEquals(List.of(new Org("district", "District", null)), book.orgs(null).value());
    }

    private Batch batch(List<Org> orgs, List<Campaign> campaigns, List<Claim> claims) {
        Batch batch = new Batch(++sequence);
        orgs.forEach(batch::orgChanged);
        campaigns.forEach(batch::campaignCreated);
        claims.forEach(batch::claimChanged);
        return batch;
    }

    private void commit(Batch batch) throws Exception {
        store.commit(batch);
    }

    private static Campaign campaign(String id, String org) {
        return new Campaign(id, id, 0, 3, 24, 1_000 + id.length(),
                List.of(new WishSpec(id + "-w1", "a wish", 5, null, null, null, null)), null, org);
    }
}
