package org.wishengine.wish.tools;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Forms a Redis Cluster out of empty cluster-enabled nodes as {@code redis-cli --cluster create
 * --cluster-yes} does: each master takes its slots ({@code CLUSTER ADDSLOTS}, which Redis 6 has too,
 * unlike {@code ADDSLOTSRANGE}) and a config epoch of its own, the first node meets all others,
 * once every node knows every other each replica follows its master ({@code CLUSTER REPLICATE}),
 * and {@link #form} returns when every node reports {@code cluster_state:ok} with all slots served
 * and every replica's link to its master is up (what a script would otherwise poll node by node).
 */
final class ClusterFormation {

    private static final long POLL_MS = 100;

    private final ClusterPlan plan;
    private final PrintStream progress;

    ClusterFormation(ClusterPlan plan, PrintStream progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /**
     * Forms the cluster within {@code timeout}.
     *
     * @throws IllegalStateException if a node is not an empty cluster node, refuses a step, or the
     *     cluster is not ready in time (the message says which node and why)
     */
    void form(ToolRedis redis, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<NodeAddress, RedisCommands<String, String>> nodes = new LinkedHashMap<>();
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try {
            for (NodeAddress node : plan.nodes()) {
                StatefulRedisConnection<String, String> connection = redis.connect(node);
                connections.add(connection);
                nodes.put(node, connection.sync());
            }
            nodes.forEach(ClusterFormation::requireEmpty);
            Map<NodeAddress, String> ids = new LinkedHashMap<>();
            nodes.forEach((node, commands) -> ids.put(node, commands.clusterMyId()));

            progress.println(">>> Assigning " + ClusterPlan.SLOTS + " slots to " + plan.masters().size() + " masters");
            for (int i = 0; i < plan.masters().size(); i++) {
                NodeAddress master = plan.masters().get(i);
                int[] range = plan.slotRanges().get(i);
                nodes.get(master).clusterAddSlots(plan.slotsOf(i));
                progress.println("Master[" + i + "] " + master + " " + ids.get(master) + " slots " + range[0] + "-" + range[1]);
            }
            // Distinct epochs from the start, so that no two masters first have to settle a collision.
            int epoch = 1;
            for (RedisCommands<String, String> commands : nodes.values()) {
                expectOk(new RawCommand(List.of("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(epoch++)))
                        .sendOn(commands.getStatefulConnection()), "CLUSTER SET-CONFIG-EPOCH");
            }

            progress.println(">>> Sending CLUSTER MEET to every node");
            RedisCommands<String, String> first = nodes.values().iterator().next();
            for (NodeAddress node : plan.nodes().subList(1, plan.nodes().size())) {
                first.clusterMeet(node.host(), node.port());
            }
            await(deadline, "every node to know all " + nodes.size() + " nodes", () -> firstUnjoined(nodes));

            for (Map.Entry<NodeAddress, NodeAddress> replica : plan.replicaOf().entrySet()) {
                progress.println("Replica " + replica.getKey() + " of " + replica.getValue());
                nodes.get(replica.getKey()).clusterReplicate(ids.get(replica.getValue()));
            }
            await(deadline, "cluster_state:ok on every node and every replica in sync", () -> firstNotOk(nodes));
            progress.println("[OK] All " + ClusterPlan.SLOTS + " slots covered; every node reports cluster_state:ok;"
                    + " every replica's link to its master is up");
        } finally {
            connections.forEach(StatefulRedisConnection::close);
        }
    }

    private static void requireEmpty(NodeAddress node, RedisCommands<String, String> commands) {
        String info = commands.clusterInfo();
        if (!info.contains("cluster_known_nodes:1\r\n") || !info.contains("cluster_slots_assigned:0\r\n")) {
            throw new IllegalStateException("node " + node + " is not empty: it knows other nodes or serves slots");
        }
    }

    private static void expectOk(RawReply reply, String what) {
        if (reply.failed()) {
            throw new IllegalStateException(what + ": " + reply.error());
        }
    }

    /** A node that does not yet know every other node as a connected peer, with why; empty when none. */
    private static Optional<String> firstUnjoined(Map<NodeAddress, RedisCommands<String, String>> nodes) {
        for (Map.Entry<NodeAddress, RedisCommands<String, String>> node : nodes.entrySet()) {
            List<String> lines = node.getValue().clusterNodes().lines().filter(line -> !line.isBlank()).toList();
            long settled = lines.stream().filter(line -> !line.contains("handshake") && !line.contains("noaddr")
                    && line.contains(" connected")).count();
            if (lines.size() != nodes.size() || settled != nodes.size()) {
                return Optional.of(node.getKey() + " knows " + settled + " of " + nodes.size() + " nodes");
            }
        }
        return Optional.empty();
    }

    private Optional<String> firstNotOk(Map<NodeAddress, RedisCommands<String, String>> nodes) {
        for (Map.Entry<NodeAddress, RedisCommands<String, String>> node : nodes.entrySet()) {
            String info = node.getValue().clusterInfo();
            for (String want : List.of("cluster_state:ok", "cluster_slots_assigned:" + ClusterPlan.SLOTS,
                    "cluster_known_nodes:" + nodes.size())) {
                if (!info.contains(want + "\r\n")) {
                    return Optional.of(node.getKey() + " lacks " + want);
                }
            }
            if (plan.replicaOf().containsKey(node.getKey())
                    && !node.getValue().info("replication").contains("master_link_status:up")) {
                return Optional.of("replica " + node.getKey() + ": link to its master not up");
            }
        }
        return Optional.empty();
    }

    /** Polls {@code problem} until it is empty; throws with its last answer at the deadline. */
    private static void await(long deadline, String awaited, java.util.function.Supplier<Optional<String>> problem) {
        Optional<String> last = problem.get();
        while (last.isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + awaited + ": " + last.get());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MS); // poll interval of a bounded wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + awaited, e);
            }
            last = problem.get();
        }
    }
}
