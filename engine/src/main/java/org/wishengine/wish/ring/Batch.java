package org.wishengine.wish.ring;

import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.core.AuditRecord;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.ChangeSink;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.Org;

/**
 * The changes of one ring batch, committed to the store as one unit. {@link #sequence} grows
 * by one per batch and survives restarts (the store keeps the last one), so that a store can
 * tell a retried or re-sent batch from a new one.
 */
public final class Batch implements ChangeSink {

    private long sequence;
    private final List<Campaign> campaigns = new ArrayList<>();
    private final List<Claim> claims = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();
    private final List<Org> orgs = new ArrayList<>();
    private final List<AuditRecord> audits = new ArrayList<>();
    /** Each list's size at the last {@link #mark()}, in the order of {@link #lists}. */
    private final int[] marked = new int[5];
    private final List<?>[] lists = {campaigns, claims, entries, orgs, audits};

    public Batch() {
    }

    public Batch(long sequence) {
        this.sequence = sequence;
    }

    /** Numbers the batch when it is sent. */
    void assign(long newSequence) {
        sequence = newSequence;
    }

    public long sequence() {
        return sequence;
    }

    /** Campaigns created in this batch. */
    public List<Campaign> campaigns() {
        return campaigns;
    }

    /** Claims created or changed in this batch, in the order they were decided. */
    public List<Claim> claims() {
        return claims;
    }

    /** Fair-start entries made or settled in this batch, in the order they were decided. */
    public List<Entry> entries() {
        return entries;
    }

    /** Orgs of the organiser tree added or changed in this batch, in the order they were decided. */
    public List<Org> orgs() {
        return orgs;
    }

    /** The audit records of organiser actions decided in this batch, in the order they were decided. */
    public List<AuditRecord> audits() {
        return audits;
    }

    @Override
    public void audited(AuditRecord record) {
        audits.add(record);
    }

    @Override
    public void orgChanged(Org org) {
        orgs.add(org);
    }

    @Override
    public void entryChanged(Entry entry) {
        entries.add(entry);
    }

    @Override
    public void claimChanged(Claim claim) {
        claims.add(claim);
    }

    @Override
    public void campaignCreated(Campaign campaign) {
        campaigns.add(campaign);
    }

    /**
     * Appends every change of {@code later} after this batch's own, in order: a ring batch settled
     * while another was on the wire joins the one waiting to go next (see {@link CommitStage}).
     */
    void absorb(Batch later) {
        campaigns.addAll(later.campaigns);
        claims.addAll(later.claims);
        entries.addAll(later.entries);
        orgs.addAll(later.orgs);
        audits.addAll(later.audits);
    }

    /** Remembers where every list stands, so {@link #discardSinceMark()} can take back one command's changes. */
    void mark() {
        for (int i = 0; i < lists.length; i++) {
            marked[i] = lists[i].size();
        }
    }

    /** Drops every change added since the last {@link #mark()} (a command that failed half way). */
    void discardSinceMark() {
        for (int i = 0; i < lists.length; i++) {
            List<?> list = lists[i];
            if (list.size() > marked[i]) {
                list.subList(marked[i], list.size()).clear();
            }
        }
    }

    public boolean isEmpty() {
        return campaigns.isEmpty() && claims.isEmpty() && entries.isEmpty() && orgs.isEmpty() && audits.isEmpty();
    }

    public int size() {
        return campaigns.size() + claims.size() + entries.size() + orgs.size() + audits.size();
    }

    /** Starts a new batch with the given sequence (callers pass increasing numbers). */
    public void reset(long newSequence) {
        sequence = newSequence;
        campaigns.clear();
        claims.clear();
        entries.clear();
        orgs.clear();
        audits.clear();
    }
}
