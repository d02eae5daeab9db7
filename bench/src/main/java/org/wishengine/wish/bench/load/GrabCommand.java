package org.wishengine.wish.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.wishengine.wish.auth.TokenMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code grab}: a flash-grab against a running engine. Creates a campaign of W wishes (opening
 * at once), pre-mints U user tokens, races C connections of random users on random wishes, and
 * afterwards reads the ledger back and checks the API's invariants. With {@code --ceiling} it
 * sends the identical request mix to the ceiling server instead, handles its answers the same
 * way (every 201 body is parsed) and checks nothing.
 *
 * <p>Several {@code --url}s (repeated or comma-separated: the nodes of a cluster) spread the
 * connections over the nodes round-robin; the campaign is created, and the ledger read back, on
 * the first, since any node answers any route.
 */
@Command(name = "grab", mixinStandardHelpOptions = true,
        description = "Run a flash-grab against an engine (or, with --ceiling, the ceiling server) and check the invariants.")
public final class GrabCommand implements Callable<Integer> {

    /** The URL when no {@code --url} is given. */
    static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080");

    /** Read-backs of ledger, remaining, ledger before giving up on a quiet moment. */
    private static final int READ_BACK_ATTEMPTS = 10;

    // The default is applied in urls(), not by picocli, so that any given --url simply replaces it.
    @Option(names = "--url", split = ",", paramLabel = "URL",
            description = "engine base URL (default http://127.0.0.1:8080); repeat it or give a comma-separated list "
                    + "to spread the connections round-robin over several nodes (set-up and read-back use the first)")
    List<URI> urls;

    @Option(names = "--admin-token", description = "the engine's organiser token (not needed with --ceiling)")
    String adminToken;

    @Option(names = "--token-secret", description = "the engine's user token secret, to mint user tokens (not needed with --ceiling)")
    String tokenSecret;

    @Option(names = "--wishes", defaultValue = "100", description = "wishes in the campaign (default ${DEFAULT-VALUE})")
    int wishes;

    @Option(names = "--quantity", defaultValue = "1-3", description = "units per wish: N or MIN-MAX (default ${DEFAULT-VALUE})")
    String quantity;

    @Option(names = "--users", defaultValue = "10000", description = "distinct users racing (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--per-user-limit", defaultValue = "1", description = "the campaign's perUserLimit (default ${DEFAULT-VALUE})")
    int perUserLimit;

    @Option(names = "--connections", defaultValue = "64", description = "keep-alive connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--event-loops", defaultValue = "1", description = "client event loop threads (default ${DEFAULT-VALUE})")
    int eventLoops;

    @Option(names = "--duration", converter = Durations.class,
            description = "how long to measure, e.g. 10s, 500ms, 2m (default 10s unless --requests is given)")
    Duration duration;

    @Option(names = "--requests", defaultValue = "0", description = "stop after this many requests (warm-up included)")
    long requests;

    @Option(names = "--rate", defaultValue = "0",
            description = "open loop: requests per second over all connections; omit for a closed loop")
    double rate;

    @Option(names = "--warmup", defaultValue = "0s", converter = Durations.class,
            description = "send but do not count for this long first (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--drain-timeout", defaultValue = "10s", converter = Durations.class,
            description = "how long to wait for outstanding answers at the end, or for any answer at all (default ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--report-dir", description = "write report.json and report.html here")
    Path reportDir;

    @Option(names = "--interval-csv", paramLabel = "FILE",
            description = "also write p50/p99/p99.9/max of every --interval of the run to this CSV (a soak's drift)")
    Path intervalCsv;

    @Option(names = "--interval", defaultValue = "60s", converter = Durations.class,
            description = "the length of an --interval-csv row (default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--fulfil-within-hours", description = "the campaign's fulfilWithinHours (default: the engine's, 168)")
    Integer fulfilWithinHours;

    @Option(names = "--ceiling", description = "drive the ceiling server: no campaign, no invariant check")
    boolean ceiling;

    @Option(names = "--campaign-id", description = "campaign id to create (default: a fresh one per run)")
    String campaignId;

    @Option(names = "--seed", description = "random seed of quantities and the request mix (default: from the clock)")
    Long seed;

    PrintStream out = System.out;

    /** What a grab produced; {@code violations} is empty for a ceiling run. */
    public record Outcome(LoadClient.Result result, List<InvariantChecker.Violation> violations, Report report) {
    }

    @Override
    public Integer call() throws Exception {
        Outcome outcome;
        try {
            outcome = grab();
        } catch (IllegalArgumentException e) {
            System.err.println("grab: " + e.getMessage());
            return 2;
        }
        if (outcome.result().requests() == 0) {
            return 2;
        }
        return outcome.violations().isEmpty() ? 0 : 1;
    }

    /** Runs the whole grab: set-up, load, summary, invariant check, report files. */
    public Outcome grab() throws Exception {
        validate();
        long actualSeed = seed != null ? seed : System.nanoTime();
        SplittableRandom random = new SplittableRandom(actualSeed);
        String campaign = campaignId != null ? campaignId
                : "grab-" + Long.toString(System.currentTimeMillis(), 36) + "-" + Integer.toString(random.nextInt(1 << 20), 36);
        QuantitySpec quantities = QuantitySpec.parse(quantity);
        List<InvariantChecker.Wish> plan = new ArrayList<>(wishes);
        for (int i = 0; i < wishes; i++) {
            plan.add(new InvariantChecker.Wish(campaign + "-w" + i, quantities.next(random), null));
        }
        long units = plan.stream().mapToLong(InvariantChecker.Wish::quantity).sum();

        long mintStarted = System.nanoTime();
        String secret = tokenSecret != null ? tokenSecret : "ceiling-run-user-token-secret-0123456789";
        Workload workload = Workload.mint(campaign, wishes, users, new TokenMinter(secret));
        out.printf(Locale.ROOT, "Minted %,d user tokens in %d ms%n", users, (System.nanoTime() - mintStarted) / 1_000_000);

        List<URI> targets = urls();
        // Any node answers any route: set-up and read-back on the first keep one view of the campaign.
        AdminApi admin = ceiling ? null : new AdminApi(targets.get(0), adminToken);
        long opensAt = 0;
        if (!ceiling) {
            admin.createCampaign(campaign, perUserLimit, fulfilWithinHours, plan);
            var created = admin.campaign(campaign);
            opensAt = AdminApi.millis(created.path("opensAt").asText(null));
            out.printf(Locale.ROOT, "Created campaign %s: %,d wishes, %,d units (quantity %s), perUserLimit %d%n",
                    campaign, wishes, units, quantities, perUserLimit);
        }

        Duration measured = duration == null && requests == 0 ? Duration.ofSeconds(10) : duration;
        out.printf(Locale.ROOT, "%s %s: %d connections on %d event loop(s), %s, %s%s%n",
                ceiling ? "Ceiling run against" : "Flash-grab against", urlText(targets), connections, eventLoops,
                rate > 0 ? String.format(Locale.ROOT, "open loop at %,.0f req/s", rate) : "closed loop",
                measured != null ? "for " + Durations.format(measured) : "for " + requests + " requests",
                warmup.isZero() ? "" : " after " + Durations.format(warmup) + " of warm-up");
        LoadClient client = new LoadClient(new LoadClient.Settings(targets, connections, eventLoops, rate, measured,
                requests, warmup, drainTimeout, random.nextLong()), workload, out);
        // The minted tokens and the plan live as long as the run: one collection now moves them out
        // of the young generation, so the load's own collections (if any) copy only what is in
        // flight and stay short (with LOAD_JVM's -XX:MaxTenuringThreshold=0, bench/scripts).
        System.gc();
        EngineStages stages = ceiling ? null : new EngineStages(targets.get(0));
        if (stages != null && measured != null) {
            stages.warmUp();
        }
        LoadClient.Result result;
        MachineCpu machine = new MachineCpu();
        try (OwnCollections own = new OwnCollections()) {
            client.onWindow(() -> {
                own.windowOpened();
                machine.windowOpened();
                if (stages != null) {
                    stages.windowOpened();
                }
            }, () -> {
                machine.windowClosed();
                own.windowClosed();
                if (stages != null) {
                    stages.windowClosed();
                }
            });
            try {
                if (intervalCsv == null) {
                    result = client.run();
                } else {
                    try (IntervalLog log = IntervalLog.open(intervalCsv, interval)) {
                        client.logIntervals(log);
                        result = client.run();
                    }
                }
            } finally {
                if (stages != null) {
                    stages.stopWarming();
                }
            }
            if (measured != null) {
                out.println(machine.summary());
                out.println(own.summary());
                if (stages != null) {
                    out.println(stages.summary());
                }
            }
            if (rate > 0) {
                out.println(result.lateSummary(connections, rate));
            }
        }

        List<InvariantChecker.Violation> violations = List.of();
        Map<String, Object> campaignSummary = null;
        if (!ceiling) {
            ReadBack readBack = readBack(admin, campaign, plan);
            List<InvariantChecker.LedgerClaim> ledger = readBack.ledger();
            Map<String, Integer> remaining = readBack.remaining();
            List<InvariantChecker.Wish> read = new ArrayList<>(plan.size());
            for (InvariantChecker.Wish wish : plan) {
                read.add(new InvariantChecker.Wish(wish.id(), wish.quantity(), remaining.get(wish.id())));
            }
            violations = InvariantChecker.check(new InvariantChecker.Campaign(campaign, perUserLimit, opensAt, read),
                    ledger, result.acked());
            long active = ledger.stream().filter(InvariantChecker.LedgerClaim::isActive).count();
            campaignSummary = new LinkedHashMap<>();
            campaignSummary.put("id", campaign);
            campaignSummary.put("wishes", wishes);
            campaignSummary.put("units", units);
            campaignSummary.put("ledgerClaims", ledger.size());
            campaignSummary.put("activeClaims", active);
            campaignSummary.put("soldOutWishes", read.stream().filter(w -> w.remaining() != null && w.remaining() == 0).count());
        }

        Report report = new Report(settings(measured, actualSeed, campaign), result, !ceiling, violations, campaignSummary);
        out.print(report.text());
        if (!ceiling && result.ackedBodyMismatches() > 0) {
            out.printf(Locale.ROOT, "warning: %,d 201 bodies did not name the wish and user that were asked for%n",
                    result.ackedBodyMismatches());
        }
        if (reportDir != null) {
            report.write(reportDir);
            out.println("Wrote " + reportDir.resolve("report.json") + " and " + reportDir.resolve("report.html"));
        }
        return new Outcome(result, violations, report);
    }

    /** The ledger and every wish's {@code remaining}, read while nothing changed. */
    private record ReadBack(List<InvariantChecker.LedgerClaim> ledger, Map<String, Integer> remaining) {
    }

    /**
     * Reads the ledger, the wishes' {@code remaining}, and the ledger again, until both ledger
     * reads agree: every change of a unit (a claim, a cancel, an expiry) changes the ledger, so
     * {@code remaining} read between two equal ledgers belongs to them. Claims expire on the
     * engine's own tick after the load has stopped (a soak's do), and a single pass could see an
     * expiry in {@code remaining} that its ledger missed.
     */
    private ReadBack readBack(AdminApi admin, String campaign, List<InvariantChecker.Wish> plan) throws Exception {
        List<String> ids = plan.stream().map(InvariantChecker.Wish::id).toList();
        List<InvariantChecker.LedgerClaim> before = admin.ledger(campaign);
        for (int attempt = 1; ; attempt++) {
            Map<String, Integer> remaining = admin.remaining(ids);
            List<InvariantChecker.LedgerClaim> after = admin.ledger(campaign);
            if (after.equals(before) || attempt == READ_BACK_ATTEMPTS) {
                if (!after.equals(before)) {
                    out.printf(Locale.ROOT, "warning: the ledger still changed after %d read-backs; remaining may "
                            + "not match it%n", attempt);
                }
                return new ReadBack(after, remaining);
            }
            before = after;
        }
    }

    private Map<String, Object> settings(Duration measured, long actualSeed, String campaign) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", ceiling ? "ceiling" : "engine");
        settings.put("url", urlText(urls()));
        settings.put("startedAt", Instant.now().toString());
        if (!ceiling) {
            settings.put("campaign", campaign);
        }
        settings.put("wishes", wishes);
        settings.put("quantity", quantity);
        settings.put("users", users);
        settings.put("perUserLimit", perUserLimit);
        if (fulfilWithinHours != null) {
            settings.put("fulfilWithinHours", fulfilWithinHours);
        }
        settings.put("connections", connections);
        settings.put("eventLoops", eventLoops);
        settings.put("loop", rate > 0 ? "open" : "closed");
        if (rate > 0) {
            settings.put("rate", rate);
        }
        settings.put("duration", measured == null ? null : Durations.format(measured));
        settings.put("requestLimit", requests);
        settings.put("warmup", Durations.format(warmup));
        settings.put("seed", actualSeed);
        settings.put("cores", Runtime.getRuntime().availableProcessors());
        settings.put("java", System.getProperty("java.version"));
        return settings;
    }

    /** The {@code --url}s in the order given, or the default. */
    List<URI> urls() {
        return urls == null || urls.isEmpty() ? List.of(DEFAULT_URL) : List.copyOf(urls);
    }

    /** One URL as itself (as before several were allowed), several comma-separated as {@code --url} takes them. */
    private static String urlText(List<URI> urls) {
        return String.join(",", urls.stream().map(URI::toString).toList());
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        for (URI url : urls()) {
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                problems.add("--url must be http://host[:port], not " + url);
            }
        }
        if (connections < urls().size()) {
            problems.add("--connections must be at least the number of --url values, so that every node gets one");
        }
        if (!ceiling && (adminToken == null || tokenSecret == null)) {
            problems.add("--admin-token and --token-secret are required (or use --ceiling)");
        }
        if (wishes < 1 || wishes > 10_000) {
            problems.add("--wishes must be 1..10000 (the API's limit per campaign)");
        }
        if (users < 1) {
            problems.add("--users must be at least 1");
        }
        if (connections < 1 || eventLoops < 1) {
            problems.add("--connections and --event-loops must be at least 1");
        }
        if (rate < 0 || requests < 0) {
            problems.add("--rate and --requests must not be negative");
        }
        if (perUserLimit < 1 || perUserLimit > 1000) {
            problems.add("--per-user-limit must be 1..1000");
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            problems.add("--interval must be positive");
        }
        if (fulfilWithinHours != null && (fulfilWithinHours < 1 || fulfilWithinHours > 8784)) {
            problems.add("--fulfil-within-hours must be 1..8784 (the API's range)");
        }
        if (campaignId != null && !campaignId.matches("[A-Za-z0-9_-]{1,58}")) {
            problems.add("--campaign-id must be 1..58 characters of A-Z a-z 0-9 _ - (wish ids append -wN)");
        }
        QuantitySpec.parse(quantity);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
