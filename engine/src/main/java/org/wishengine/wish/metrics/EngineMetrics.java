package org.wishengine.wish.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.wishengine.wish.http.HttpMetrics;
import org.wishengine.wish.ring.ClaimRing;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.ring.RingObserver;
import org.wishengine.wish.ring.WriterHealth;

/**
 * The engine's meters in one Prometheus registry. Tags are low-cardinality by construction:
 * route templates, methods, status codes, outcomes; never user or wish ids. Meters are looked up
 * once and cached, so recording costs a map lookup and an atomic add.
 */
public final class EngineMetrics implements HttpMetrics, RingObserver {

    private static final Duration MIN_LATENCY = Duration.ofNanos(50_000);
    private static final Duration MAX_LATENCY = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> claims = new ConcurrentHashMap<>();
    /** Route template → method → timer by status code; no key is built per response. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<Timer>>> requests = new ConcurrentHashMap<>();
    private final Timer claimLatency;
    private final ClaimStages claimStages;
    private final Timer commitTime;
    private final DistributionSummary commitBatch;
    private final Counter commitErrors;
    private final Timer settleTime;
    private final ConcurrentHashMap<String, Counter> writerErrors = new ConcurrentHashMap<>();
    private final Counter redisDisconnects;
    private final Counter leaseRenewed;
    private final Counter leaseRenewalFailed;
    private final Counter leaseLost;
    private final Counter fencedBatches;
    private final Counter redisReconnects;
    private final Counter clusterTakeovers;
    /** How many campaigns this node serves; set once the engine is a cluster node. */
    private volatile java.util.function.IntSupplier servedCampaigns = () -> 0;
    private final Counter clusterHandOvers;
    private final Counter clusterHeartbeatFailures;
    private final Counter forwards;
    private final Counter forwardFailures;
    private final LifecycleMeters lifecycle;
    private final CommandGateway gateway;

    public EngineMetrics(CommandGateway gateway) {
        this.gateway = gateway;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        claimLatency = Timer.builder("wish.claim.latency")
                .description("Time from receiving a claim request to deciding its answer (commit included)")
                .publishPercentileHistogram().minimumExpectedValue(MIN_LATENCY).maximumExpectedValue(MAX_LATENCY)
                .register(registry);
        claimStages = new ClaimStages(registry, MIN_LATENCY, MAX_LATENCY);
        commitTime = Timer.builder("wish.commit.duration")
                .description("Time to make one ring batch durable in the store, retries included")
                .publishPercentileHistogram().minimumExpectedValue(MIN_LATENCY).maximumExpectedValue(MAX_LATENCY)
                .register(registry);
        commitBatch = DistributionSummary.builder("wish.commit.batch.size")
                .description("Changes committed per store round trip")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(10_000.0)
                .register(registry);
        commitErrors = Counter.builder("wish.commit.errors")
                .description("Failed commit attempts (each is retried)").register(registry);
        settleTime = Timer.builder("wish.settle.duration")
                .description("Time the single writer spent on one ring batch before sending it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
        lifecycle = new LifecycleMeters(registry);
        redisDisconnects = Counter.builder("wish.redis.disconnects")
                .description("Connections to Redis lost (Lettuce reconnects by itself)").register(registry);
        leaseRenewed = leaseRenewals("renewed");
        leaseRenewalFailed = leaseRenewals("failed");
        leaseLost = leaseRenewals("lost");
        fencedBatches = Counter.builder("wish.commit.fenced")
                .description("Batches the store refused because another writer holds the lease").register(registry);
        redisReconnects = Counter.builder("wish.redis.reconnects")
                .description("Connections to Redis re-established after a loss").register(registry);
        Gauge.builder("wish.cluster.campaigns", this, m -> m.servedCampaigns.getAsInt())
                .description("Campaigns this node serves now (cluster mode; 0 for a lone engine)").register(registry);
        clusterTakeovers = Counter.builder("wish.cluster.takeovers")
                .description("Campaigns this node took over (lease taken, book loaded; cluster mode)").register(registry);
        clusterHandOvers = Counter.builder("wish.cluster.handovers")
                .description("Campaigns this node handed over to a node placement gave them to (cluster mode)")
                .register(registry);
        clusterHeartbeatFailures = Counter.builder("wish.cluster.heartbeat.failures")
                .description("Heartbeats to the cluster registry that got no answer (cluster mode)").register(registry);
        forwards = Counter.builder("wish.cluster.forwards")
                .description("Requests this node forwarded to the node serving their campaign (cluster mode)")
                .tag("result", "answered").register(registry);
        forwardFailures = Counter.builder("wish.cluster.forwards")
                .description("Requests this node forwarded to the node serving their campaign (cluster mode)")
                .tag("result", "failed").register(registry);
        Gauge.builder("wish.ring.capacity", gateway, g -> g.ring() == null ? 0 : g.ring().capacity())
                .description("Slots in the ring").register(registry);
        Gauge.builder("wish.ring.remaining", gateway, EngineMetrics::remaining)
                .description("Free slots in the ring").register(registry);
        Gauge.builder("wish.store.up", gateway, g -> g.isStoreUp() ? 1 : 0)
                .description("1 while commits to the store succeed").register(registry);
        Gauge.builder("wish.writer.up", gateway, g -> g.writer().state() == WriterHealth.State.RUNNING ? 1 : 0)
                .description("1 while the single writer runs; 0 when it stopped after a fault or stalls").register(registry);
        for (String where : new String[] {"settle", "reply", "delivery", "meter"}) {
            writerError(where, 0);
        }
    }

    private static double remaining(CommandGateway gateway) {
        ClaimRing ring = gateway.ring();
        return ring == null ? 0 : ring.remainingCapacity();
    }

    /** The Prometheus text exposition; call off the ring threads. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void responded(String route, String method, int status, long nanos) {
        AtomicReferenceArray<Timer> byStatus = requests.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, m -> new AtomicReferenceArray<>(600));
        boolean cacheable = status >= 0 && status < byStatus.length();
        Timer timer = cacheable ? byStatus.get(status) : null;
        if (timer == null) {
            // Racing registrations are harmless: the registry returns the same timer for the same tags.
            timer = Timer.builder("wish.http.requests")
                    .description("HTTP requests answered, by route template, method and status")
                    .tag("route", route).tag("method", method).tag("status", Integer.toString(status))
                    .register(registry);
            if (cacheable) {
                byStatus.set(status, timer);
            }
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void claimDecided(String outcome, long nanos) {
        Counter counter = claims.get(outcome);
        if (counter == null) {
            counter = claims.computeIfAbsent(outcome, o -> Counter.builder("wish.claims")
                    .description("Claim attempts by outcome").tag("outcome", o).register(registry));
        }
        counter.increment();
        claimLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void claimStages(long arrived, long settling, long sent, long durable, long answered) {
        claimStages.record(arrived, settling, sent, durable, answered);
    }

    /** Counts committed lifecycle transitions and units left per campaign; runs on the reply thread. */
    public LifecycleMeters lifecycle() {
        return lifecycle;
    }

    /** Adds a gauge read from {@code source}, for parts of the engine built after the meters. */
    public <T> void gauge(String name, String description, T source, java.util.function.ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    private Counter leaseRenewals(String result) {
        return Counter.builder("wish.lease.renewals")
                .description("Lease renewals (the writer lease; on a cluster node each campaign's): renewed, failed "
                        + "(no answer) or lost (another writer took it)")
                .tag("result", result).register(registry);
    }

    public void leaseRenewed() {
        leaseRenewed.increment();
    }

    public void leaseRenewalFailed() {
        leaseRenewalFailed.increment();
    }

    public void leaseLost() {
        leaseLost.increment();
    }

    /** Where {@code wish_cluster_campaigns} reads the campaigns a cluster node serves. */
    public void servedCampaigns(java.util.function.IntSupplier campaigns) {
        this.servedCampaigns = campaigns;
    }

    public void clusterTakeover() {
        clusterTakeovers.increment();
    }

    public void clusterHandOver() {
        clusterHandOvers.increment();
    }

    public void clusterHeartbeatFailed() {
        clusterHeartbeatFailures.increment();
    }

    /** One request forwarded to another node: answered by it, or not (the client got 503). */
    public void forwarded(boolean answered) {
        (answered ? forwards : forwardFailures).increment();
    }

    public void commitFenced() {
        fencedBatches.increment();
    }

    /** Counts one fault on the writer's path ({@code settle}, {@code reply}, {@code delivery} or {@code meter}). */
    public void writerError(String where) {
        writerError(where, 1);
    }

    private void writerError(String where, int count) {
        writerErrors.computeIfAbsent(where, w -> Counter.builder("wish.writer.errors")
                .description("Faults on the single writer's path, by where they happened")
                .tag("where", w).register(registry)).increment(count);
    }

    public void redisDisconnected() {
        redisDisconnects.increment();
    }

    public void redisReconnected() {
        redisReconnects.increment();
    }

    @Override
    public void settled(int commands, long nanos) {
        settleTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void committed(int size, long nanos) {
        commitTime.record(nanos, TimeUnit.NANOSECONDS);
        commitBatch.record(size);
    }

    @Override
    public void commitFailed(Exception cause, int attempt) {
        commitErrors.increment();
    }
}
