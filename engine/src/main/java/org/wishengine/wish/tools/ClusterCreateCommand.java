package org.wishengine.wish.tools;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cluster-create}: forms a Redis Cluster out of empty cluster-enabled nodes, as
 * {@code redis-cli --cluster create --cluster-replicas N --cluster-yes} does (see
 * {@link ClusterFormation}); exits 0 once every node reports {@code cluster_state:ok}.
 */
@Command(name = "cluster-create", mixinStandardHelpOptions = true,
        description = "Form a Redis Cluster of empty nodes as redis-cli --cluster create does; the first "
                + "nodes/(1+replicas) are the masters.")
public final class ClusterCreateCommand implements Callable<Integer> {

    @Option(names = "--replicas", defaultValue = "0", description = "replicas per master (default 0)")
    int replicas;

    @Option(names = "--timeout", defaultValue = "60", description = "seconds to wait for cluster_state:ok (default 60)")
    int timeoutSeconds;

    @Parameters(arity = "1..*", paramLabel = "HOST:PORT", description = "the nodes")
    List<String> nodes;

    @Override
    public Integer call() {
        ClusterPlan plan;
        try {
            plan = ClusterPlan.of(nodes.stream().map(NodeAddress::parse).toList(), replicas);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (ToolRedis redis = new ToolRedis()) {
            new ClusterFormation(plan, System.out).form(redis, Duration.ofSeconds(timeoutSeconds));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("cluster-create failed: " + e.getMessage());
            return 1;
        }
    }
}
