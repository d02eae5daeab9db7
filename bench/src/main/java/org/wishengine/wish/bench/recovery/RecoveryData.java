package org.wishengine.wish.bench.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.Stats;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.store.RedisStore;

/**
 * The data the recovery benchmark fills Redis with, through {@link RedisStore#commit} exactly as
 * the commit stage writes it: {@code claims} claims spread round-robin over {@code campaigns}
 * campaigns of {@value #WISHES} wishes, half as many users as claims, committed in batches of
 * {@code batchSize} claims that mix the campaigns (one journal entry per campaign per batch).
 * After every claim is made, 4 in 10 move on in later batches, as in a real grab: fulfilled,
 * confirmed (every tenth with a comment holding a tab and non-ASCII text), cancelled or expired.
 * So the journal holds about 1.4 lines per claim, and each claim's latest state is known here.
 */
final class RecoveryData {

    static final int WISHES = 1000;
    private static final long T0 = 1_700_000_000_000L;

    private final int claims;
    private final int campaigns;
    private final int batchSize;

    RecoveryData(int claims, int campaigns, int batchSize) {
        this.claims = claims;
        this.campaigns = campaigns;
        this.batchSize = batchSize;
    }

    /** Commits the campaigns, every claim, then the transitions; returns the last batch sequence used. */
    long fill(RedisStore store) throws Exception {
        store.takeWriterLease(NodeIdentity.thisProcess("recovery-fill"), Duration.ofMinutes(30));
        long sequence = 0;
        Batch batch = new Batch(++sequence);
        for (int c = 0; c < campaigns; c++) {
            batch.campaigns().add(campaign(c));
        }
        store.commit(batch);
        List<Claim> changes = new ArrayList<>(batchSize);
        for (int n = 1; n <= claims; n++) {
            changes.add(claimed(n));
            if (changes.size() == batchSize) {
                sequence = commit(store, ++sequence, changes);
            }
        }
        for (int n = 1; n <= claims; n++) {
            Claim latest = latest(n);
            if (latest.status() != ClaimStatus.CLAIMED) {
                changes.add(latest);
                if (changes.size() == batchSize) {
                    sequence = commit(store, ++sequence, changes);
                }
            }
        }
        if (!changes.isEmpty()) {
            sequence = commit(store, ++sequence, changes);
        }
        return sequence;
    }

    private static long commit(RedisStore store, long sequence, List<Claim> changes) throws Exception {
        Batch batch = new Batch(sequence);
        batch.claims().addAll(changes);
        store.commit(batch);
        changes.clear();
        return sequence;
    }

    /** Throws unless the book's counts are exactly those of the claims committed. */
    void verify(Stats stats) {
        long[] expected = new long[ClaimStatus.values().length];
        for (int n = 1; n <= claims; n++) {
            expected[latest(n).status().ordinal()]++;
        }
        long[] actual = {stats.claimed(), stats.fulfilled(), stats.confirmed(), stats.cancelled(), stats.expired()};
        for (ClaimStatus status : ClaimStatus.values()) {
            if (actual[status.ordinal()] != expected[status.ordinal()]) {
                throw new IllegalStateException("recovered " + actual[status.ordinal()] + " " + status
                        + " claims, committed " + expected[status.ordinal()]);
            }
        }
        if (stats.campaigns() != campaigns) {
            throw new IllegalStateException("recovered " + stats.campaigns() + " campaigns, committed " + campaigns);
        }
    }

    private Campaign campaign(int c) {
        int quantity = claims / campaigns / WISHES + 2;
        List<WishSpec> wishes = new ArrayList<>(WISHES);
        for (int w = 0; w < WISHES; w++) {
            wishes.add(new WishSpec(wishId(c, w), "wish " + w, quantity, "toys", "Lyon", null, null));
        }
        return new Campaign("rb-" + c, "recovery bench " + c, T0, 4, 168, T0 - 1000 + c, wishes);
    }

    private static String wishId(int c, int w) {
        return "rb-" + c + "-w" + w;
    }

    private Claim claimed(int n) {
        int c = n % campaigns;
        return new Claim("cl-" + n, wishId(c, (n / campaigns) % WISHES), "rb-" + c, "user-" + (n % (claims / 2 + 1)),
                ClaimStatus.CLAIMED, T0 + n, 0, 0, 0, 0, 0, null);
    }

    private Claim latest(int n) {
        Claim made = claimed(n);
        long at = made.claimedAt() + 60_000;
        return switch (n % 10) {
            case 0, 1 -> with(made, ClaimStatus.FULFILLED, at, 0, 0, 0, 0, null);
            case 2 -> with(made, ClaimStatus.CONFIRMED, at, at + 1, 0, 0, 4 + (n / 10) % 2,
                    n % 100 == 2 ? "merci\tbeaucoup ✓" : null);
            case 3 -> with(made, ClaimStatus.CANCELLED, 0, 0, at, 0, 0, null);
            case 4 -> with(made, ClaimStatus.EXPIRED, 0, 0, 0, at, 0, null);
            default -> made;
        };
    }

    private static Claim with(Claim made, ClaimStatus status, long fulfilledAt, long confirmedAt, long cancelledAt,
                              long expiredAt, int rating, String comment) {
        return new Claim(made.id(), made.wishId(), made.campaignId(), made.userId(), status, made.claimedAt(),
                fulfilledAt, confirmedAt, cancelledAt, expiredAt, rating, comment);
    }
}
