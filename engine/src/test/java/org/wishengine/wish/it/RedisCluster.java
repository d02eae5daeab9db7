package org.wishengine.wish.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.wishengine.wish.store.LocalRedis;

/**
 * A real Redis Cluster for tests: {@code masters} masters with {@code replicasPerMaster} replicas
 * each, every node a {@link LocalRedis} child ({@code redis-server} found the way the engine finds
 * it; append-only file with {@code appendfsync everysec}, no RDB snapshots) on a free loopback port
 * whose cluster bus port (port + 10000) is free too, each in its own directory under the given one.
 *
 * <p>Nodes use {@code cluster-node-timeout} {@value #NODE_TIMEOUT_MS} ms so that a replica takes
 * over within a few seconds of its master dying. The cluster is formed with
 * {@code redis-cli --cluster create}, using the {@code redis-cli} beside the {@code redis-server}
 * binary. When {@link #start} returns, every node reports {@code cluster_state:ok} with all 16384
 * slots assigned and every replica's link to its master is up (so {@code WAIT} can be satisfied).
 *
 * <p>{@link #close()} kills every node; should a test not call it, a shutdown hook does, and each
 * node's {@link LocalRedis} watchdog stops it once the JVM is gone however it ended. Ports stay
 * below the kernel's ephemeral range so that other tests' port-0 servers cannot take a bus port.
 */
public final class RedisCluster implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    /** Redis Cluster's fixed offset from a node's client port to its cluster bus port. */
    static final int BUS_PORT_OFFSET = 10_000;
    static final int NODE_TIMEOUT_MS = 1_000;
    private static final int SLOTS = 16_384;
    /** Client ports come from here; their bus ports (+10000) end below 32768, the ephemeral range. */
    private static final int LOWEST_PORT = 11_000;
    private static final int HIGHEST_PORT = 22_000;
    private static final int START_ATTEMPTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);
    private static final long POLL_MS = 20;

    private final Path dir;
    private final int masters;
    private final int replicasPerMaster;
    /** By client port, in start order; never changes after {@link #start}. */
    private final Map<Integer, LocalRedis> nodes = new LinkedHashMap<>();
    private final Set<Integer> killed = new HashSet<>();
    private final List<Integer> initialMasters = new ArrayList<>();
    /** Plain (non-cluster) client for per-node admin commands; each call opens a short connection. */
    private final RedisClient admin;
    private final Thread shutdownHook;
    private boolean closed;

    private RedisCluster(Path dir, int masters, int replicasPerMaster) {
        this.dir = dir;
        this.masters = masters;
        this.replicasPerMaster = replicasPerMaster;
        this.admin = RedisClient.create();
        admin.setOptions(ClientOptions.builder().autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(ADMIN_TIMEOUT).build()).build());
        this.shutdownHook = new Thread(this::killAll, "redis-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the default cluster: three masters with one replica each. */
    public static RedisCluster start(Path dir) {
        return start(dir, 3, 1);
    }

    /** Starts {@code masters} (at least 3, as {@code redis-cli} requires) with their replicas. */
    public static RedisCluster start(Path dir, int masters, int replicasPerMaster) {
        return start(dir, masters, replicasPerMaster, List.of());
    }

    /**
     * As {@link #start(Path, int, int)}, with {@code extraArgs} appended to every node's command
     * line, e.g. {@code List.of("--enable-debug-command", "local")}.
     */
    public static RedisCluster start(Path dir, int masters, int replicasPerMaster, List<String> extraArgs) {
        if (masters < 3 || replicasPerMaster < 0) {
            throw new IllegalArgumentException("need at least 3 masters and no negative replica count, got "
                    + masters + " and " + replicasPerMaster);
        }
        RedisCluster cluster = new RedisCluster(dir.toAbsolutePath().normalize(), masters, replicasPerMaster);
        try {
            cluster.startNodes(masters * (1 + replicasPerMaster), extraArgs);
            cluster.create();
            cluster.awaitReady();
            // Masters that serve slots: a node's view may still call a fresh replica a master for a
            // moment after every link is up (gossip), but never gives it slots.
            cluster.initialMasters.addAll(cluster.livePartitions().stream()
                    .filter(node -> node.is(NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
                    .map(node -> node.getUri().getPort()).sorted().toList());
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis://127.0.0.1:port} of each master the cluster started with. */
    public List<String> seedUris() {
        return initialMasters.stream().map(RedisCluster::uri).toList();
    }

    /**
     * The masters in Lettuce's multi-host form, {@code redis://127.0.0.1:p1,127.0.0.1:p2,...}, as
     * {@code RedisClusterClient.create(String)} takes it: it rejects a {@code redis://} after a comma.
     */
    public String clusterUri() {
        return "redis://" + initialMasters.stream().map(port -> HOST + ":" + port).collect(Collectors.joining(","));
    }

    public static String uri(int port) {
        return "redis://" + HOST + ":" + port;
    }

    /** Client ports of all nodes started, killed ones included. */
    public List<Integer> ports() {
        return List.copyOf(nodes.keySet());
    }

    /** The client port of the master now serving {@code key}'s slot, as a live node sees it. */
    public int masterPortFor(String key) {
        int slot = slotOf(key);
        return masterOf(livePartitions(), slot)
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot))
                .getUri().getPort();
    }

    /** The client ports of the replicas of the master on {@code masterPort}. */
    public List<Integer> replicaPortsOf(int masterPort) {
        Partitions view = livePartitions();
        RedisClusterNode master = view.getPartition(HOST, masterPort);
        if (master == null) {
            throw new IllegalArgumentException("no node on port " + masterPort);
        }
        return view.stream().filter(node -> master.getNodeId().equals(node.getSlaveOf()))
                .map(node -> node.getUri().getPort()).sorted().toList();
    }

    /** Crashes (SIGKILL) the master serving {@code key}; returns its port. */
    public int killMasterOf(String key) {
        int port = masterPortFor(key);
        kill(port);
        return port;
    }

    /** Crashes (SIGKILL) the node on {@code port} and waits until it is gone. */
    public synchronized void kill(int port) {
        LocalRedis node = nodes.get(port);
        if (node == null) {
            throw new IllegalArgumentException("no node on port " + port);
        }
        killed.add(port);
        node.kill();
    }

    /**
     * Waits until a live node other than any killed one serves {@code key}'s slot as master and
     * every live node reports {@code cluster_state:ok} and agrees on that master; returns its port.
     */
    public int awaitFailover(String key, Duration within) {
        int slot = slotOf(key);
        long deadline = System.nanoTime() + within.toNanos();
        String last = "nothing yet";
        while (true) {
            Set<Integer> seen = new HashSet<>();
            boolean allOk = true;
            for (int port : livePorts()) {
                Optional<String> info = ask(port, RedisCommands::clusterInfo);
                Optional<Integer> master = ask(port, RedisCommands::clusterNodes)
                        .map(ClusterPartitionParser::parse)
                        .flatMap(view -> masterOf(view, slot))
                        .filter(node -> !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.EVENTUAL_FAIL))
                        .map(node -> node.getUri().getPort());
                allOk &= info.map(i -> i.contains("cluster_state:ok")).orElse(false);
                seen.add(master.orElse(-1));
                last = port + ": " + info.map(i -> i.lines().findFirst().orElse("")).orElse("no answer")
                        + ", master of slot " + slot + " " + master.map(String::valueOf).orElse("unknown");
            }
            if (allOk && seen.size() == 1) {
                int master = seen.iterator().next();
                if (master > 0 && !killed.contains(master)) {
                    return master;
                }
            }
            pause(deadline, "failover of slot " + slot + " within " + within + " (last: " + last + ")");
        }
    }

    /** Kills every node it started; idempotent. Nothing it started is running afterwards. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // the hook is running and does the same
        }
        killAll();
        admin.shutdown(Duration.ZERO, ADMIN_TIMEOUT);
    }

    private synchronized void killAll() {
        nodes.values().forEach(LocalRedis::kill); // SIGKILL; returns once the process is gone
    }

    private void startNodes(int count, List<String> extraArgs) {
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < count; i++) {
            for (int attempt = 1; ; attempt++) {
                int port = freePortWithFreeBus(taken);
                taken.add(port);
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS),
                        // A replica's first sync otherwise waits 5 s for more replicas to share the transfer.
                        "--repl-diskless-sync-delay", "0")); // AOF, no RDB snapshots: LocalRedis's defaults
                args.addAll(extraArgs);
                try {
                    nodes.put(port, LocalRedis.start(dir.resolve("node-" + port), port, args));
                    break;
                } catch (IllegalStateException portTakenMeanwhile) {
                    if (attempt == START_ATTEMPTS) {
                        throw portTakenMeanwhile;
                    }
                }
            }
        }
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(redisCli().toString(), "--cluster", "create"));
        nodes.keySet().forEach(port -> command.add(HOST + ":" + port));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!cli.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish within "
                        + CREATE_TIMEOUT + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create exited with " + cli.exitValue()
                        + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    /** Every node sees all slots served, knows every node, and every replication link is up. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Optional<String> notReady = nodes.keySet().stream().map(this::whyNotReady)
                    .flatMap(Optional::stream).findFirst();
            if (notReady.isEmpty()) {
                return;
            }
            pause(deadline, "cluster ready within " + READY_TIMEOUT + " (" + notReady.get() + ")");
        }
    }

    private Optional<String> whyNotReady(int port) {
        String info = ask(port, RedisCommands::clusterInfo).orElse("");
        for (String expected : List.of("cluster_state:ok", "cluster_slots_assigned:" + SLOTS,
                "cluster_known_nodes:" + nodes.size())) {
            if (!info.contains(expected)) {
                return Optional.of(port + " lacks " + expected);
            }
        }
        // Its view of the others too: gossip may still show a fresh replica as a master without a
        // master of its own for a moment after every replication link is up.
        Partitions view = ClusterPartitionParser.parse(ask(port, RedisCommands::clusterNodes).orElse(""));
        long replicasSeen = view.stream().filter(node -> node.getSlaveOf() != null && !node.is(NodeFlag.UPSTREAM))
                .count();
        if (replicasSeen != (long) nodes.size() - masters) {
            return Optional.of(port + " sees " + replicasSeen + " replicas");
        }
        String replication = ask(port, c -> c.info("replication")).orElse("");
        if (replication.contains("role:master")) {
            long online = replication.lines().filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
            return online == replicasPerMaster ? Optional.empty()
                    : Optional.of("master " + port + " has " + online + " replicas online");
        }
        return replication.contains("master_link_status:up") ? Optional.empty()
                : Optional.of("replica " + port + " link not up");
    }

    private List<Integer> livePorts() {
        synchronized (this) {
            return nodes.keySet().stream().filter(port -> !killed.contains(port)).toList();
        }
    }

    /** The cluster as the first live node that answers sees it. */
    private Partitions livePartitions() {
        for (int port : livePorts()) {
            Optional<String> nodesText = ask(port, RedisCommands::clusterNodes);
            if (nodesText.isPresent()) {
                return ClusterPartitionParser.parse(nodesText.get());
            }
        }
        throw new IllegalStateException("no live node answers");
    }

    private static Optional<RedisClusterNode> masterOf(Partitions view, int slot) {
        return view.stream().filter(node -> node.is(NodeFlag.UPSTREAM) && node.hasSlot(slot)).findFirst();
    }

    private int slotOf(String key) {
        for (int port : livePorts()) {
            Optional<Long> slot = ask(port, c -> c.clusterKeyslot(key));
            if (slot.isPresent()) {
                return slot.get().intValue();
            }
        }
        throw new IllegalStateException("no live node answers");
    }

    /** Runs one admin command on the node on {@code port}; empty if it does not answer. */
    private <T> Optional<T> ask(int port, Function<RedisCommands<String, String>, T> command) {
        RedisURI uri = RedisURI.Builder.redis(HOST, port).withTimeout(ADMIN_TIMEOUT).build();
        try (StatefulRedisConnection<String, String> connection = admin.connect(uri)) {
            return Optional.ofNullable(command.apply(connection.sync()));
        } catch (RuntimeException notAnswering) {
            return Optional.empty();
        }
    }

    private Path redisCli() {
        Path server = LocalRedis.serverBinary();
        Path cli = server.resolveSibling(server.getFileName().toString().replace("redis-server", "redis-cli"));
        if (!Files.isExecutable(cli)) {
            throw new IllegalStateException("no redis-cli beside " + server + " to form a cluster with");
        }
        return cli;
    }

    /** Picks a port below the ephemeral range whose bus port is free too. */
    private static int freePortWithFreeBus(Set<Integer> taken) {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
            if (port != 6379 && !taken.contains(port) && isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair between " + LOWEST_PORT + " and " + HIGHEST_PORT);
    }

    /** Whether nothing listens on the loopback {@code port} at this moment. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static void pause(long deadlineNanos, String awaited) {
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException("timed out waiting for " + awaited);
        }
        try {
            Thread.sleep(POLL_MS); // poll interval of a deadline-bounded wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + awaited, e);
        }
    }

    @Override
    public String toString() {
        return "RedisCluster[" + masters + " masters x " + replicasPerMaster + " replicas, "
                + nodes.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")) + " in " + dir + "]";
    }
}
