package org.wishengine.wish.core;

import java.util.Set;

/**
 * One organiser action, as the audit trail keeps it (API.md section 6.18): when ({@code at},
 * epoch millis), who ({@code actor}: {@value #ADMIN} for the district administrator's token,
 * {@code organiser:<org>} for a scoped organiser token), what ({@code action}, one of
 * {@link #ACTIONS}), the org it concerns ({@code org}: the campaign's org, the tree node, the
 * token's org; null for a campaign of no org, which only the administrator's unfiltered read
 * shows), the campaign when there is one, its {@code subject} (claim id, org id, token id) and a
 * free {@code detail} (the rating, the new name, the count of orgs loaded), each possibly null.
 */
public record AuditRecord(long at, String actor, String action, String org, String campaignId, String subject,
                          String detail) {

    public static final String ADMIN = "admin";
    public static final String PUBLISH = "publish";
    public static final String CONFIRM = "confirm";
    public static final String CANCEL = "cancel";
    public static final String FULFIL = "fulfil";
    public static final String ORG_CREATE = "org-create";
    public static final String ORG_RENAME = "org-rename";
    public static final String ORG_RETIRE = "org-retire";
    public static final String ORG_LOAD = "org-load";
    public static final String TOKEN_ISSUE = "token-issue";
    public static final String TOKEN_REVOKE = "token-revoke";
    public static final Set<String> ACTIONS = Set.of(PUBLISH, CONFIRM, CANCEL, FULFIL, ORG_CREATE, ORG_RENAME,
            ORG_RETIRE, ORG_LOAD, TOKEN_ISSUE, TOKEN_REVOKE);

    public AuditRecord {
        if (actor == null || !ACTIONS.contains(action)) {
            throw new IllegalArgumentException("no audit action " + action + " by " + actor);
        }
    }

    /**
     * Who acts with a command's {@code scope}: the scope is exactly what the token says (null only
     * for the administrator's admin token), so the actor is derived from it rather than carried twice.
     */
    public static String actorOf(String scope) {
        return scope == null ? ADMIN : "organiser:" + scope;
    }
}
