package org.wishengine.wish.store;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two connections the store uses, to a single Redis or to a Redis Cluster, behind the
 * command interfaces both share: one for commits (bytes, flushed by hand, used by the commit
 * stage alone) and one for everything else. On a cluster, Lettuce routes each command by its
 * key's slot, follows MOVED/ASK, and refreshes its view of the topology on redirects, on
 * reconnects and every second, so that a replica promoted after a master failed is found.
 */
final class RedisLink implements AutoCloseable {

    private static final int REQUEST_QUEUE_LIMIT = 10_000;

    final AbstractRedisClient client;
    final boolean cluster;
    final StatefulConnection<byte[], byte[]> commitConnection;
    final RedisClusterAsyncCommands<byte[], byte[]> commit;
    final StatefulConnection<String, String> queryConnection;
    final RedisClusterCommands<String, String> sync;
    final RedisClusterAsyncCommands<String, String> async;
    /** The commit connection as a cluster connection (per-node access for WAIT), or null on a single Redis. */
    final StatefulRedisClusterConnection<byte[], byte[]> clusterCommit;
    /** On a cluster: a client for connections of their own to one node (see {@link #dedicatedConnection}). */
    private RedisClient nodeClient;

    private RedisLink(AbstractRedisClient client, StatefulConnection<byte[], byte[]> commitConnection,
                      RedisClusterAsyncCommands<byte[], byte[]> commit, StatefulConnection<String, String> queryConnection,
                      RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async,
                      StatefulRedisClusterConnection<byte[], byte[]> clusterCommit) {
        this.client = client;
        this.cluster = clusterCommit != null;
        this.clusterCommit = clusterCommit;
        this.commitConnection = commitConnection;
        this.commit = commit;
        this.queryConnection = queryConnection;
        this.sync = sync;
        this.async = async;
    }

    /**
     * Connects to one Redis; commands fail fast while disconnected so that the commit stage, not
     * Lettuce's unbounded buffer, decides what to retry. Shuts the client down if it cannot connect.
     */
    static RedisLink standalone(ClientResources resources, RedisURI uri, Duration commandTimeout) {
        RedisClient client = RedisClient.create(resources, uri);
        try {
            client.setOptions(options(commandTimeout));
            StatefulRedisConnection<byte[], byte[]> commit = client.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisConnection<String, String> query = client.connect();
            return new RedisLink(client, commit, commit.async(), query, query.sync(), query.async(), null);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /** Connects to a Redis Cluster through any of its {@code seeds}; as {@link #standalone} otherwise. */
    static RedisLink cluster(ClientResources resources, List<RedisURI> seeds, Duration commandTimeout) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        try {
            // The same options as on a single Redis: failing fast while a node is down matters even
            // more here, since a command queued for a dead master would hold a batch for the whole
            // command timeout, whereas a refusal lets the commit stage retry on the promoted replica
            // as soon as the topology shows it. (The cluster client opens a node's connection on
            // first use, so every master is connected below before anything is sent.)
            client.setOptions(ClusterClientOptions.builder(options(commandTimeout))
                    // Adaptive refresh (on MOVED, ASK, reconnects) is on by default; its rate limit of
                    // 5 s and no periodic refresh would hide a promoted replica for seconds.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1))
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                            .build())
                    .build());
            StatefulRedisClusterConnection<byte[], byte[]> commit = client.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisClusterConnection<String, String> query = client.connect();
            for (RedisClusterNode node : commit.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
                    commit.getConnection(node.getUri().getHost(), node.getUri().getPort());
                    query.getConnection(node.getUri().getHost(), node.getUri().getPort());
                }
            }
            return new RedisLink(client, commit, commit.async(), query, query.sync(), query.async(), commit);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /**
     * A connection to every master that serves slots, for commands that must visit each (SCAN):
     * on a cluster, masters that failed are skipped (they stay in the topology, flagged, after a
     * replica took over); on a single Redis, that Redis.
     */
    List<RedisClusterCommands<String, String>> masters() {
        if (!cluster) {
            return List.of(sync);
        }
        StatefulRedisClusterConnection<String, String> connection = (StatefulRedisClusterConnection<String, String>) queryConnection;
        List<RedisClusterCommands<String, String>> masters = new ArrayList<>();
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)
                    && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL) && !node.getSlots().isEmpty()) {
                masters.add(connection.getConnection(node.getUri().getHost(), node.getUri().getPort()).sync());
            }
        }
        return masters;
    }

    /**
     * A connection of its own to the Redis that holds {@code key} (on a cluster, the master of its
     * slot; any key on a single Redis), for work that sends a transaction or must not share a
     * connection with the commits; the caller closes it.
     */
    StatefulRedisConnection<byte[], byte[]> dedicatedConnection(String key) {
        if (!cluster) {
            return ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
        }
        RedisURI master = clusterCommit.getPartitions().getMasterBySlot(SlotHash.getSlot(key)).getUri();
        synchronized (this) {
            if (nodeClient == null) {
                nodeClient = RedisClient.create(resources()); // shares the resources; shutting it down leaves them
                nodeClient.setOptions(client.getOptions());
            }
        }
        return nodeClient.connect(ByteArrayCodec.INSTANCE, RedisURI.create(master.getHost(), master.getPort()));
    }

    /**
     * Reconnect by themselves, and fail commands fast while disconnected so that the commit stage,
     * not Lettuce's unbounded buffer, decides what to retry.
     */
    private static ClientOptions options(Duration commandTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_LIMIT)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    ClientResources resources() {
        return client.getResources();
    }

    @Override
    public void close() {
        try {
            commitConnection.close();
            queryConnection.close();
            synchronized (this) {
                if (nodeClient != null) {
                    nodeClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                }
            }
        } finally {
            shutdown(client);
        }
    }

    /** Resources passed to {@code create} are the caller's to shut down, whatever else fails. */
    static void shutdown(AbstractRedisClient client) {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            if (client.getResources().eventLoopGroupProvider() instanceof LentEventLoops lent) {
                lent.awaitQueuedTasks();
            }
        } finally {
            client.getResources().shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
