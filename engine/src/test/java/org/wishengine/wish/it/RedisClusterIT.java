package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves {@link RedisCluster} and pins down, against a real cluster, how Lettuce's
 * {@link RedisClusterClient} does what a cluster store needs: pipelined {@code EVALSHA} of scripts
 * whose keys share a hash tag, {@code WAIT} on the very connection that carried the write, and
 * reaching the promoted replica after its master crashed.
 *
 * <p>The finding on {@code WAIT}: {@code connection.getConnection(host, port)} with the host and
 * port of the slot's master as {@code getPartitions()} has them is the same pooled connection that
 * slot-routed commands use ({@code getConnection(nodeId)} is a different one), so a store sends
 * its scripts and then {@code WAIT} on that node connection and flushes once.
 */
class RedisClusterIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterIT.class);
    /** The shape of the engine's commit: a per-campaign sequence and journal in one slot. */
    private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) "
            + "redis.call('RPUSH', KEYS[2], ARGV[1]) return n";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);
    private static final long AWAIT_SECONDS = 5;

    @TempDir
    Path dir;

    private RedisCluster cluster;
    private RedisClusterClient client;
    private RedisClient plain;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (plain != null) {
            plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void startsThreeMastersWithOneReplicaEachAndCloseLeavesNothingRunning() throws Exception {
        startCluster(List.of());
        List<Integer> ports = cluster.ports();
        assertEquals(6, ports.size());
        assertFalse(ports.contains(6379));
        assertEquals(3, cluster.seedUris().size());
        for (String seed : cluster.seedUris()) {
            assertEquals(1, cluster.replicaPortsOf(RedisURI.create(seed).getPort()).size(), seed);
        }
        int master = cluster.masterPortFor(seqKey("c-1"));
        assertEquals(master, cluster.masterPortFor(journalKey("c-1")), "one hash tag, one slot, one master");
        assertTrue(cluster.seedUris().contains(RedisCluster.uri(master)));

        StatefulRedisClusterConnection<byte[], byte[]> connection = connect();
        assertEquals(6, connection.getPartitions().size());
        assertEquals(master, connection.getPartitions().getMasterBySlot(SlotHash.getSlot(seqKey("c-1")))
                .getUri().getPort(), "Lettuce's view agrees with the fixture's");

        RedisClusterClient fromClusterUri = RedisClusterClient.create(cluster.clusterUri());
        try (StatefulRedisClusterConnection<String, String> seeded = fromClusterUri.connect()) {
            assertEquals(6, seeded.getPartitions().size(), cluster.clusterUri());
        } finally {
            fromClusterUri.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }

        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client = null;
        cluster.close();
        for (int port : ports) {
            assertFalse(accepts(port), "port " + port + " still served");
            assertFalse(accepts(port + RedisCluster.BUS_PORT_OFFSET), "bus port of " + port + " still served");
        }
    }

    /**
     * (a) {@code scriptLoad} on the advanced cluster API loads on every node, replicas included;
     * routed {@code EVALSHA}s for many slots leave in one {@code flushCommands()}; a node that lost
     * its script cache answers {@code NOSCRIPT} ({@link RedisNoScriptException}), and {@code EVAL}
     * of the source both works and re-caches the script there.
     */
    @Test
    void scriptLoadReachesEveryNodeAndRoutedEvalshasForManySlotsLeaveInOneFlush() throws Exception {
        startCluster(List.of());
        StatefulRedisClusterConnection<byte[], byte[]> connection = connect();
        String digest = connection.sync().scriptLoad(SCRIPT);
        for (RedisClusterNode node : connection.getPartitions()) {
            assertEquals(List.of(true), connection.getConnection(node.getNodeId()).sync().scriptExists(digest),
                    "script cached on " + node.getUri() + " " + node.getRole());
        }

        int campaigns = 30;
        connection.setAutoFlushCommands(false);
        List<RedisFuture<Long>> results = new ArrayList<>();
        for (int i = 0; i < campaigns; i++) {
            results.add(connection.async().evalsha(digest, ScriptOutputType.INTEGER, keys("c-" + i), bytes("w" + i)));
        }
        assertTrue(results.stream().noneMatch(Future::isDone), "nothing is sent before flushCommands()");
        connection.flushCommands();
        assertTrue(LettuceFutures.awaitAll(AWAIT_SECONDS, TimeUnit.SECONDS, results.toArray(new Future<?>[0])));
        for (RedisFuture<Long> result : results) {
            assertEquals(1L, result.get());
        }
        connection.setAutoFlushCommands(true);
        assertEquals(3, java.util.stream.IntStream.range(0, campaigns)
                .map(i -> cluster.masterPortFor(seqKey("c-" + i))).distinct().count(), "the batch spans every master");

        int flushed = cluster.masterPortFor(seqKey("c-0"));
        assertEquals("OK", connection.getConnection(RedisCluster.HOST, flushed).sync().scriptFlush());
        ExecutionException noScript = assertThrows(ExecutionException.class, () -> connection.async()
                .evalsha(digest, ScriptOutputType.INTEGER, keys("c-0"), bytes("x")).get(AWAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(RedisNoScriptException.class, noScript.getCause());
        assertEquals(2L, (Long) connection.sync().eval(SCRIPT, ScriptOutputType.INTEGER, keys("c-0"), bytes("y")));
        assertEquals(3L, (Long) connection.sync().evalsha(digest, ScriptOutputType.INTEGER, keys("c-0"), bytes("z")),
                "EVAL cached the script again");
    }

    /**
     * (b) {@code getConnection(host, port)} of the slot's master carries the routed writes, so a
     * {@code WAIT} there covers them; right after it returns 1 the replica has the data. A
     * {@code WAIT} on any other connection (here {@code getConnection(nodeId)}) covers nothing:
     * it returns 1 at once while the replica is asleep.
     */
    @Test
    void waitOnTheMastersHostAndPortConnectionCoversTheWrite() throws Exception {
        startCluster(List.of("--enable-debug-command", "local"));
        StatefulRedisClusterConnection<byte[], byte[]> connection = connect();
        String digest = connection.sync().scriptLoad(SCRIPT);
        String campaign = "c-1";
        RedisClusterNode master = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(seqKey(campaign)));
        String host = master.getUri().getHost();
        int port = master.getUri().getPort();
        assertEquals(cluster.masterPortFor(seqKey(campaign)), port);

        StatefulRedisConnection<byte[], byte[]> byHostAndPort = connection.getConnection(host, port);
        StatefulRedisConnection<byte[], byte[]> byNodeId = connection.getConnection(master.getNodeId());
        long hostAndPortId = byHostAndPort.sync().clientId();
        assertNotEquals(hostAndPortId, (long) byNodeId.sync().clientId(), "node id and host:port: two connections");
        connection.sync().evalsha(digest, ScriptOutputType.INTEGER, keys(campaign), bytes("routed"));
        String clientLine = byNodeId.sync().clientList().lines()
                .filter(line -> line.startsWith("id=" + hostAndPortId + " ")).findFirst().orElseThrow();
        assertTrue(clientLine.contains(" cmd=evalsha "), "the routed EVALSHA went over getConnection(host, port): "
                + clientLine);

        int replicaPort = cluster.replicaPortsOf(port).get(0);
        plain = RedisClient.create();
        StatefulRedisConnection<String, String> replica = plain.connect(nodeUri(replicaPort, COMMAND_TIMEOUT));
        assertEquals("OK", replica.sync().readOnly());

        connection.setAutoFlushCommands(false);
        for (long n = 2; n <= 21; n++) {
            RedisFuture<Long> written = byHostAndPort.async().evalsha(digest, ScriptOutputType.INTEGER,
                    keys(campaign), bytes("w" + n));
            RedisFuture<Long> acked = byHostAndPort.async().waitForReplication(1, 1_000);
            connection.flushCommands();
            assertEquals(n, written.get(AWAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(1L, acked.get(AWAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(Long.toString(n), replica.sync().get(seqKey(campaign)), "replica has it once WAIT said so");
            assertEquals(n, replica.sync().llen(journalKey(campaign)));
        }

        // The engine's batch: per master, its scripts then one WAIT on its host:port connection; one flush.
        Map<String, List<String>> campaignsByMaster = new LinkedHashMap<>();
        for (int i = 100; i < 130; i++) {
            RedisURI owner = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(seqKey("c-" + i))).getUri();
            campaignsByMaster.computeIfAbsent(owner.getHost() + ":" + owner.getPort(), k -> new ArrayList<>())
                    .add("c-" + i);
        }
        assertEquals(3, campaignsByMaster.size());
        Map<String, RedisFuture<Long>> acks = new LinkedHashMap<>();
        List<RedisFuture<Long>> writes = new ArrayList<>();
        campaignsByMaster.forEach((node, batch) -> {
            String[] hostPort = node.split(":");
            StatefulRedisConnection<byte[], byte[]> nodeConnection =
                    connection.getConnection(hostPort[0], Integer.parseInt(hostPort[1]));
            batch.forEach(c -> writes.add(nodeConnection.async().evalsha(digest, ScriptOutputType.INTEGER, keys(c),
                    bytes("batched"))));
            acks.put(node, nodeConnection.async().waitForReplication(1, 1_000));
        });
        connection.flushCommands();
        assertTrue(LettuceFutures.awaitAll(AWAIT_SECONDS, TimeUnit.SECONDS, writes.toArray(new Future<?>[0])));
        for (Map.Entry<String, RedisFuture<Long>> ack : acks.entrySet()) {
            assertEquals(1L, ack.getValue().get(AWAIT_SECONDS, TimeUnit.SECONDS), ack.getKey());
            int masterPort = Integer.parseInt(ack.getKey().split(":")[1]);
            try (StatefulRedisConnection<String, String> itsReplica = plain.connect(
                    nodeUri(cluster.replicaPortsOf(masterPort).get(0), COMMAND_TIMEOUT))) {
                itsReplica.sync().readOnly();
                for (String c : campaignsByMaster.get(ack.getKey())) {
                    assertEquals("1", itsReplica.sync().get(seqKey(c)), c + " on the replica of " + ack.getKey());
                }
            }
        }

        // Negative control: with the replica asleep, only the WAIT on the writing connection waits.
        StatefulRedisConnection<String, String> sleeper = plain.connect(nodeUri(replicaPort, COMMAND_TIMEOUT));
        StatefulRedisConnection<String, String> probe = plain.connect(nodeUri(replicaPort, Duration.ofMillis(100)));
        RedisFuture<String> slept = sleeper.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(1.5));
        awaitUnresponsive(probe);
        RedisFuture<Long> written = connection.async().evalsha(digest, ScriptOutputType.INTEGER, keys(campaign),
                bytes("while the replica sleeps"));
        RedisFuture<Long> elsewhere = byNodeId.async().waitForReplication(1, 300);
        RedisFuture<Long> here = byHostAndPort.async().waitForReplication(1, 300);
        connection.flushCommands();
        assertEquals(22L, written.get(AWAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1L, elsewhere.get(AWAIT_SECONDS, TimeUnit.SECONDS), "WAIT on a connection that wrote nothing");
        assertEquals(0L, here.get(AWAIT_SECONDS, TimeUnit.SECONDS), "WAIT on the writing connection: not acked yet");
        assertEquals("OK", slept.get(AWAIT_SECONDS, TimeUnit.SECONDS));
        RedisFuture<Long> later = byHostAndPort.async().waitForReplication(1, 2_000);
        connection.flushCommands();
        assertEquals(1L, later.get(AWAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("22", replica.sync().get(seqKey(campaign)));

        // A node connection does not follow MOVED: a store must re-route itself.
        RedisClusterNode other = connection.getPartitions().stream()
                .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM) && n.getUri().getPort() != port)
                .findFirst().orElseThrow();
        RedisFuture<Long> misrouted = connection.getConnection(host, other.getUri().getPort()).async()
                .evalsha(digest, ScriptOutputType.INTEGER, keys(campaign), bytes("wrong node"));
        connection.flushCommands();
        ExecutionException moved = assertThrows(ExecutionException.class,
                () -> misrouted.get(AWAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(RedisCommandExecutionException.class, moved.getCause());
        assertTrue(moved.getCause().getMessage().startsWith("MOVED " + SlotHash.getSlot(seqKey(campaign)) + " "),
                moved.getCause().getMessage());
    }

    /**
     * (c) Kill the master of a campaign's slot: its replica takes over, the client's topology
     * refresh finds it, and what was written before a {@code WAIT} that returned 1 is there.
     */
    @Test
    void afterTheMasterDiesTheClientReachesThePromotedReplicaWithTheAcknowledgedData() throws Exception {
        startCluster(List.of());
        StatefulRedisClusterConnection<byte[], byte[]> connection = connect();
        String digest = connection.sync().scriptLoad(SCRIPT);
        String campaign = "c-7";
        int slot = SlotHash.getSlot(seqKey(campaign));
        int oldMaster = cluster.masterPortFor(seqKey(campaign));
        int replicaPort = cluster.replicaPortsOf(oldMaster).get(0);
        StatefulRedisConnection<byte[], byte[]> oldNode = connection.getConnection(RedisCluster.HOST, oldMaster);
        for (long n = 1; n <= 3; n++) {
            assertEquals(n, (Long) oldNode.sync().evalsha(digest, ScriptOutputType.INTEGER, keys(campaign), bytes("w" + n)));
        }
        assertEquals(1L, oldNode.sync().waitForReplication(1, 1_000));

        long killedAt = System.nanoTime();
        assertEquals(oldMaster, cluster.killMasterOf(seqKey(campaign)));
        int newMaster = cluster.awaitFailover(seqKey(campaign), Duration.ofSeconds(15));
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertEquals(replicaPort, newMaster);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.getPartitions().getMasterBySlot(slot).getUri().getPort() != newMaster) {
            assertTrue(System.nanoTime() < deadline, "client's topology still names " + oldMaster);
            Thread.sleep(20); // poll interval; Lettuce refreshes in the background
        }
        long clientMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        LOG.info("Failover: SIGKILL to cluster_state:ok with {} promoted: {} ms; client topology updated after {} ms",
                newMaster, failoverMs, clientMs);

        assertEquals("3", new String(connection.sync().get(bytes(seqKey(campaign))), StandardCharsets.UTF_8));
        assertEquals(3L, connection.sync().llen(bytes(journalKey(campaign))));

        // The store re-resolves the master from getPartitions(); the script is already cached there.
        RedisURI now = connection.getPartitions().getMasterBySlot(slot).getUri();
        StatefulRedisConnection<byte[], byte[]> newNode = connection.getConnection(now.getHost(), now.getPort());
        assertEquals(4L, (Long) newNode.sync().evalsha(digest, ScriptOutputType.INTEGER, keys(campaign), bytes("w4")));
        assertEquals(0L, newNode.sync().waitForReplication(1, 200), "no replica left to acknowledge");

        // The dead node stays in the topology (flagged fail): its connection queues commands until they time out.
        oldNode.setTimeout(Duration.ofMillis(300));
        assertThrows(RedisCommandTimeoutException.class, () -> oldNode.sync().get(bytes(seqKey(campaign))));
        // scriptLoad goes to every known node, so with one dead it fails as a whole.
        ExecutionException loadWithDeadNode = assertThrows(ExecutionException.class,
                () -> connection.async().scriptLoad("return 1").get(AWAIT_SECONDS, TimeUnit.SECONDS));
        LOG.info("scriptLoad with a dead node in the topology: {}", loadWithDeadNode.getCause().toString());
    }

    private void startCluster(List<String> extraArgs) {
        long started = System.nanoTime();
        cluster = RedisCluster.start(dir, 3, 1, extraArgs);
        LOG.info("Started {} in {} ms", cluster, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Seeds with the fixture's masters; topology refresh as a cluster store would configure it. */
    private StatefulRedisClusterConnection<byte[], byte[]> connect() {
        client = RedisClusterClient.create(cluster.seedUris().stream().map(uri -> {
            RedisURI seed = RedisURI.create(uri);
            seed.setTimeout(COMMAND_TIMEOUT);
            return seed;
        }).toList());
        client.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(1))
                        // Adaptive triggers (MOVED, ASK, persistent reconnects, ...) are all on by default since
                        // Lettuce 7; they are rate-limited to one per this timeout (default 5 s).
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .build())
                .build());
        return client.connect(ByteArrayCodec.INSTANCE);
    }

    /** Returns once a PING on {@code probe} goes unanswered: DEBUG SLEEP has begun on its node. */
    private static void awaitUnresponsive(StatefulRedisConnection<String, String> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (true) {
            try {
                probe.sync().ping();
            } catch (RedisCommandTimeoutException asleep) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the node never went to sleep");
            Thread.sleep(5); // poll interval
        }
    }

    private static RedisURI nodeUri(int port, Duration timeout) {
        return RedisURI.Builder.redis(RedisCluster.HOST, port).withTimeout(timeout).build();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(RedisCluster.HOST, port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static String seqKey(String campaign) {
        return "wish:{" + campaign + "}:seq";
    }

    private static String journalKey(String campaign) {
        return "wish:{" + campaign + "}:journal";
    }

    private static byte[][] keys(String campaign) {
        return new byte[][] {bytes(seqKey(campaign)), bytes(journalKey(campaign))};
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
