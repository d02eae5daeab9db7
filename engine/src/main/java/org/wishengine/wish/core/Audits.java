package org.wishengine.wish.core;

import java.util.List;

/**
 * Which decisions of the book are audited, and the record each makes: only an organiser's (the
 * administrator's or a scoped one's) action that changed the book. A claimer's own cancel or
 * fulfil, a refusal, and an edit that changed nothing make none.
 */
final class Audits {

    private Audits() {
    }

    /** A campaign published, or null when it was refused. */
    static AuditRecord publish(Outcome outcome, String scope, long at) {
        if (!outcome.result().changesState() || outcome.campaign() == null) {
            return null;
        }
        Campaign campaign = outcome.campaign();
        return new AuditRecord(at, AuditRecord.actorOf(scope), AuditRecord.PUBLISH, campaign.org(), campaign.id(),
                campaign.id(), campaign.wishes().size() + " wishes");
    }

    /**
     * A claim cancelled, fulfilled or confirmed by an organiser ({@code actor} null), or null when
     * the claimer acted or nothing changed; {@code detail} is what the record adds (the rating).
     */
    static AuditRecord transition(Book book, Outcome outcome, String action, String actor, String scope, long at,
                                  String detail) {
        if (actor != null || !outcome.result().changesState() || outcome.claim() == null) {
            return null;
        }
        Claim claim = outcome.claim();
        return new AuditRecord(at, AuditRecord.actorOf(scope), action, book.campaignOrg(claim.campaignId()),
                claim.campaignId(), claim.id(), detail);
    }

    /** An edit of the tree that changed it, or null. */
    static AuditRecord orgEdit(Book book, OrgChange change, String action, String scope, long at, String detail) {
        if (!change.changesState()) {
            return null;
        }
        String org = action.equals(AuditRecord.ORG_LOAD) ? commonAncestor(book, change.changed()) : change.org().id();
        return new AuditRecord(at, AuditRecord.actorOf(scope), action, org, null,
                action.equals(AuditRecord.ORG_LOAD) ? org : change.org().id(),
                action.equals(AuditRecord.ORG_LOAD) ? change.changed().size() + " orgs" : detail);
    }

    /**
     * The lowest org above or at every org of a load (so that a read of that org's subtree shows
     * the load), or null when they share no root. O(orgs x depth).
     */
    private static String commonAncestor(Book book, List<Org> orgs) {
        List<Org> common = null;
        for (Org org : orgs) {
            List<Org> path = book.orgPath(org.id());
            if (common == null) {
                common = path;
                continue;
            }
            int same = 0;
            while (same < common.size() && same < path.size() && common.get(same).id().equals(path.get(same).id())) {
                same++;
            }
            common = common.subList(0, same);
        }
        return common == null || common.isEmpty() ? null : common.get(common.size() - 1).id();
    }
}
