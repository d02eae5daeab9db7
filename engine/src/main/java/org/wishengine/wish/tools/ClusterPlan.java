package org.wishengine.wish.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node is a master serving which slots and which is whose replica, for nodes given as
 * {@code redis-cli --cluster create} takes them: the first {@code nodes / (1 + replicas)} are the
 * masters, each with an equal share of the 16384 slots in one range (the first masters take one
 * slot more when they do not divide evenly), and the rest are their replicas, dealt out in turn.
 *
 * @param masters the masters, in the order given
 * @param slotRanges for each master (same index), its first and last slot, both inclusive
 * @param replicaOf each replica and its master, in the order the replicas were given
 */
public record ClusterPlan(List<NodeAddress> masters, List<int[]> slotRanges, Map<NodeAddress, NodeAddress> replicaOf) {

    public static final int SLOTS = 16_384;
    /** Fewer masters than this cannot elect a new one when a master fails; redis-cli refuses them too. */
    public static final int MIN_MASTERS = 3;

    public ClusterPlan {
        masters = List.copyOf(masters);
        slotRanges = List.copyOf(slotRanges);
        replicaOf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replicaOf)); // keeps the given order
    }

    /** The plan for {@code nodes} with {@code replicas} replicas per master. */
    public static ClusterPlan of(List<NodeAddress> nodes, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        if (nodes.stream().distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("a node is given twice: " + nodes);
        }
        int masterCount = nodes.size() / (1 + replicas);
        if (masterCount < MIN_MASTERS) {
            throw new IllegalArgumentException("a cluster needs at least " + MIN_MASTERS + " masters; " + nodes.size()
                    + " node(s) with " + replicas + " replica(s) each make " + masterCount);
        }
        List<NodeAddress> masters = nodes.subList(0, masterCount);
        List<int[]> ranges = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < masterCount; i++) {
            int share = SLOTS / masterCount + (i < SLOTS % masterCount ? 1 : 0);
            ranges.add(new int[] {first, first + share - 1});
            first += share;
        }
        Map<NodeAddress, NodeAddress> replicaOf = new LinkedHashMap<>();
        for (int i = masterCount; i < nodes.size(); i++) {
            replicaOf.put(nodes.get(i), masters.get((i - masterCount) % masterCount));
        }
        return new ClusterPlan(masters, ranges, replicaOf);
    }

    /** Every node: the masters, then the replicas. */
    public List<NodeAddress> nodes() {
        List<NodeAddress> all = new ArrayList<>(masters);
        all.addAll(replicaOf.keySet());
        return all;
    }

    /** The slots of master {@code index}, in order. */
    public int[] slotsOf(int index) {
        int[] range = slotRanges.get(index);
        int[] slots = new int[range[1] - range[0] + 1];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = range[0] + i;
        }
        return slots;
    }
}
