package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.cluster.Placement;

/**
 * {@code engine/scripts/cluster.sh} end to end, as a user runs it: {@code up} starts a 3x1 Redis
 * Cluster and three engine nodes on it, a campaign published on node 1 is claimed on node 3
 * (which does not own it), {@code status} names the campaign's owner, a second {@code up} starts
 * nothing, and {@code down} leaves none of the processes it started running. A second run does
 * the same without Debian's {@code redis-server} and {@code redis-cli} on the {@code PATH}: the
 * script then runs the jar's embedded Redis and its {@code redis}/{@code cluster-create} tools.
 */
@Timeout(240)
class ClusterScriptIT {

    private static final String HOST = "127.0.0.1";
    private static final int NODES = 6;
    private static final List<String> ENGINES = List.of("n1", "n2", "n3");
    /** Client ports from here; with their bus ports (+10000) they stay below 30000. */
    private static final int LOWEST_BASE = 12_000;
    private static final int HIGHEST_BASE = 30_000 - RedisCluster.BUS_PORT_OFFSET - NODES;
    /** Engine ports from here, clear of the Redis nodes' and bus ports. */
    private static final int LOWEST_ENGINE_PORT = 30_000;
    private static final int HIGHEST_ENGINE_PORT = 40_000;
    /** The script's own waits: 60 s for the cluster, 120 s for the engines. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(200);

    @TempDir
    Path tmp;

    private int runs;

    @Test
    void upPublishClaimOnAnotherNodeStatusDown() throws Exception {
        Path dir = tmp.resolve("cluster-data");
        int base = freeBase(NODES);
        int enginePort = freeEngineBase(ENGINES.size());
        List<Long> pids = new ArrayList<>();
        try {
            String up = run("up", "--dir", dir.toString(), "--base-port", Integer.toString(base),
                    "--engine-port", Integer.toString(enginePort));
            pids.addAll(startedPids(dir, ENGINES));
            assertEquals(NODES + ENGINES.size(), pids.size(), () -> "pid files of 6 Redis nodes and 3 engines in " + dir);
            Map<String, String> secrets = secrets(dir);
            String admin = secrets.get("WISH_ADMIN_TOKEN");
            for (int i = 0; i < ENGINES.size(); i++) {
                assertTrue(up.contains(ENGINES.get(i) + "  " + url(enginePort + i) + "/"), up);
            }
            assertTrue(up.contains(admin) && up.contains("token --sub alice --token-secret " + secrets.get("WISH_TOKEN_SECRET")),
                    up);

            // A campaign that placement gives to n1 or n2, so that the claim on n3 crosses nodes.
            String campaign = IntStream.range(0, 100).mapToObj(k -> "c-script-" + k)
                    .filter(id -> !Placement.owner(id, ENGINES).equals("n3")).findFirst().orElseThrow();
            String owner = Placement.owner(campaign, ENGINES);
            publishAndClaim(secrets, campaign, url(enginePort), url(enginePort + 2));

            String status = run("status", "--dir", dir.toString());
            assertEquals(3, countLines(status, "^\\s+\\d+\\s+master\\s+yes\\s+\\d.*"), status);
            assertEquals(3, countLines(status, "^\\s+\\d+\\s+replica\\s+yes\\s+\\(replica of \\d+\\)$"), status);
            for (int i = 0; i < ENGINES.size(); i++) {
                String id = ENGINES.get(i);
                assertEquals(1, countLines(status, "^\\s+" + id + "\\s+" + url(enginePort + i).replace(".", "\\.")
                        + "/\\s+" + pids.get(NODES + i) + "\\s+listed\\s+" + (id.equals(owner) ? 1 : 0) + "\\s+ready$"),
                        status);
            }
            assertEquals(1, countLines(status, "^\\s+" + campaign + "\\s+" + owner + "\\s+held by " + owner
                    + ", epoch \\d+, \\d+ ms left$"), status);

            String again = run("up", "--dir", dir.toString());
            assertTrue(again.startsWith("Already up"), again);
            assertEquals(pids, startedPids(dir, ENGINES), "a second up starts nothing");

            run("down", "--dir", dir.toString());
            assertAllStopped(dir, pids);
            assertTrue(Files.isDirectory(dir.resolve("redis-" + base)), "down keeps the data without --purge");
        } finally {
            cleanUp(Map.of(), dir, pids);
        }
    }

    /**
     * Without {@code redis-server} and {@code redis-cli} on the {@code PATH} the script forms the
     * cluster with the jar's tools and runs the jar's embedded Redis binary. Three masters without
     * replicas and one engine node keep it short: each jar tool call starts a JVM.
     */
    @Test
    void upWithoutDebianRedisRunsTheJarsTools() throws Exception {
        Path dir = tmp.resolve("jar-tools-data");
        int masters = 3;
        List<String> engines = List.of("n1");
        int base = freeBase(masters);
        int enginePort = freeEngineBase(engines.size());
        Map<String, String> env = Map.of("PATH", pathWithoutRedis().toString());
        List<Long> pids = new ArrayList<>();
        try {
            String up = run(env, "up", "--dir", dir.toString(), "--base-port", Integer.toString(base),
                    "--masters", Integer.toString(masters), "--replicas", "0", "--nodes", "1",
                    "--engine-port", Integer.toString(enginePort));
            pids.addAll(startedPids(dir, engines));
            assertEquals(masters + 1, pids.size(), up);
            assertTrue(up.contains("Engine nodes ready and listed in the registry: n1"), up);
            assertTrue(Files.readString(dir.resolve("cluster-create.log")).contains("[OK] All 16384 slots covered"),
                    "the jar's cluster-create formed the cluster");
            Path embedded;
            try (Stream<Path> bin = Files.list(dir.resolve("bin"))) {
                embedded = bin.filter(p -> p.getFileName().toString().startsWith("redis-server-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no embedded redis-server extracted into " + dir + "/bin"));
            }
            for (long redisPid : pids.subList(0, masters)) {
                assertEquals(embedded.toRealPath().toString(),
                        Files.readSymbolicLink(Path.of("/proc", Long.toString(redisPid), "exe")).toString(),
                        "every Redis node runs the jar's embedded binary");
            }
            HttpResponse<String> ready = GrabSupport.newClient().send(
                    HttpRequest.newBuilder(URI.create(url(enginePort) + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready::body);

            publishAndClaim(secrets(dir), "c-jar-tools", url(enginePort), url(enginePort));

            String status = run(env, "status", "--dir", dir.toString());
            assertEquals(masters, countLines(status, "^\\s+\\d+\\s+master\\s+yes\\s+\\d.*"), status);
            assertEquals(1, countLines(status, "^\\s+n1\\s+" + url(enginePort).replace(".", "\\.") + "/\\s+"
                    + pids.get(masters) + "\\s+listed\\s+1\\s+ready$"), status);
            assertEquals(1, countLines(status, "^\\s+c-jar-tools\\s+n1\\s+held by n1, epoch \\d+, \\d+ ms left$"), status);

            run(env, "down", "--dir", dir.toString());
            assertAllStopped(dir, pids);
        } finally {
            cleanUp(env, dir, pids);
        }
    }

    /** Publishes a one-wish campaign through {@code publishUrl} and claims its wish through {@code claimUrl}. */
    private static void publishAndClaim(Map<String, String> secrets, String campaign, String publishUrl, String claimUrl)
            throws IOException, InterruptedException {
        HttpClient http = GrabSupport.newClient();
        String prefix = "w-" + campaign + "-";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(publishUrl + "/api/campaigns"))
                .header("Authorization", "Bearer " + secrets.get("WISH_ADMIN_TOKEN"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GrabSupport.campaignBody(campaign, 1, prefix, List.of(2))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created::body);
        String alice = new TokenMinter(secrets.get("WISH_TOKEN_SECRET")).mint("alice");
        HttpResponse<String> claimed = http.send(
                HttpRequest.newBuilder(URI.create(claimUrl + "/api/wishes/" + prefix + "1/claims"))
                        .header("Authorization", "Bearer " + alice).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, claimed.statusCode(), claimed::body);
        assertEquals("alice", GrabSupport.json(claimed).path("userId").asText());
        assertEquals(campaign, GrabSupport.json(claimed).path("campaignId").asText());
        assertTrue(GrabSupport.json(claimed).path("id").asText().matches("cl-\\d{4,}"),
                () -> "a claim number from a block of 1024: " + claimed.body());
    }

    private static void assertAllStopped(Path dir, List<Long> pids) throws IOException {
        for (long pid : pids) {
            assertFalse(running(pid), () -> "process " + pid + " still runs after cluster.sh down");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".pid")), "no pid file left");
        }
    }

    private void cleanUp(Map<String, String> env, Path dir, List<Long> pids) {
        if (pids.stream().anyMatch(ClusterScriptIT::running)) {
            runQuietly(env, "down", "--dir", dir.toString());
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * A directory of links to every program on this {@code PATH} (and to this JVM's {@code java})
     * except {@code redis-server} and {@code redis-cli}: the script finds all it needs but those two.
     */
    private Path pathWithoutRedis() throws IOException {
        Path links = Files.createDirectories(tmp.resolve("path-without-redis"));
        Files.createSymbolicLink(links.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path dir = Path.of(entry.isEmpty() ? "." : entry);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(dir)) {
                for (Path program : (Iterable<Path>) programs::iterator) {
                    String name = program.getFileName().toString();
                    Path link = links.resolve(name);
                    if (!name.equals("redis-server") && !name.equals("redis-cli")
                            && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program.toAbsolutePath());
                    }
                }
            }
        }
        return links;
    }

    private static String url(int port) {
        return "http://" + HOST + ":" + port;
    }

    private String run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs the script, {@code env} added to its environment, to its end; fails unless it exits 0. Returns what it printed. */
    private String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path output = tmp.resolve("script-" + (++runs) + "-" + args[0] + ".out");
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("WISH_ENGINE_JAR", EngineJar.path().toString());
        builder.environment().put("JAVA_OPTS", "-Xmx256m");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close(); // no input: nothing the script runs may wait for some
        if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("cluster.sh " + String.join(" ", args) + " did not finish within " + SCRIPT_TIMEOUT + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "cluster.sh " + String.join(" ", args) + ":\n" + printed);
        return printed;
    }

    private void runQuietly(Map<String, String> env, String... args) {
        try {
            run(env, args);
        } catch (IOException | InterruptedException | AssertionError cleanupFailed) {
            // the test has already failed; the forcible kill that follows cleans up
        }
    }

    private static Path script() {
        Path script = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("scripts/cluster.sh");
        assertTrue(Files.isRegularFile(script), "no script at " + script);
        return script;
    }

    /** The pids in the script's pid files: every Redis node's, then each engine node's in the order given. */
    private static List<Long> startedPids(Path dir, List<String> engines) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> nodeDirs = Files.list(dir)) {
            nodeDirs.filter(p -> p.getFileName().toString().startsWith("redis-")).sorted()
                    .map(p -> p.resolve("redis.pid")).forEach(files::add);
        }
        engines.forEach(id -> files.add(dir.resolve("engine-" + id + ".pid")));
        List<Long> pids = new ArrayList<>();
        for (Path file : files) {
            assertTrue(Files.isRegularFile(file), "no pid file " + file);
            pids.add(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        }
        return pids;
    }

    private static Map<String, String> secrets(Path dir) throws IOException {
        Map<String, String> secrets = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("secrets.env"), StandardCharsets.UTF_8)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                secrets.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        assertTrue(!secrets.getOrDefault("WISH_ADMIN_TOKEN", "").isEmpty()
                && !secrets.getOrDefault("WISH_TOKEN_SECRET", "").isEmpty(), "secrets.env: " + secrets.keySet());
        return secrets;
    }

    private static long countLines(String text, String regex) {
        return text.lines().filter(line -> line.matches(regex)).count();
    }

    /** A base port whose {@code nodes} ports and their cluster bus ports are free, all below 30000. */
    private static int freeBase(int nodes) {
        for (int tries = 0; tries < 200; tries++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST_BASE, HIGHEST_BASE);
            if (IntStream.range(base, base + nodes).allMatch(
                    port -> RedisCluster.isFree(port) && RedisCluster.isFree(port + RedisCluster.BUS_PORT_OFFSET))) {
                return base;
            }
        }
        throw new IllegalStateException("no " + nodes + " free consecutive ports between " + LOWEST_BASE + " and " + HIGHEST_BASE);
    }

    /** A first engine port whose {@code engines} consecutive ports are free. */
    private static int freeEngineBase(int engines) {
        for (int tries = 0; tries < 200; tries++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST_ENGINE_PORT, HIGHEST_ENGINE_PORT);
            if (IntStream.range(first, first + engines).allMatch(RedisCluster::isFree)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + engines + " free consecutive ports between " + LOWEST_ENGINE_PORT + " and "
                + HIGHEST_ENGINE_PORT);
    }

    /**
     * Whether {@code pid} runs. A daemon that exited but that its new parent (init, or a container's
     * pid 1) has not reaped yet is a zombie: it no longer runs, though {@link ProcessHandle} still
     * reports it alive.
     */
    private static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
