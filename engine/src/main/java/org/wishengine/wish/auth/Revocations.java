package org.wishengine.wish.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoked organiser tokens as the event loops see them: an immutable snapshot (token id →
 * expiry) behind a volatile reference, so {@link #isRevoked} is one lock-free map lookup with no
 * round trip to Redis, and a refresh publishes a whole new list at once. A refresher thread
 * ({@link #start}) reloads the snapshot from a {@link RevocationSource} every
 * {@link #REFRESH_PERIOD}, so a revocation reaches every event loop within one period plus one
 * read of the source. Entries whose token has expired (with the verifier's leeway) are left out:
 * the verifier refuses those tokens anyway, so the list stays as short as the live revocations.
 *
 * <p>If the source fails, the last snapshot stays in force and the failure is logged once per
 * run of failures; a revocation already seen is never forgotten before its token expires.
 */
public final class Revocations implements AutoCloseable {

    /** How often {@link #start()} reloads the list. */
    public static final Duration REFRESH_PERIOD = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    private final RevocationSource source;
    private final Clock clock;
    private final long leewayMillis;
    /** Immutable; replaced, never changed, so readers need no lock. */
    private volatile Map<String, Long> snapshot = Map.of();
    private ScheduledExecutorService refresher;
    private boolean failing;

    /**
     * @param source where the list is read from
     * @param clock what "expired" is measured against (the verifier's clock)
     * @param leeway how long after {@code exp} the verifier still accepts a token (its leeway)
     */
    public Revocations(RevocationSource source, Clock clock, Duration leeway) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("leeway must not be negative");
        }
        this.leewayMillis = leeway.toMillis();
    }

    /** A list that stays empty: nothing can be revoked (until a source is wired in). */
    public static Revocations none() {
        return new Revocations(Map::of, Clock.systemUTC(), TokenVerifier.DEFAULT_LEEWAY);
    }

    /** Whether the token {@code jti} was revoked, as of the last refresh. Lock-free; any thread. */
    public boolean isRevoked(String jti) {
        return snapshot.containsKey(jti);
    }

    /** How many revocations the current snapshot holds. */
    public int size() {
        return snapshot.size();
    }

    /**
     * Reads the source once and publishes what it holds, minus expired tokens. Once this returns,
     * every thread's next {@link #isRevoked} sees the new list (volatile write).
     *
     * @throws Exception what the source threw; the previous snapshot is then kept
     */
    public synchronized void refresh() throws Exception {
        // synchronized: two overlapping refreshes must not let an older read replace a newer one.
        Map<String, Long> read = source.revoked();
        long now = clock.millis();
        Map<String, Long> live = new HashMap<>(read.size() * 2);
        for (Map.Entry<String, Long> e : read.entrySet()) {
            long exp = e.getValue();
            if (now < saturatedAdd(exp, leewayMillis)) {
                live.put(e.getKey(), exp);
            }
        }
        snapshot = Map.copyOf(live);
    }

    /** Starts reloading the list every {@link #REFRESH_PERIOD} on a daemon thread; once only. */
    public synchronized Revocations start() {
        return start(REFRESH_PERIOD);
    }

    /** Starts reloading the list every {@code period} on a daemon thread; once only. */
    public synchronized Revocations start(Duration period) {
        if (refresher != null) {
            throw new IllegalStateException("already started");
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wish-revocations");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (failing) {
                failing = false;
                LOG.info("revocation list readable again ({} revoked tokens)", size());
            }
        } catch (Exception e) {
            if (!failing) {
                failing = true;
                LOG.warn("cannot read the revocation list; keeping the last one ({} revoked tokens): {}", size(),
                        e.toString());
            }
        }
    }

    /** Stops the refresher; the last snapshot stays readable. */
    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
