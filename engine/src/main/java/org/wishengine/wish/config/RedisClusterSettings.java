package org.wishengine.wish.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the engine's Redis Cluster is and how durable a commit must be there.
 *
 * @param seeds          some of the cluster's nodes ({@code redis://host:port}); the rest is discovered
 * @param minReplicaAcks replicas that must have each commit before its requests are answered
 *                       (Redis {@code WAIT}); 0 answers once the master has it
 * @param advertiseUrl   where the other engine nodes reach this one ({@code http://host:port}),
 *                       or null for this machine's address and the bound port
 */
public record RedisClusterSettings(List<String> seeds, int minReplicaAcks, URI advertiseUrl) {

    /** Settings whose node is reached at this machine's address. */
    public RedisClusterSettings(List<String> seeds, int minReplicaAcks) {
        this(seeds, minReplicaAcks, null);
    }

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
        if (advertiseUrl != null) {
            advertiseProblem(advertiseUrl.toString()).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
    }

    /** Checks an {@code --advertise-url}: {@code http://host:port} and nothing more. */
    public static Optional<String> advertiseProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("--advertise-url is not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            return Optional.of("--advertise-url must look like http://host:port (where the other nodes reach "
                    + "this one), not " + url);
        }
        return Optional.empty();
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
