package org.wishengine.wish.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.EntryOutcome;
import org.wishengine.wish.ring.Batch;
import org.wishengine.wish.ring.Replier;
import org.wishengine.wish.ring.RingEntry;

/**
 * Claim transitions and units left per campaign, gathered from ring entries and counted once
 * their batch is committed, so the meters never read the writer's book and only count what is durable.
 * Campaign ids are few and chosen by organisers, so they are acceptable as a tag.
 */
public final class LifecycleMeters implements Replier {

    private final MeterRegistry registry;
    private final Map<ClaimStatus, Counter> transitions = new EnumMap<>(ClaimStatus.class);
    private final ConcurrentHashMap<String, AtomicLong> remaining = new ConcurrentHashMap<>();
    /** Fair-start entries by where they stand: made (pending), then won or lost in their draw. */
    private final Map<EntryOutcome, Counter> entries = new EnumMap<>(EntryOutcome.class);
    /** The changes of the ring batch being settled; only the ring thread touches it. */
    private Batch gathered = new Batch();

    LifecycleMeters(MeterRegistry registry) {
        this.registry = registry;
        for (ClaimStatus status : ClaimStatus.values()) {
            transitions.put(status, Counter.builder("wish.claim.transitions")
                    .description("Claims that entered a status (committed)")
                    .tag("status", status.wireName()).register(registry));
        }
        for (EntryOutcome outcome : EntryOutcome.values()) {
            entries.put(outcome, Counter.builder("wish.entries")
                    .description("Fair-start entries made (pending) and settled by their draw (won, lost); committed")
                    .tag("outcome", outcome.wireName()).register(registry));
        }
    }

    /** Seeds the gauge of a campaign known at start-up or just created. */
    public void campaign(CampaignView view) {
        remaining.computeIfAbsent(view.campaign().id(), id -> {
            AtomicLong units = new AtomicLong();
            Gauge.builder("wish.campaign.units.remaining", units, AtomicLong::get)
                    .description("Units of a campaign's wishes that nobody holds")
                    .tag("campaign", id).register(registry);
            return units;
        }).set(view.remaining());
    }

    @Override
    public void reply(RingEntry entry) {
        if (entry.reply != null) {
            entry.reply.changes(gathered);
        }
    }

    @Override
    public Runnable endOfBatch() {
        if (gathered.isEmpty()) {
            return null;
        }
        Batch committed = gathered;
        gathered = new Batch();
        return () -> {
            for (Campaign campaign : committed.campaigns()) {
                campaign(CampaignView.fresh(campaign));
            }
            for (Claim claim : committed.claims()) {
                count(claim);
            }
            for (Entry entry : committed.entries()) {
                entries.get(entry.outcome()).increment();
            }
        };
    }

    private void count(Claim claim) {
        transitions.get(claim.status()).increment();
        AtomicLong units = remaining.get(claim.campaignId());
        if (units == null) {
            return;
        }
        if (claim.status() == ClaimStatus.CLAIMED) {
            units.decrementAndGet();
        } else if (!claim.status().isActive()) {
            units.incrementAndGet();
        }
    }
}
