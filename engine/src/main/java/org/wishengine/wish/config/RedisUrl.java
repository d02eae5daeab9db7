package org.wishengine.wish.config;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an external Redis URL before anything starts. The engine retries a Redis that does not
 * answer until it does, so a URL that can never work ({@code localhost:6379}, {@code http://x},
 * {@code redis://}) must be refused here, or the engine would wait for it forever.
 */
public final class RedisUrl {

    /** Lettuce's schemes that name a host (a sentinel URL names its sentinels' hosts). */
    private static final Set<String> HOST_SCHEMES = Set.of("redis", "rediss", "redis+ssl", "redis+tls");
    private static final Set<String> SENTINEL_SCHEMES = Set.of("redis-sentinel", "rediss-sentinel");
    private static final Set<String> SOCKET_SCHEMES = Set.of("redis-socket", "redis+socket");

    private RedisUrl() {
    }

    /** Why {@code url} cannot be a Redis server's URL, in one line naming the flag; empty when it can. */
    public static Optional<String> problem(String url) {
        return usable(url) ? Optional.empty() : Optional.of("--redis-url \"" + redacted(url)
                + "\" is not a Redis URL; expected redis://host:port (or rediss://, redis-socket://)");
    }

    /** As {@link #problem}, for one node of {@code --redis-cluster} (a cluster has no sockets or sentinels). */
    public static Optional<String> clusterNodeProblem(String url) {
        boolean hostAndPort = url.startsWith("redis://") || url.startsWith("rediss://");
        return hostAndPort && usable(url) ? Optional.empty() : Optional.of("--redis-cluster node \"" + redacted(url)
                + "\" is not a Redis node URL; expected redis://host:port,redis://host:port,...");
    }

    /** Throws {@link IllegalArgumentException} with {@link #problem}'s line when {@code url} is unusable. */
    public static void check(String url) {
        Optional<String> problem = problem(url);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    private static boolean usable(String url) {
        RedisURI parsed;
        URI plain;
        try {
            parsed = RedisURI.create(url);
            plain = new URI(url);
        } catch (IllegalArgumentException | URISyntaxException e) {
            return false;
        }
        String scheme = plain.getScheme() == null ? "" : plain.getScheme(); // Lettuce: lower case only
        if (HOST_SCHEMES.contains(scheme)) {
            // Lettuce takes "redis://:6379" or "redis://h:port" as a host named ":6379" or "h:port";
            // java.net.URI finds no host in either.
            return plain.getHost() != null && parsed.getHost() != null;
        }
        if (SENTINEL_SCHEMES.contains(scheme)) {
            return !parsed.getSentinels().isEmpty();
        }
        if (SOCKET_SCHEMES.contains(scheme)) {
            return parsed.getSocket() != null && !parsed.getSocket().isEmpty();
        }
        return false;
    }

    /** The URL as printed: a password in it stays out of the terminal and the logs. */
    public static String redacted(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }
}
