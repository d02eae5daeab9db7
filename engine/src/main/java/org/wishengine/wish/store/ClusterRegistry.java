package org.wishengine.wish.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.wishengine.wish.cluster.CampaignLookup;
import org.wishengine.wish.cluster.NodeRecord;
import org.wishengine.wish.cluster.Reservation;
import org.wishengine.wish.core.AuditRecord;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.WishSpec;

/**
 * The cluster registry in Redis (multi-node mode): live nodes, reserved campaign and wish ids,
 * granted blocks of claim numbers, and who owns which campaign (a hint). Every key is
 * {@code {wish}:*} (see {@link Keys#REGISTRY_NODES} and the rest), so they share one slot, and
 * every change is one atomic run of {@code lua/registry.lua}, judged by Redis's clock. Lookups
 * are plain reads. All calls are asynchronous and run on the store's query connection; their
 * stages complete on the Redis client's threads, so whatever continues from them must not block.
 */
public final class ClusterRegistry implements CampaignLookup {

    private static final String SCRIPT = RedisLeases.read("/lua/registry.lua");
    private static final String[] KEYS = {Keys.REGISTRY_NODES, Keys.REGISTRY_CAMPAIGNS, Keys.REGISTRY_WISHES,
            Keys.REGISTRY_BLOCKS, Keys.REGISTRY_COUNTERS, Keys.REGISTRY_ORGS, Keys.REGISTRY_ORG_CAMPAIGNS,
            Keys.REGISTRY_RETIRED_ORGS, Keys.REGISTRY_AUDIT, Keys.REGISTRY_AUDIT_SEQUENCE};

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String scriptSha;

    /** Loads the script on every live master (as the store loads its commit script), once per store. */
    ClusterRegistry(RedisLink link) {
        this.redis = link.async;
        String sha = null;
        for (var master : link.masters()) {
            sha = master.scriptLoad(SCRIPT);
        }
        this.scriptSha = sha;
    }

    /**
     * Writes this node's heartbeat, valid for {@code ttlMillis} of Redis time, deletes the entries
     * that ran out, and answers the live nodes (this one included).
     */
    public CompletionStage<List<NodeRecord>> heartbeat(String nodeId, String advertiseUrl, long ttlMillis) {
        if (advertiseUrl.isEmpty() || ttlMillis <= 0) {
            throw new IllegalArgumentException("a heartbeat needs a url and a positive ttl");
        }
        return this.<List<Object>>run(ScriptOutputType.MULTI, "heartbeat", nodeId, advertiseUrl,
                Long.toString(ttlMillis)).thenApply(ClusterRegistry::nodes);
    }

    /** Removes this node from the live nodes at once (a clean stop); true when it was listed. */
    public CompletionStage<Boolean> leave(String nodeId) {
        return this.<Long>run(ScriptOutputType.INTEGER, "leave", nodeId).thenApply(removed -> removed == 1L);
    }

    /**
     * Reserves the draft's ids: a missing campaign id becomes the next free {@code c-N}, each
     * missing wish id the next free {@code w-N}, and every wish id is registered to the campaign.
     * An explicit campaign id already registered is accepted (a retry of a publish whose owner
     * crashed), but its explicit wish ids must then be registered to it or to nothing. Atomic:
     * of two drafts naming one wish id, one is reserved and the other conflicts. A draft with a
     * blank id ({@code ""}) is treated as having none. A new campaign of a retired org is refused.
     */
    public CompletionStage<Reservation> reserve(Campaign draft) {
        List<String> args = new ArrayList<>(draft.wishes().size() + 3);
        args.add("reserve");
        args.add(draft.id() == null ? "" : draft.id());
        args.add(draft.org() == null ? "" : draft.org());
        for (WishSpec wish : draft.wishes()) {
            args.add(wish.id() == null ? "" : wish.id());
        }
        return this.<List<Object>>run(ScriptOutputType.MULTI, args.toArray(new String[0]))
                .thenApply(reply -> reservation(draft, reply));
    }

    /** The version of the organiser tree: how many edits were committed to it. */
    public CompletionStage<Long> treeVersion() {
        return redis.llen(Keys.REGISTRY_ORGS);
    }

    /** The edits of the organiser tree from version {@code from} on, each as the orgs it changed, oldest first. */
    public CompletionStage<List<List<Org>>> treeSince(long from) {
        return redis.lrange(Keys.REGISTRY_ORGS, from, -1).thenApply(elements -> {
            List<List<Org>> edits = new ArrayList<>(elements.size());
            for (String element : elements) {
                edits.add(OrgJournal.read(element.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return edits;
        });
    }

    /**
     * Commits one edit of the organiser tree decided against tree version {@code version}: the
     * orgs it changed, its audit record (or null), the orgs it retires with the number of
     * campaigns the nodes hold of each ({@code held}, same order), and the orgs it makes live
     * again. Refused, with nothing written, when another edit came first or when a retired org
     * has a campaign the nodes did not count.
     */
    public CompletionStage<TreeCommit> commitTree(long version, List<Org> changed, AuditRecord audit,
                                                  List<String> retiring, List<Long> held, List<String> revived) {
        OrgJournal element = new OrgJournal();
        changed.forEach(element::append);
        List<String> heldText = new ArrayList<>(held.size());
        held.forEach(n -> heldText.add(Long.toString(n)));
        return this.<List<Object>>run(ScriptOutputType.MULTI, "tree", Long.toString(version),
                new String(element.toByteArray(), java.nio.charset.StandardCharsets.UTF_8),
                audit == null ? "" : AuditCodec.write(audit), String.join(" ", retiring), String.join(" ", heldText),
                String.join(" ", revived)).thenApply(reply -> {
                    String verdict = reply.isEmpty() ? "" : text(reply.get(0));
                    return switch (verdict) {
                        case "ok" -> new TreeCommit.Committed(number(reply.get(1)));
                        case "stale" -> new TreeCommit.Stale(number(reply.get(1)));
                        case "moving" -> new TreeCommit.Uncounted(text(reply.get(1)));
                        default -> throw new IllegalStateException("registry.lua answered " + reply + " to a tree edit");
                    };
                });
    }

    /** What became of a tree edit sent to the registry. */
    public sealed interface TreeCommit {
        /** Committed: the tree is now at {@code version}. */
        record Committed(long version) implements TreeCommit {
        }

        /** Another edit came first: the tree is at {@code version}, and this one was not written. */
        record Stale(long version) implements TreeCommit {
        }

        /** Not written: {@code org} has a campaign the nodes did not count (being published, or on a node that is down). */
        record Uncounted(String org) implements TreeCommit {
        }
    }

    /**
     * Adds what a node's committed batch means to the registry, once: its audit records to the
     * cluster's trail, and one campaign to each org of {@code publishedOrgs} (the orgs of the
     * campaigns it published, one entry per campaign), which a retirement compares with what the
     * nodes hold. A batch re-sent under the same sequence by the same incarnation of the node adds
     * nothing more. True when added now.
     */
    public CompletionStage<Boolean> appendAudits(String nodeId, String incarnation, long batchSequence,
                                                 List<String> publishedOrgs, List<String> records) {
        String[] args = new String[5 + records.size()];
        args[0] = "audit";
        args[1] = nodeId;
        args[2] = incarnation;
        args[3] = Long.toString(batchSequence);
        args[4] = String.join(" ", publishedOrgs);
        for (int i = 0; i < records.size(); i++) {
            args[5 + i] = records.get(i);
        }
        return this.<Long>run(ScriptOutputType.INTEGER, args).thenApply(appended -> appended == 1L);
    }

    /** A new block of claim numbers for the campaign (>= 1, unique cluster-wide), recorded as its. */
    public CompletionStage<Long> grantBlock(String campaignId) {
        return run(ScriptOutputType.INTEGER, "grant", campaignId);
    }

    @Override
    public CompletionStage<String> campaignOfWish(String wishId) {
        return redis.hget(Keys.REGISTRY_WISHES, wishId);
    }

    @Override
    public CompletionStage<String> campaignOfBlock(long block) {
        return redis.hget(Keys.REGISTRY_BLOCKS, Long.toString(block));
    }

    /** Every registered campaign's id with its owner hint ({@code ""} while nobody owns it). */
    public CompletionStage<Map<String, String>> campaigns() {
        return redis.hgetall(Keys.REGISTRY_CAMPAIGNS).thenApply(Collections::unmodifiableMap);
    }

    /** True when a campaign with this id was ever registered (reserved or published). */
    public CompletionStage<Boolean> isRegistered(String campaignId) {
        return redis.hexists(Keys.REGISTRY_CAMPAIGNS, campaignId);
    }

    /** Records {@code nodeId} as the campaign's owner, for other nodes to route to ({@code ""}: nobody). */
    public CompletionStage<Void> setOwnerHint(String campaignId, String nodeId) {
        return redis.hset(Keys.REGISTRY_CAMPAIGNS, campaignId, nodeId).thenApply(ignored -> null);
    }

    /**
     * Runs the script by its digest, and by its source when Redis answers NOSCRIPT (a restarted
     * master, or a replica promoted after the script was loaded), which caches it there again.
     */
    private <T> CompletionStage<T> run(ScriptOutputType type, String... args) {
        CompletableFuture<T> bySha = redis.<T>evalsha(scriptSha, type, KEYS, args).toCompletableFuture();
        return bySha.handle((answer, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return cause instanceof RedisNoScriptException
                    ? redis.<T>eval(SCRIPT, type, KEYS, args).toCompletableFuture()
                    : CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    private static List<NodeRecord> nodes(List<Object> reply) {
        List<NodeRecord> nodes = new ArrayList<>(reply.size() / 3);
        for (int i = 0; i + 2 < reply.size(); i += 3) {
            nodes.add(new NodeRecord(text(reply.get(i)), text(reply.get(i + 1)), number(reply.get(i + 2))));
        }
        return List.copyOf(nodes);
    }

    private static Reservation reservation(Campaign draft, List<Object> reply) {
        String verdict = reply.isEmpty() ? "" : text(reply.get(0));
        if (verdict.equals("conflict") && reply.size() == 2) {
            return new Reservation.Conflict(text(reply.get(1)));
        }
        if (verdict.equals("retired") && reply.size() == 2) {
            return new Reservation.RetiredOrg(text(reply.get(1)));
        }
        if (!verdict.equals("ok") || reply.size() != draft.wishes().size() + 2) {
            throw new IllegalStateException("registry.lua answered " + reply + " to a reservation");
        }
        List<String> wishIds = new ArrayList<>(draft.wishes().size());
        for (int i = 2; i < reply.size(); i++) {
            wishIds.add(text(reply.get(i)));
        }
        return new Reservation.Reserved(draft.withReservedIds(text(reply.get(1)), wishIds));
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    private static long number(Object value) {
        return value instanceof Long n ? n : Long.parseLong(text(value));
    }
}
