package org.wishengine.wish.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which live node should own a campaign: rendezvous (highest random weight) hashing. Every node
 * scores every (node, campaign) pair with the same hash and the highest score wins, so all nodes
 * that see the same live set agree without talking, and when a node joins or leaves only the
 * campaigns it wins or held move (about 1/N of them), not a reshuffle of all.
 *
 * <p>The hash is FNV-1a over the UTF-8 bytes followed by a 64-bit finaliser: stable across JVMs
 * and releases (unlike {@code String.hashCode} mixing, which is stable but clusters badly on ids
 * such as {@code c-1, c-2}), and cheap enough to score a few thousand campaigns per tick.
 */
public final class Placement {

    private Placement() {
    }

    /** The node that should own {@code campaignId} among {@code liveNodes}; null when none is live. */
    public static String owner(String campaignId, Collection<String> liveNodes) {
        String best = null;
        long bestScore = 0;
        for (String node : liveNodes) {
            long score = score(node, campaignId);
            // Ties (astronomically rare) go to the smaller node id, so every node still agrees.
            if (best == null || Long.compareUnsigned(score, bestScore) > 0
                    || (score == bestScore && node.compareTo(best) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    /** The weight of {@code node} for {@code campaignId}; the highest wins. */
    static long score(String node, String campaignId) {
        long hash = 0xcbf29ce484222325L;
        hash = fnv(hash, node);
        hash = (hash ^ 0xff) * 0x100000001b3L; // a separator no UTF-8 text contains: ("ab","c") != ("a","bc")
        hash = fnv(hash, campaignId);
        return mix(hash);
    }

    private static long fnv(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }

    /** The splitmix64 finaliser: spreads FNV's weak high bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
