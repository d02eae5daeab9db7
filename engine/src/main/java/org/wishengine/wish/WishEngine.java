package org.wishengine.wish;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.auth.Revocations;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.http.OrganiserTokens;
import org.wishengine.wish.store.RedisTokenRegistry;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.TokenVerifier;
import org.wishengine.wish.cluster.LeaseHolder;
import org.wishengine.wish.cluster.NodeIdentity;
import org.wishengine.wish.cluster.PeerClient;
import org.wishengine.wish.cluster.PeerEvents;
import org.wishengine.wish.cluster.PeerLimits;
import org.wishengine.wish.cluster.Relay;
import org.wishengine.wish.cluster.WriterLease;
import org.wishengine.wish.config.EngineConfig;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.http.ClaimThrottle;
import org.wishengine.wish.http.EventHub;
import org.wishengine.wish.http.HttpServer;
import org.wishengine.wish.metrics.EngineMetrics;
import org.wishengine.wish.ring.ClaimRing;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.ring.RingObserver;
import org.wishengine.wish.ring.WriterFenced;
import org.wishengine.wish.ring.WriterHooks;
import org.wishengine.wish.store.Keys;
import org.wishengine.wish.store.LocalRedis;
import org.wishengine.wish.store.RecoveryReport;
import org.wishengine.wish.store.RedisStore;

/**
 * A running engine: the HTTP port (health checks only), the store, the writer lease, the recovered
 * book, the ring, then the HTTP routes open. The lease is taken before the book is read, so that
 * whatever a previous writer committed is in the book and nothing it might still send can be
 * written (its commits carry an older epoch; see {@link WriterLease}). The port is bound before a local Redis starts, so that an engine that
 * cannot listen leaves no Redis behind. Until the ring runs every other request gets 503. Stopping drains the
 * ring and the connections, then closes the store before the HTTP server, whose event loops the store runs on.
 */
public final class WishEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WishEngine.class);

    private final EngineConfig config;
    private final CommandGateway gateway = new CommandGateway();
    private final EngineMetrics metrics = new EngineMetrics(gateway);
    /** How often the writer looks for fair-start draws that are due. */
    private static final long DRAW_TICK_MILLIS = 100;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wish-ticker");
        thread.setDaemon(true);
        return thread;
    });
    /** How long shutdown waits for the ring to commit and answer what it holds. */
    private static final long DRAIN_MILLIS = 10_000;

    /** The ticker's tasks that stop when closing begins (the lease's renewal goes on until the store closes). */
    private final List<java.util.concurrent.ScheduledFuture<?>> chores = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ClaimThrottle throttle;
    private final WriterErrors writerErrors = new WriterErrors();
    private LocalRedis localRedis;
    private volatile RedisStore store;
    /** Organiser tokens issued and revoked, in Redis; null until the store is connected. */
    private volatile RedisTokenRegistry tokenRegistry;
    /** The audit trail the HTTP edge reads and appends token actions to; set once the store is up. */
    private final java.util.concurrent.atomic.AtomicReference<org.wishengine.wish.store.RedisAuditTrail> auditTrailRef =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicReference<org.wishengine.wish.auth.TokenRegistry> tokenRegistryRef =
            new java.util.concurrent.atomic.AtomicReference<>();
    private Revocations revocations = Revocations.none();
    private volatile WriterLease writerLease;
    /** This engine as a cluster node, or null for a lone engine. */
    private volatile ClusterNode node;
    private org.wishengine.wish.store.RedisEventRelay events;
    private PeerClient peers;
    private HttpServer http;
    private ClaimRing ring;
    private String redisUri;
    private int port;
    private volatile boolean closed;

    private final WriterHooks hooks;

    private WishEngine(EngineConfig config, WriterHooks hooks) {
        this.config = config;
        this.hooks = hooks;
        this.throttle = new ClaimThrottle(config.rateLimit());
    }

    /** Starts an engine and returns once it is ready to serve (the book recovered from the store). */
    public static WishEngine start(EngineConfig config) throws Exception {
        return start(config, WriterHooks.NONE);
    }

    /**
     * Starts an engine whose writer runs with a test's fault injection (see {@link WriterHooks});
     * the engine as it ships passes {@link WriterHooks#NONE}.
     */
    public static WishEngine start(EngineConfig config, WriterHooks hooks) throws Exception {
        WishEngine engine = new WishEngine(config, hooks);
        try {
            engine.startAll();
            return engine;
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long started = System.nanoTime();
        // Revocations are read from Redis once the store is up; until then none is known, and no
        // organiser token can be issued (the registry is not set).
        revocations = new Revocations(() -> {
            RedisTokenRegistry registry = tokenRegistry;
            return registry == null ? java.util.Map.of() : registry.revoked();
        }, config.clock(), TokenVerifier.DEFAULT_LEEWAY);
        http = new HttpServer(gateway, new TokenVerifier(config.tokenSecret(), config.clock()),
                new AdminTokenCheck(config.adminToken()), config.clock(), this::storeAnswers, metrics::scrape,
                metrics, throttle, config.httpLimits(), config.ioThreads(), config.accessLog(),
                new OrganiserTokens(new TokenMinter(config.tokenSecret(), config.clock()), revocations, tokenRegistryRef,
                        auditTrailRef));
        port = http.start(config.host(), config.port());
        if (config.redisCluster() != null) {
            redisUri = "the Redis Cluster at " + String.join(",", config.redisCluster().seeds());
        } else if (config.redisUrl() == null) {
            localRedis = LocalRedis.start(config.dataDir(), 0, List.of("--appendfsync", config.localFsync().redisName()));
            redisUri = localRedis.uri();
        } else {
            redisUri = config.redisUrl();
        }
        store = connectWithRetry();
        store.onConnectionEvents(metrics::redisDisconnected, metrics::redisReconnected);
        tokenRegistry = store.tokenRegistry(config.clock());
        revocations.refresh(); // revoked tokens are refused from the first request on
        revocations.start();
        tokenRegistryRef.set(tokenRegistry);
        auditTrailRef.set(store.auditTrail());
        NodeIdentity identity = NodeIdentity.thisProcess(config.lease().nodeId());
        metrics.gauge("wish.http.connections", "Open HTTP connections", http, HttpServer::openConnections);
        metrics.gauge("wish.events.subscribers", "Open event streams", http.events(), EventHub::subscribers);
        if (config.claimExpirySpeedup() > 1) {
            LOG.warn("Claims expire {} times sooner than their campaign's fulfilWithinHours says "
                    + "(--claim-expiry-speedup): for soak and expiry tests only, never in service",
                    config.claimExpirySpeedup());
        }
        if (store.isCluster()) {
            startNode(identity);
        } else {
            startAlone(identity);
        }
        expireNow();
        long interval = config.expiryInterval().toMillis();
        chores.add(ticker.scheduleWithFixedDelay(this::expireNow, interval, interval, TimeUnit.MILLISECONDS));
        // Fair-start draws are due at their window's end: a tick this often puts every result out
        // within a tenth of a second of it (a claim arriving first runs the draw itself).
        chores.add(ticker.scheduleWithFixedDelay(
                () -> gateway.publish(new Command.DrawDue(config.clock().millis()), null),
                DRAW_TICK_MILLIS, DRAW_TICK_MILLIS, TimeUnit.MILLISECONDS));
        ClaimRing running = ring;
        chores.add(ticker.scheduleWithFixedDelay(() -> gateway.writer().sample(running), 250, 250,
                TimeUnit.MILLISECONDS));
        chores.add(ticker.scheduleWithFixedDelay(throttle::forgetIdle, 10, 10, TimeUnit.SECONDS));
        LOG.info("Wish engine ready on http://{}:{}/ (store {}) in {} ms", displayHost(), port, redisUri,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        LOG.info(CollectorAdvice.forThisJvm());
    }

    /**
     * A lone engine on its own Redis: the writer lease first, then the whole book from Redis, then
     * the ring.
     */
    private void startAlone(NodeIdentity identity) throws Exception {
        writerLease = WriterLease.acquire(store.leases(), Keys.WRITER_LEASE, identity, config.lease().duration(),
                config.commitTimeout().plusSeconds(5), leaseListener());
        LOG.info("Writer lease {} taken as node {} at epoch {} (lease {} ms)", writerLease.key(), identity.nodeId(),
                writerLease.epoch(), config.lease().duration().toMillis());
        store.fenceWith(writerLease.key(), writerLease.epoch());
        Book book = new Book(config.claimExpirySpeedup());
        long recoveryStarted = System.nanoTime();
        RecoveryReport recovery = store.recover(book);
        long lastBatch = recovery.lastSequence();
        LOG.info("Recovered {} campaigns, {} wishes, {} claims ({} active) from Redis in {} ms ({})",
                book.stats().campaigns(), book.stats().wishes(),
                book.stats().claimed() + book.stats().fulfilled() + book.stats().confirmed()
                        + book.stats().cancelled() + book.stats().expired(),
                book.stats().units() - book.stats().remaining(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStarted), recovery.split());
        for (CampaignView campaign : book.campaigns()) {
            metrics.lifecycle().campaign(campaign);
        }
        ring = new ClaimRing(book, store, http.replier(), List.of(metrics.lifecycle(), http.events()), observer(),
                gateway.writer(), hooks, config.ringSize(), lastBatch + 1);
        ring.start();
        gateway.open(ring);
        // Renewed until the last commit is done, so the lease outlives a long drain.
        WriterLease lease = writerLease;
        ticker.scheduleWithFixedDelay(lease::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * A node of a cluster: an empty book numbered in blocks, the ring, then the node joins and
     * takes the campaigns placement gives it (each loaded when its lease is taken), and the HTTP
     * edge settles, waits or forwards each request by its campaign; committed events travel to the
     * other nodes' streams through Redis.
     */
    private void startNode(NodeIdentity identity) throws Exception {
        store.fencePerCampaign(identity.nodeId());
        node = new ClusterNode(identity, advertiseUrl(), config.lease().duration(), store, gateway, metrics,
                config.clock(), config.claimExpirySpeedup());
        Book book = Book.numberedInBlocks(config.claimExpirySpeedup(), node::blockWanted);
        ring = new ClaimRing(book, store, http.replier(), List.of(metrics.lifecycle(), http.events()), observer(),
                gateway.writer(), hooks, config.ringSize(), 1);
        peers = new PeerClient(identity.nodeId(), http.transport().loops(), http.transport().clientChannelType(),
                PeerLimits.DEFAULTS, PeerEvents.NONE);
        Duration forwardTimeout = config.commitTimeout().plusSeconds(3);
        // Routed through the cluster before the door opens: nothing may reach the ring for a
        // campaign this node has not taken (the store would refuse it, and fence the writer).
        http.routeThroughCluster(node, (peer, request) -> peers.send(peer, request, forwardTimeout)
                .whenComplete((answer, failure) -> metrics.forwarded(failure == null))
                .thenApply(Relay::toClient));
        events = store.eventRelay(identity.nodeId());
        events.subscribe(http.events()::deliverFromPeer);
        http.events().shareWith(events::publish);
        ring.start();
        gateway.open(ring);
        node.start();
        metrics.servedCampaigns(node::servedCampaigns);
    }

    /** Where the other nodes reach this one: {@code --advertise-url}, else this machine's address. */
    private String advertiseUrl() {
        if (config.redisCluster().advertiseUrl() != null) {
            return config.redisCluster().advertiseUrl().toString().replaceAll("/$", "");
        }
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostAddress();
            } catch (java.net.UnknownHostException e) {
                host = "127.0.0.1";
            }
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private RedisStore connectWithRetry() throws InterruptedException {
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                if (config.redisCluster() != null) {
                    return RedisStore.connectCluster(config.redisCluster().seeds(), config.commitTimeout(),
                            config.redisCluster().minReplicaAcks(), http.transport().loops(),
                            http.transport().clientChannelType());
                }
                return RedisStore.connect(redisUri, config.commitTimeout(), http.transport().loops(),
                        http.transport().clientChannelType());
            } catch (RuntimeException e) {
                if (closed) {
                    throw e;
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("Redis at {} does not answer yet ({}); retrying", redisUri, e.getMessage());
                }
                Thread.sleep(backoff);
                backoff = Math.min(2_000, backoff * 2);
            }
        }
    }

    private WriterLease.Listener leaseListener() {
        return new WriterLease.Listener() {
            private int failures;

            @Override
            public void renewed() {
                if (failures > 0) {
                    LOG.info("Writer lease renewed again after {} renewals without an answer", failures);
                    failures = 0;
                }
                metrics.leaseRenewed();
            }

            @Override
            public void renewalFailed(Throwable cause) {
                if (failures++ == 0) {
                    LOG.warn("Writer lease renewal got no answer ({}); commits stay safe (the store checks the "
                            + "lease's epoch), and renewals go on", cause.toString());
                }
                metrics.leaseRenewalFailed();
            }

            @Override
            public void lost(LeaseHolder holder) {
                metrics.leaseLost();
                gateway.writer().fence("another engine took over the store's writer lease (" + holder.describe()
                        + ")");
                LOG.error("This engine lost its writer lease to {}: it writes nothing more and answers 503; "
                        + "stop it (the other engine serves)", holder.describe());
            }
        };
    }

    private RingObserver observer() {
        return new RingObserver() {
            private int failures;

            @Override
            public void settled(int commands, long nanos) {
                metrics.settled(commands, nanos);
            }

            @Override
            public void committed(int size, long nanos) {
                if (failures > 0) {
                    LOG.info("Redis is back: a batch committed after {} failed attempts", failures);
                    failures = 0;
                }
                gateway.storeUp(true);
                metrics.committed(size, nanos);
            }

            @Override
            public void writerError(String where, Command command, Throwable cause) {
                metrics.writerError(where);
                writerErrors.report(where, command, cause, gateway.writer());
            }

            @Override
            public void fenced(WriterFenced cause, int size) {
                metrics.commitFenced();
                LOG.error("Redis refused a batch of {} changes: another engine holds the writer lease. This engine "
                        + "writes nothing more and answers 503; stop it (the other engine serves)", size);
            }

            @Override
            public void commitFailed(Exception cause, int attempt) {
                if (failures++ == 0) {
                    LOG.warn("Redis commit failed ({}); retrying until it succeeds, refusing new commands meanwhile",
                            cause.toString());
                }
                gateway.storeUp(false);
                metrics.commitFailed(cause, attempt);
            }
        };
    }

    private java.util.concurrent.CompletionStage<Boolean> storeAnswers() {
        RedisStore current = store;
        return current == null ? java.util.concurrent.CompletableFuture.completedFuture(false)
                : current.ping(Duration.ofSeconds(1));
    }

    /** Publishes an expiry tick stamped with the engine's clock (also run periodically). */
    public void expireNow() {
        gateway.publish(new Command.Expire(config.clock().millis()), null);
    }

    /** The bound HTTP port. */
    public int port() {
        return port;
    }

    private String displayHost() {
        return config.host().equals("0.0.0.0") ? "localhost" : config.host();
    }

    /**
     * Stops in the order that loses nothing: stop accepting connections, start draining the open
     * ones (each answer from now on closes its connection, so that no client writes a request into
     * a closing connection; idle ones close after a short grace), close the door (new commands get
     * 503) and let the publishes that found it open finish, let the ring settle, commit and answer
     * everything it holds, wait for the connections to take their last answers, then close the
     * store, then the HTTP server, and only then stop a local Redis.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        chores.forEach(chore -> chore.cancel(false));
        if (http != null) {
            http.stopAccepting();
            http.beginDrain();
        }
        gateway.close();
        if (http != null && !http.awaitEventLoops(1_000)) {
            LOG.warn("An event loop did not come round within 1 s; a request it was publishing may go "
                    + "unanswered");
        }
        if (ring != null && !ring.drain(DRAIN_MILLIS)) {
            LOG.warn("The ring did not drain within {} ms (is Redis reachable?); the requests Redis had not "
                    + "confirmed were answered 503 (shut down) and none of them was acknowledged", DRAIN_MILLIS);
        }
        if (http != null) {
            int left = http.awaitConnectionsClosed();
            if (left > 0) {
                LOG.info("Closing {} connections that did not finish their last answer in time", left);
            }
        }
        ticker.shutdownNow();
        revocations.close();
        if (node != null) {
            node.close(); // after the last commit: its campaigns' leases are released for the others
        }
        if (events != null) {
            events.close();
        }
        if (peers != null) {
            peers.close();
        }
        if (writerLease != null && !gateway.writer().isFenced()) {
            writerLease.release(Duration.ofSeconds(1)); // after the last commit: a successor need not wait
        }
        try {
            if (store != null) {
                store.close(); // before the HTTP server, whose event loops it runs on
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing the Redis store failed; stopping the rest anyway", e);
        } finally {
            if (http != null) {
                http.close();
            }
        }
        if (localRedis != null) {
            localRedis.stop();
        }
        LOG.info("Wish engine stopped");
    }
}
