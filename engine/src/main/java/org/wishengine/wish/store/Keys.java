package org.wishengine.wish.store;

/**
 * The Redis key schema. Every key of a campaign carries the campaign id as a hash tag
 * ({@code {c-1}}), so that all keys one commit touches for a campaign live in one Redis Cluster
 * slot. There is deliberately no global index key: it would put every commit in two slots.
 */
public final class Keys {

    /** SCAN pattern that finds every campaign definition; braces are literal in Redis globs. */
    public static final String CAMPAIGN_PATTERN = "wish:{*}:campaign";

    private Keys() {
    }

    /** The campaign id in a key that {@link #CAMPAIGN_PATTERN} matched. */
    public static String campaignIdOf(String campaignKey) {
        return campaignKey.substring("wish:{".length(), campaignKey.length() - "}:campaign".length());
    }

    public static String campaign(String campaignId) {
        return "wish:{" + campaignId + "}:campaign";
    }

    /** The JSON snapshot hash (claim id to claim JSON) written by earlier engines; migrated into {@link #snapshot} at start-up. */
    public static String claims(String campaignId) {
        return "wish:{" + campaignId + "}:claims";
    }

    /** The folded snapshot: a list of {@link ClaimJournal} entries (see {@link CampaignLoader}). */
    public static String snapshot(String campaignId) {
        return "wish:{" + campaignId + "}:snapshot";
    }

    /** Where a fold writes the next snapshot before renaming it over {@link #snapshot}. */
    public static String snapshotNext(String campaignId) {
        return "wish:{" + campaignId + "}:snapshot-next";
    }

    /** The campaign's fair-start entries: a list of {@link EntryJournal} elements. */
    public static String entries(String campaignId) {
        return "wish:{" + campaignId + "}:entries";
    }

    public static String journal(String campaignId) {
        return "wish:{" + campaignId + "}:journal";
    }

    /** {@code sequence:epoch} of the last batch applied to the campaign (a bare sequence before fencing). */
    public static String sequence(String campaignId) {
        return "wish:{" + campaignId + "}:seq";
    }

    /** The batch sequence in a {@link #sequence} value. */
    public static long batchSequence(String value) {
        int colon = value.indexOf(':');
        return Long.parseLong(colon < 0 ? value : value.substring(0, colon));
    }

    /**
     * On a Redis Cluster, the record that fences a campaign's commits: the node that writes it and
     * the epoch of that node's writer lease, in the campaign's own slot (see {@code lua/lease.lua}).
     */
    public static String owner(String campaignId) {
        return "wish:{" + campaignId + "}:owner";
    }

    /**
     * The lease of the one engine that writes to a Redis of its own (not a cluster): every commit
     * checks its epoch. A single Redis has no slots, so one key can guard every campaign.
     */
    public static final String WRITER_LEASE = "wish:writer";

    /**
     * The organiser tree on a single Redis: a list of {@link OrgJournal} elements, one per batch
     * that changed orgs, each holding the latest state of the orgs that batch changed. Global
     * state, fenced by {@link #WRITER_LEASE} like every campaign (see {@code lua/orgs.lua}).
     */
    public static final String ORGS = "wish:orgs";
    /** {@code sequence:epoch} of the last batch whose org changes {@link #ORGS} holds. */
    public static final String ORGS_SEQUENCE = "wish:orgs:seq";
    /**
     * The audit trail on a single Redis: one {@link AuditCodec} element per organiser action,
     * oldest first. The writer appends the book's records with each batch (through
     * {@code lua/orgs.lua}, fenced and at most once per batch like {@link #ORGS}); the HTTP edge
     * appends token issues and revocations itself, which the book never sees.
     */
    public static final String AUDIT = "wish:audit";

    // The cluster registry (multi-node mode, lua/registry.lua): one hash tag, so one slot and one
    // script call for all of them.

    /** Node id to {@code "<advertise url> <expires at ms>"} (Redis time): the live nodes. */
    public static final String REGISTRY_NODES = "{wish}:nodes";
    /** Campaign id to the node id that owns it, as a hint ({@code ""} while nobody does). */
    public static final String REGISTRY_CAMPAIGNS = "{wish}:campaigns";
    /** Wish id to campaign id: wish ids are unique over the whole cluster. */
    public static final String REGISTRY_WISHES = "{wish}:wishes";
    /** Block number (decimal) to campaign id: each block of claim numbers belongs to one campaign. */
    public static final String REGISTRY_BLOCKS = "{wish}:blocks";
    /** Fields {@code campaign}, {@code wish}, {@code block}: the last number handed out of each. */
    public static final String REGISTRY_COUNTERS = "{wish}:counters";
    /**
     * The organiser tree of a cluster: {@link OrgJournal} elements, one per committed edit; its
     * length is the tree's version, which an edit must name to be committed (registry.lua's
     * {@code tree}), so that edits decided on different nodes come one after the other.
     */
    public static final String REGISTRY_ORGS = "{wish}:orgs";
    /** Org id to the number of campaigns published under it (counted once committed): what a retirement must find on the nodes. */
    public static final String REGISTRY_ORG_CAMPAIGNS = "{wish}:org-campaigns";
    /** The retired org ids: a campaign reserved under one is refused. */
    public static final String REGISTRY_RETIRED_ORGS = "{wish}:retired-orgs";
    /** The audit trail of a cluster, as {@link #AUDIT} on a single Redis; every node appends to it. */
    public static final String REGISTRY_AUDIT = "{wish}:audit";
    /** Node id to {@code "<incarnation>:<batch sequence>"} of its last audit append: each batch's records once. */
    public static final String REGISTRY_AUDIT_SEQUENCE = "{wish}:audit-seq";
}
