package org.wishengine.wish.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.wishengine.wish.WishEngine;
import org.wishengine.wish.ring.WriterHooks;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.config.EngineConfig;
import org.wishengine.wish.config.LeaseSettings;
import org.wishengine.wish.config.RedisClusterSettings;
import org.wishengine.wish.metrics.Exposition;
import org.wishengine.wish.store.LocalRedis;

/**
 * A real engine on a free port, committing to a real Redis server that the harness starts on a
 * free port (never 6379) under a temporary directory. Restarts either side on demand.
 */
public final class EngineHarness implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String TOKEN_SECRET = "test-user-token-secret-0123456789";

    private final Path redisDir;
    private final UnaryOperator<EngineConfig> tweak;
    private final AdjustableClock clock = new AdjustableClock();
    private final TokenMinter minter = new TokenMinter(TOKEN_SECRET);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private LocalRedis redis;
    /** Set instead of {@link #redis} when the engine runs on a Redis Cluster the test started. */
    private RedisClusterSettings cluster;
    private WishEngine engine;
    private WriterHooks hooks = WriterHooks.NONE;

    private EngineHarness(Path dir, UnaryOperator<EngineConfig> tweak) {
        this.redisDir = dir.resolve("redis");
        this.tweak = tweak;
    }

    public static EngineHarness start(Path dir) throws Exception {
        return start(dir, UnaryOperator.identity());
    }

    /** Starts Redis and an engine whose configuration {@code tweak} may change (ring size, limits). */
    public static EngineHarness start(Path dir, UnaryOperator<EngineConfig> tweak) throws Exception {
        EngineHarness harness = new EngineHarness(dir, tweak);
        harness.redis = LocalRedis.start(harness.redisDir);
        harness.startEngine();
        return harness;
    }

    /**
     * Starts an engine on a Redis Cluster that the test started (seeds {@code redis://host:port}),
     * with {@code minReplicaAcks} replicas acknowledging each commit.
     */
    public static EngineHarness startOnCluster(Path dir, List<String> seeds, int minReplicaAcks) throws Exception {
        // Named after its directory: engines of one test JVM share a pid, hence the default node id.
        EngineHarness harness = new EngineHarness(dir, config -> config.withLease(
                new LeaseSettings(dir.getFileName().toString(), LeaseSettings.DEFAULTS.duration())));
        harness.cluster = new RedisClusterSettings(seeds, minReplicaAcks);
        harness.startEngine();
        return harness;
    }

    /** Starts a new engine on the same Redis (after {@link #stopEngine()}). */
    public WishEngine startEngine() throws Exception {
        EngineConfig base = cluster != null
                ? EngineConfig.defaults(null, redisDir, ADMIN_TOKEN, TOKEN_SECRET).withRedisCluster(cluster)
                : EngineConfig.defaults(redis.uri(), redisDir, ADMIN_TOKEN, TOKEN_SECRET);
        EngineConfig config = tweak.apply(base.withPort(0).withClock(clock));
        engine = WishEngine.start(config, hooks);
        return engine;
    }

    /** Starts a new engine on the same Redis whose writer runs with {@code newHooks} (fault injection). */
    public WishEngine startEngine(WriterHooks newHooks) throws Exception {
        hooks = newHooks;
        return startEngine();
    }

    public void stopEngine() {
        engine.close();
    }

    /** Kills Redis (SIGKILL); the engine keeps running and must cope. */
    public void killRedis() {
        redis.kill();
    }

    /** Stops Redis gracefully (its AOF is flushed). */
    public void stopRedis() {
        redis.stop();
    }

    /** Starts Redis again on the same port and data directory. */
    public void restartRedis() {
        redis = LocalRedis.start(redisDir, redis.port());
    }

    public LocalRedis redis() {
        return redis;
    }

    public WishEngine engine() {
        return engine;
    }

    public AdjustableClock clock() {
        return clock;
    }

    public String userToken(String userId) {
        return minter.mint(userId);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + engine.port() + path);
    }

    public HttpClient client() {
        return http;
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(request(path, token).GET().build());
    }

    public HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method path} as {@code token} (null: none), with a JSON {@code body} (null: none). */
    public HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(request.build());
    }

    /** Asserts the answer's status, naming the request and showing the body when it differs; returns the answer. */
    public static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        org.junit.jupiter.api.Assertions.assertEquals(status, response.statusCode(),
                () -> response.request().method() + " " + response.uri() + " -> " + response.body());
        return response;
    }

    /** The engine's Prometheus exposition, parsed. */
    public Exposition metrics() throws IOException, InterruptedException {
        return Exposition.parse(get("/metrics", null).body());
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }
}
