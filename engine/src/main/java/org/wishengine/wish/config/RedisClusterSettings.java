package org.wishengine.wish.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the engine's Redis Cluster is and how durable a commit must be there.
 *
 * @param seeds          some of the cluster's nodes ({@code redis://host:port}); the rest is discovered
 * @param minReplicaAcks replicas that must have each commit before its requests are answered
 *                       (Redis {@code WAIT}); 0 answers once the master has it
 */
public record RedisClusterSettings(List<String> seeds, int minReplicaAcks) {

    public RedisClusterSettings {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("--redis-cluster needs at least one redis://host:port");
        }
        for (String seed : seeds) {
            RedisUrl.clusterNodeProblem(seed).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        if (minReplicaAcks < 0 || minReplicaAcks > 5) {
            throw new IllegalArgumentException("--min-replica-acks must be between 0 and 5, not " + minReplicaAcks);
        }
    }

    /** Parses {@code redis://h1:7000,redis://h2:7001}, or says what is wrong with it. */
    public static Optional<String> problem(String seedList) {
        for (String seed : split(seedList)) {
            Optional<String> problem = RedisUrl.clusterNodeProblem(seed);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return split(seedList).isEmpty() ? Optional.of("--redis-cluster needs at least one redis://host:port")
                : Optional.empty();
    }

    public static List<String> split(String seedList) {
        return Arrays.stream(seedList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
