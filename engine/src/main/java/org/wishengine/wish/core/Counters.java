package org.wishengine.wish.core;

/**
 * Claim counts by status over some campaigns (one campaign, an organiser's subtree, the whole
 * book), moved on every transition so that statistics cost nothing to read. Writer thread only.
 */
final class Counters {
    long campaigns;
    long wishes;
    long units;
    long active;
    final long[] byStatus = new long[ClaimStatus.values().length];
    long rated;
    long satisfied;

    /** A campaign of {@code wishCount} wishes and {@code moreUnits} units joins, before any claim on it. */
    void addCampaign(long moreUnits, int wishCount) {
        campaigns++;
        wishes += wishCount;
        units += moreUnits;
    }

    /** Adds the counts of a part (a campaign joining an organiser's subtree). */
    void add(Counters part) {
        combine(part, 1);
    }

    /** Takes out the counts of a part (a dropped campaign's). */
    void remove(Counters part) {
        combine(part, -1);
    }

    private void combine(Counters part, int sign) {
        campaigns += sign * part.campaigns;
        wishes += sign * part.wishes;
        units += sign * part.units;
        active += sign * part.active;
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] += sign * part.byStatus[i];
        }
        rated += sign * part.rated;
        satisfied += sign * part.satisfied;
    }

    /** Back to nothing counted. */
    void clear() {
        campaigns = 0;
        wishes = 0;
        units = 0;
        active = 0;
        java.util.Arrays.fill(byStatus, 0);
        rated = 0;
        satisfied = 0;
    }

    /** A claim moved from {@code before} (null for a new one) to {@code after}, rated {@code rating} if confirmed. */
    void move(ClaimStatus before, ClaimStatus after, int rating) {
        if (before != null) {
            byStatus[before.ordinal()]--;
            if (before.isActive()) {
                active--;
            }
        }
        byStatus[after.ordinal()]++;
        if (after.isActive()) {
            active++;
        }
        if (after == ClaimStatus.CONFIRMED && before != ClaimStatus.CONFIRMED) {
            rated++;
            if (rating >= CampaignRules.SATISFIED_RATING) {
                satisfied++;
            }
        }
    }

    /**
     * True while some campaign counted here is still open: a unit nobody holds, or a claim not
     * yet settled (claimed, or fulfilled and awaiting confirmation).
     */
    boolean open() {
        return units - active > 0 || byStatus[ClaimStatus.CLAIMED.ordinal()] > 0
                || byStatus[ClaimStatus.FULFILLED.ordinal()] > 0;
    }

    Stats snapshot() {
        return snapshot(campaigns, wishes);
    }

    Stats snapshot(long campaignCount, long wishCount) {
        return new Stats(campaignCount, wishCount, units, units - active,
                byStatus[ClaimStatus.CLAIMED.ordinal()], byStatus[ClaimStatus.FULFILLED.ordinal()],
                byStatus[ClaimStatus.CONFIRMED.ordinal()], byStatus[ClaimStatus.CANCELLED.ordinal()],
                byStatus[ClaimStatus.EXPIRED.ordinal()], rated, satisfied);
    }
}
