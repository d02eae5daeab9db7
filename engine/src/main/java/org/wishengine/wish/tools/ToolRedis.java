package org.wishengine.wish.tools;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Lettuce client for the command-line tools: short timeouts, no reconnecting (a tool that cannot
 * reach a node says so and exits, it does not wait for it), RESP2 (replies as {@code redis-cli}
 * prints them, on Redis 6 as on 7), and one I/O thread, since a tool lives for one command or a
 * few and its JVM start-up is what a shell script waits for.
 */
final class ToolRedis implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final ClientResources resources;
    private final RedisClient client;

    ToolRedis() {
        quietClientLogs();
        resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled()).build();
        client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
    }

    /**
     * The engine's logging goes to stdout, which a tool's caller parses; a tool reports its own
     * failures on stderr, so Lettuce's and Netty's warnings are not wanted there.
     */
    private static void quietClientLogs() {
        for (String name : new String[] {"io.lettuce", "io.netty"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }

    /** A connection of its own to {@code node}. */
    StatefulRedisConnection<String, String> connect(NodeAddress node) {
        RedisURI uri = RedisURI.builder().withHost(node.host()).withPort(node.port()).withTimeout(COMMAND_TIMEOUT).build();
        return client.connect(StringCodec.UTF8, uri);
    }

    @Override
    public void close() {
        // No quiet period: nothing else will use these threads, and a script waits for this exit.
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
