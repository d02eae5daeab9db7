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
import org.wishengine.wish.core.Campaign;
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
            Keys.REGISTRY_BLOCKS, Keys.REGISTRY_COUNTERS};

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
     * blank id ({@code ""}) is treated as having none.
     */
    public CompletionStage<Reservation> reserve(Campaign draft) {
        List<String> args = new ArrayList<>(draft.wishes().size() + 2);
        args.add("reserve");
        args.add(draft.id() == null ? "" : draft.id());
        for (WishSpec wish : draft.wishes()) {
            args.add(wish.id() == null ? "" : wish.id());
        }
        return this.<List<Object>>run(ScriptOutputType.MULTI, args.toArray(new String[0]))
                .thenApply(reply -> reservation(draft, reply));
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
