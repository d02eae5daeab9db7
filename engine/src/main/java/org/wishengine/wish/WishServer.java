package org.wishengine.wish;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.auth.OrganiserToken;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.config.AppendFsync;
import org.wishengine.wish.config.EngineConfig;
import org.wishengine.wish.core.CampaignRules;
import org.wishengine.wish.config.HttpLimits;
import org.wishengine.wish.config.MaxConnections;
import org.wishengine.wish.config.RateLimit;
import org.wishengine.wish.config.RedisUrl;
import org.wishengine.wish.config.SecretsFile;
import org.wishengine.wish.http.LeakSampling;
import org.wishengine.wish.cluster.WriterLease;
import org.wishengine.wish.config.LeaseSettings;
import org.wishengine.wish.config.RedisClusterSettings;
import org.wishengine.wish.store.DataDirLock;
import org.wishengine.wish.tools.ClusterCreateCommand;
import org.wishengine.wish.tools.DemoCommand;
import org.wishengine.wish.tools.RedisCommand;
import org.wishengine.wish.tools.RedisServerPathCommand;
import org.wishengine.wish.tools.VerifyDrawCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code java -jar wish-engine.jar [flags]} starts the engine;
 * {@code java -jar wish-engine.jar token --sub alice} mints a user token ({@code token --role organiser
 * --org town-zhujing} an organiser token); {@code redis-server-path},
 * {@code redis} and {@code cluster-create} stand in for Debian's Redis tools (for
 * {@code engine/scripts/cluster.sh}); {@code verify-draw} checks a fair-start draw's public
 * record. Every flag has a {@code WISH_*} environment variable; the flag wins. A setting that
 * cannot work (a malformed Redis URL, a port already taken) ends the process at once with one
 * line on stderr, before anything is written to the data directory.
 */
@Command(name = "wish-engine", mixinStandardHelpOptions = true, version = "wish-engine 0.1",
        description = "The micro-wish flash-grab engine: Netty HTTP, a single-writer Disruptor ring, Redis.",
        subcommands = {WishServer.TokenCommand.class, RedisServerPathCommand.class, RedisCommand.class,
                ClusterCreateCommand.class, VerifyDrawCommand.class, DemoCommand.class})
public final class WishServer implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(WishServer.class);

    @Option(names = "--port", defaultValue = "${env:WISH_PORT:-8080}", description = "HTTP port (env WISH_PORT; default 8080)")
    int port;

    @Option(names = "--host", defaultValue = "${env:WISH_HOST:-0.0.0.0}", description = "address to bind (env WISH_HOST; default 0.0.0.0)")
    String host;

    @Option(names = "--redis-url", defaultValue = "${env:WISH_REDIS_URL}",
            description = "external Redis, e.g. redis://host:6379 (env WISH_REDIS_URL); without it the engine runs its own")
    String redisUrl;

    @Option(names = "--data-dir", defaultValue = "${env:WISH_DATA_DIR:-./data}",
            description = "data of the engine's own Redis and generated secrets (env WISH_DATA_DIR; default ./data)")
    Path dataDir;

    @Option(names = "--admin-token", defaultValue = "${env:WISH_ADMIN_TOKEN}", description = "organiser token (env WISH_ADMIN_TOKEN)")
    String adminToken;

    @Option(names = "--token-secret", defaultValue = "${env:WISH_TOKEN_SECRET}",
            description = "HS256 secret of user tokens (env WISH_TOKEN_SECRET)")
    String tokenSecret;

    @Option(names = "--rate-limit", defaultValue = "${env:WISH_RATE_LIMIT:-off}",
            description = "off, or per-user/per-address limits like user=5/s,address=200/s (env WISH_RATE_LIMIT)")
    String rateLimit;

    @Option(names = "--max-body", defaultValue = "${env:WISH_MAX_BODY:-1048576}", description = "largest request body in bytes (env WISH_MAX_BODY)")
    int maxBody;

    @Option(names = "--max-connections", defaultValue = "${env:WISH_MAX_CONNECTIONS}",
            description = "open connections beyond this are closed at once (env WISH_MAX_CONNECTIONS; default: "
                    + "the open-file limit less room for Redis, files and the JVM, at most 100000)")
    Integer maxConnections;

    @Option(names = "--ring-size", defaultValue = "${env:WISH_RING_SIZE:-65536}", description = "ring slots, a power of two (env WISH_RING_SIZE)")
    int ringSize;

    @Option(names = "--io-threads", defaultValue = "${env:WISH_IO_THREADS:-0}",
            description = "Netty event loops; 0 for one per core (env WISH_IO_THREADS)")
    int ioThreads;

    @Option(names = "--redis-cluster", defaultValue = "${env:WISH_REDIS_CLUSTER}",
            description = "a Redis Cluster instead of --redis-url: some of its nodes, e.g. "
                    + "redis://h1:7000,redis://h2:7001 (env WISH_REDIS_CLUSTER)")
    String redisCluster;

    @Option(names = "--min-replica-acks", defaultValue = "${env:WISH_MIN_REPLICA_ACKS:-0}",
            description = "with --redis-cluster: replicas that must hold a commit before it is answered "
                    + "(env WISH_MIN_REPLICA_ACKS; default 0)")
    int minReplicaAcks;

    @Option(names = "--node-id", defaultValue = "${env:WISH_NODE_ID}",
            description = "name this engine holds its leases under (env WISH_NODE_ID; default host-pid)")
    String nodeId;

    @Option(names = "--advertise-url", defaultValue = "${env:WISH_ADVERTISE_URL}",
            description = "with --redis-cluster: where the other engine nodes reach this one, http://host:port "
                    + "(env WISH_ADVERTISE_URL; default this machine's address and --port)")
    String advertiseUrl;

    @Option(names = "--lease-millis", defaultValue = "${env:WISH_LEASE_MILLIS:-3000}",
            description = "writer lease: a successor of a crashed engine waits at most this long (env WISH_LEASE_MILLIS)")
    long leaseMillis;

    @Option(names = "--access-log", defaultValue = "${env:WISH_ACCESS_LOG:-false}", fallbackValue = "true", arity = "0..1",
            description = "log one line per request (logger wish.access; env WISH_ACCESS_LOG)")
    boolean accessLog;

    @Option(names = "--redis-fsync", defaultValue = "${env:WISH_REDIS_FSYNC:-everysec}",
            description = "appendfsync of the Redis the engine starts itself: everysec (default; a power cut, or a "
                    + "killed Redis on a busy disk, can lose the last seconds) or always (fsync before each reply; "
                    + "env WISH_REDIS_FSYNC)")
    String redisFsync;

    // A test and soak aid, not a setting of the service: a soak must see claims expire and be
    // grabbed again within minutes, while the contract's shortest window is an hour.
    @Option(names = "--claim-expiry-speedup", defaultValue = "${env:WISH_CLAIM_EXPIRY_SPEEDUP:-1}",
            description = "soak and expiry tests only: claims expire this many times sooner than the campaign's "
                    + "fulfilWithinHours says (env WISH_CLAIM_EXPIRY_SPEEDUP; default 1, the contract)")
    int claimExpirySpeedup;

    public static void main(String[] args) {
        LeakSampling.offUnlessConfigured();
        CommandLine commandLine = new CommandLine(new WishServer());
        // A Redis command's words are all its own, even one that starts with '-' (e.g. a negative score).
        commandLine.getSubcommands().get("redis").setStopAtPositional(true);
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (StartupFailure failure) {
            System.err.println(failure.getMessage());
            return failure.exitCode();
        }
    }

    private int run() throws Exception {
        // Settings that can never work are refused before anything is written to the data directory.
        Optional<String> badRedisUrl = redisUrl == null ? Optional.empty() : RedisUrl.problem(redisUrl);
        if (badRedisUrl.isPresent()) {
            throw new StartupFailure(badRedisUrl.get(), StartupFailure.USAGE);
        }
        if (redisUrl != null && redisCluster != null) {
            throw new StartupFailure("give --redis-url or --redis-cluster, not both", StartupFailure.USAGE);
        }
        RedisClusterSettings cluster = null;
        if (redisCluster != null) {
            Optional<String> badSeed = RedisClusterSettings.problem(redisCluster);
            if (badSeed.isPresent()) {
                throw new StartupFailure(badSeed.get(), StartupFailure.USAGE);
            }
            try {
                cluster = new RedisClusterSettings(RedisClusterSettings.split(redisCluster), minReplicaAcks,
                        advertiseUrl == null ? null : java.net.URI.create(advertiseUrl));
            } catch (IllegalArgumentException e) {
                throw new StartupFailure(e.getMessage(), StartupFailure.USAGE);
            }
        } else if (minReplicaAcks != 0) {
            throw new StartupFailure("--min-replica-acks needs --redis-cluster", StartupFailure.USAGE);
        } else if (advertiseUrl != null) {
            throw new StartupFailure("--advertise-url needs --redis-cluster", StartupFailure.USAGE);
        }
        if (advertiseUrl != null) {
            Optional<String> badUrl = RedisClusterSettings.advertiseProblem(advertiseUrl);
            if (badUrl.isPresent()) {
                throw new StartupFailure(badUrl.get(), StartupFailure.USAGE);
            }
        }
        RateLimit limits = RateLimit.parse(rateLimit);
        AppendFsync fsync = AppendFsync.named(redisFsync).orElseThrow(() -> new StartupFailure(
                "--redis-fsync must be everysec or always, not " + redisFsync, StartupFailure.USAGE));
        if (claimExpirySpeedup < 1 || claimExpirySpeedup > 3_600_000) {
            throw new StartupFailure("--claim-expiry-speedup must be 1..3600000, not " + claimExpirySpeedup,
                    StartupFailure.USAGE);
        }
        LeaseSettings lease;
        try {
            lease = new LeaseSettings(nodeId, Duration.ofMillis(leaseMillis));
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage(), StartupFailure.USAGE);
        }
        ListenCheck.probe(host, port);
        int connections = connectionCap();
        // The data directory holds the generated secrets and the embedded Redis's files: one engine
        // at a time, refused before anything there is read or written.
        boolean usesDataDir = (redisUrl == null && redisCluster == null) || adminToken == null || tokenSecret == null;
        DataDirLock dataDirLock = null;
        if (usesDataDir) {
            try {
                dataDirLock = DataDirLock.acquire(dataDir);
            } catch (DataDirLock.InUse e) {
                throw new StartupFailure(e.getMessage(), StartupFailure.ENVIRONMENT);
            }
        }
        String admin = adminToken;
        String secret = tokenSecret;
        if (admin == null || secret == null) {
            SecretsFile.Loaded stored = SecretsFile.loadOrCreate(dataDir);
            admin = admin == null ? stored.adminToken() : admin;
            secret = secret == null ? stored.tokenSecret() : secret;
            if (stored.generated()) {
                System.out.println("Generated secrets (kept in " + dataDir.resolve("secrets.properties") + "):");
                System.out.println("  admin token:       " + admin);
                System.out.println("  user token secret: " + secret);
            }
        }
        EngineConfig defaults = EngineConfig.defaults(redisUrl, dataDir, admin, secret);
        EngineConfig config = new EngineConfig(host, port, redisUrl, dataDir, admin, secret, limits,
                HttpLimits.DEFAULTS.withMaxBodyBytes(maxBody).withMaxConnections(connections),
                ringSize, ioThreads, defaults.expiryInterval(), defaults.commitTimeout(), defaults.clock(),
                accessLog, lease, cluster, claimExpirySpeedup, fsync);
        WishEngine engine;
        try {
            engine = WishEngine.start(config);
        } catch (WriterLease.HeldElsewhere e) {
            throw new StartupFailure("Another engine writes to " + (redisCluster != null
                    ? "the Redis Cluster " + RedisUrl.redacted(redisCluster) : redisUrl == null ? "this data directory's Redis"
                    : RedisUrl.redacted(redisUrl)) + ": " + e.holder().describe() + ", and it renews its writer lease. "
                    + "Only one engine may write to a Redis; stop that one first. Nothing was changed.",
                    StartupFailure.ENVIRONMENT);
        } catch (Exception e) {
            // Another process may have taken the port since the probe.
            throw ListenCheck.bindFailure(e, host, port).orElseThrow(() -> e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        DataDirLock held = dataDirLock; // referenced by the hook, so it lives (and is held) as long as the process
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            release(held);
            stopped.countDown();
        }, "wish-shutdown"));
        System.out.println("Wish engine listening on http://localhost:" + engine.port() + "/  (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }

    private static void release(DataDirLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.close();
        } catch (java.io.IOException e) {
            LOG.warn("Could not release the data directory's lock ({}); the operating system does at exit", e.toString());
        }
    }

    /** The explicit cap, or one derived from the open-file limit; either way said in the log. */
    private int connectionCap() {
        MaxConnections derived = MaxConnections.forThisProcess();
        if (maxConnections == null) {
            LOG.info(derived.describe());
            return derived.value();
        }
        if (derived.exceededBy(maxConnections)) {
            LOG.warn(derived.describeExcess(maxConnections));
        } else {
            LOG.info(String.format("max connections %,d (--max-connections)", maxConnections));
        }
        return maxConnections;
    }

    /** Mints a user or organiser token with the engine's secret, for curl sessions and load tests. */
    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Print a user token, or with --role organiser an organiser token (JWT, HS256), "
                    + "signed with the engine's token secret.")
    static final class TokenCommand implements Callable<Integer> {

        /** What an organiser token lives for unless --ttl says otherwise. */
        static final Duration DEFAULT_ORGANISER_TTL = Duration.ofDays(30);

        @Option(names = "--role", defaultValue = "user", description = "user (default) or organiser")
        String role;

        @Option(names = "--sub", description = "the user id (user tokens)")
        String sub;

        @Option(names = "--org", description = "the org the organiser token is scoped to (organiser tokens)")
        String org;

        @Option(names = "--ttl", description = "lifetime such as 30d, 12h, 3600s or PT24H (user default: no expiry; "
                + "organiser default: 30d)")
        String ttl;

        @Option(names = "--token-secret", defaultValue = "${env:WISH_TOKEN_SECRET}", description = "secret (env WISH_TOKEN_SECRET)")
        String tokenSecret;

        @Option(names = "--data-dir", defaultValue = "${env:WISH_DATA_DIR:-./data}",
                description = "where a generated secret is kept when none is given (default ./data)")
        Path dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String problem = problem();
            if (problem != null) {
                err.println(problem);
                return 2;
            }
            Duration lifetime;
            try {
                lifetime = ttl == null ? null : parseTtl(ttl);
            } catch (RuntimeException e) {
                err.println("--ttl: not a lifetime: " + ttl + " (try 30d, 12h, 3600s or PT24H)");
                return 2;
            }
            if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
                err.println("--ttl must be positive");
                return 2;
            }
            String secret = tokenSecret != null ? tokenSecret : SecretsFile.tokenSecret(dataDir);
            if (secret == null) {
                err.println("No user-token secret: pass --token-secret (or WISH_TOKEN_SECRET), or start the "
                        + "engine once so that it generates one in " + dataDir);
                return 2;
            }
            TokenMinter minter = new TokenMinter(secret);
            if ("organiser".equals(role)) {
                OrganiserToken token = minter.mintOrganiser(org, lifetime == null ? DEFAULT_ORGANISER_TTL : lifetime);
                out.println(token.token());
                // On stderr so that `$(... token ...)` captures the token alone; the jti is what a
                // revocation will name.
                err.println("organiser token for " + token.org() + ", jti " + token.jti() + ", expires "
                        + token.expiresAt());
            } else {
                try {
                    out.println(lifetime == null ? minter.mint(sub) : minter.mint(sub, lifetime));
                } catch (IllegalArgumentException e) {
                    err.println("--sub must be 1..64 characters from A-Z a-z 0-9 _ . @ -");
                    return 2;
                }
            }
            out.flush();
            return 0;
        }

        /** What is wrong with the flags, or null. */
        private String problem() {
            switch (role) {
                case "user":
                    if (org != null) {
                        return "--org is for organiser tokens (add --role organiser)";
                    }
                    return sub == null ? "a user token needs --sub" : null; // its alphabet: the minter checks
                case "organiser":
                    if (sub != null) {
                        return "an organiser token is named by --org, not --sub";
                    }
                    if (org == null) {
                        return "an organiser token needs --org";
                    }
                    return CampaignRules.validId(org) ? null : "--org must be 1..64 characters from A-Z a-z 0-9 _ -";
                default:
                    return "--role must be user or organiser";
            }
        }

        /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 3600s}, or an ISO-8601 duration. */
        static Duration parseTtl(String text) {
            if (text.matches("\\d{1,12}[smhd]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text);
        }
    }
}
