package org.wishengine.wish.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.WishSpec;

/**
 * What a node keeps in memory to route a request to the node that owns its campaign: wish to
 * campaign and claim-number block to campaign, which never change once registered, so they are
 * cached forever and looked up in the registry only on a miss; and the latest live nodes (id to
 * URL) and owner hints (campaign to node id), which the ownership tick replaces as a whole
 * ({@link #refresh}). Thread-safe; reads take no lock.
 *
 * <p>A miss never blocks the caller: it answers a stage that completes when the registry does
 * (on the Redis client's threads, so continuations must not block either), and concurrent misses
 * for one id share one lookup. An unknown id (null) is not cached, since it may be registered later.
 */
public final class ClusterDirectory {

    private final Memo<String> wishes;
    private final Memo<Long> blocks;
    /** Live nodes and owner hints of one refresh, swapped together so a reader sees one view. */
    private volatile View view = new View(Map.of(), Map.of());

    public ClusterDirectory(CampaignLookup registry) {
        this.wishes = new Memo<>(registry::campaignOfWish);
        this.blocks = new Memo<>(registry::campaignOfBlock);
    }

    /** The campaign of a wish, from memory or the registry; null when no campaign has it. */
    public CompletionStage<String> campaignOfWish(String wishId) {
        return wishes.get(wishId);
    }

    /** The campaign of a wish when it is in memory, else null (nothing is looked up). */
    public String knownCampaignOfWish(String wishId) {
        return wishes.known.get(wishId);
    }

    /** The campaign a block of claim numbers was granted to, from memory or the registry; null when none. */
    public CompletionStage<String> campaignOfBlock(long block) {
        return blocks.get(block);
    }

    /** The campaign of a block when it is in memory, else null (nothing is looked up). */
    public String knownCampaignOfBlock(long block) {
        return blocks.known.get(block);
    }

    /** Remembers a campaign's wishes, e.g. right after this node reserved its ids. */
    public void remember(Campaign campaign) {
        for (WishSpec wish : campaign.wishes()) {
            wishes.known.put(wish.id(), campaign.id());
        }
    }

    /** Remembers a block this node was granted for {@code campaignId}. */
    public void rememberBlock(long block, String campaignId) {
        blocks.known.put(block, campaignId);
    }

    /**
     * Replaces the live nodes and the owner hints with the registry's latest ({@code ownerHints}:
     * campaign id to node id, {@code ""} while nobody owns it).
     */
    public void refresh(List<NodeRecord> liveNodes, Map<String, String> ownerHints) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (NodeRecord node : liveNodes) {
            urls.put(node.nodeId(), node.url());
        }
        Map<String, String> owners = new LinkedHashMap<>();
        ownerHints.forEach((campaign, node) -> {
            if (node != null && !node.isEmpty()) {
                owners.put(campaign, node);
            }
        });
        view = new View(Map.copyOf(urls), Map.copyOf(owners));
    }

    /** Node id to URL of the nodes alive at the last refresh. */
    public Map<String, String> nodes() {
        return view.urls;
    }

    /** The URL of a node alive at the last refresh, else null. */
    public String urlOf(String nodeId) {
        return view.urls.get(nodeId);
    }

    /** Campaign id to the node id said to own it at the last refresh (campaigns nobody owns are left out). */
    public Map<String, String> ownerHints() {
        return view.owners;
    }

    /** The node said to own the campaign at the last refresh, or null when nobody is. */
    public String ownerOf(String campaignId) {
        return view.owners.get(campaignId);
    }

    /** The URL of the node said to own the campaign, or null when nobody is or that node is not alive. */
    public String ownerUrlOf(String campaignId) {
        View now = view;
        String owner = now.owners.get(campaignId);
        return owner == null ? null : now.urls.get(owner);
    }

    private record View(Map<String, String> urls, Map<String, String> owners) {
    }

    /** Answers that never change: kept forever once known, looked up once at a time per key. */
    private static final class Memo<K> {

        final ConcurrentHashMap<K, String> known = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<K, CompletableFuture<String>> lookups = new ConcurrentHashMap<>();
        private final Function<K, CompletionStage<String>> lookup;

        Memo(Function<K, CompletionStage<String>> lookup) {
            this.lookup = lookup;
        }

        CompletionStage<String> get(K key) {
            String hit = known.get(key);
            if (hit != null) {
                return CompletableFuture.completedFuture(hit);
            }
            CompletableFuture<String> mine = new CompletableFuture<>();
            CompletableFuture<String> running = lookups.putIfAbsent(key, mine);
            if (running != null) {
                return running.minimalCompletionStage();
            }
            // Registered before the lookup starts, so one that completes at once cannot leave a
            // finished entry behind that later callers would share forever.
            CompletionStage<String> answer;
            try {
                answer = lookup.apply(key);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((campaign, failure) -> {
                if (campaign != null) {
                    known.put(key, campaign);
                }
                lookups.remove(key, mine);
                if (failure != null) {
                    mine.completeExceptionally(failure);
                } else {
                    mine.complete(campaign);
                }
            });
            return mine.minimalCompletionStage(); // callers cannot complete what others share
        }
    }
}
