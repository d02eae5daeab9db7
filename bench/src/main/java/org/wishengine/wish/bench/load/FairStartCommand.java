package org.wishengine.wish.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.DrawVerdict;
import org.wishengine.wish.http.DrawAuditJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fair-start}: the opening burst of a fair-start campaign against a running engine. Creates
 * a campaign whose window is long enough for the burst, sends one entry per user (the users in
 * turn, each on a random wish) as fast as the connections allow, then waits for the draw and
 * reports: entries per second (202s), their latency, the time from {@code drawAt} to the draw's
 * time and to its result being readable, how long recomputing the draw takes here (the same
 * order and settlement the writer computes), and whether the published record verifies and the
 * ledger holds exactly the winners.
 */
@Command(name = "fair-start", mixinStandardHelpOptions = true,
        description = "Enter a fair-start draw with many users, wait for the draw, measure and verify it.")
public final class FairStartCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "engine base URL (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--admin-token", required = true, description = "the engine's organiser token")
    String adminToken;

    @Option(names = "--token-secret", required = true, description = "the engine's user token secret")
    String tokenSecret;

    @Option(names = "--wishes", defaultValue = "100", description = "wishes in the campaign (default ${DEFAULT-VALUE})")
    int wishes;

    @Option(names = "--quantity", defaultValue = "10", description = "units per wish: N or MIN-MAX (default ${DEFAULT-VALUE})")
    String quantity;

    @Option(names = "--users", defaultValue = "100000", description = "users, each entering once (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--per-user-limit", defaultValue = "1", description = "the campaign's perUserLimit (default ${DEFAULT-VALUE})")
    int perUserLimit;

    @Option(names = "--connections", defaultValue = "64", description = "keep-alive connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--event-loops", defaultValue = "1", description = "client event loop threads (default ${DEFAULT-VALUE})")
    int eventLoops;

    @Option(names = "--window", defaultValue = "30", description = "fair-start window in seconds; the burst must fit in it (default ${DEFAULT-VALUE})")
    int windowSeconds;

    @Option(names = "--lead", defaultValue = "3", description = "seconds from creating the campaign to its opening (default ${DEFAULT-VALUE})")
    int leadSeconds;

    @Option(names = "--seed", description = "random seed of the wishes users pick (default: from the clock)")
    Long seed;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        SplittableRandom random = new SplittableRandom(seed != null ? seed : System.nanoTime());
        String campaign = "fair-" + Long.toString(System.currentTimeMillis(), 36);
        QuantitySpec quantities = QuantitySpec.parse(quantity);
        List<InvariantChecker.Wish> plan = new ArrayList<>(wishes);
        long units = 0;
        for (int i = 0; i < wishes; i++) {
            plan.add(new InvariantChecker.Wish(campaign + "-w" + i, quantities.next(random), null));
            units += plan.get(i).quantity();
        }
        long minted = System.nanoTime();
        Workload workload = Workload.mint(campaign, wishes, users, new TokenMinter(tokenSecret)).eachUserInTurn();
        out.printf(Locale.ROOT, "Minted %,d user tokens in %d ms%n", users, (System.nanoTime() - minted) / 1_000_000);

        AdminApi admin = new AdminApi(url, adminToken);
        long opensAt = System.currentTimeMillis() + leadSeconds * 1000L;
        admin.createCampaign(campaign, perUserLimit, null, plan, opensAt, windowSeconds);
        JsonNode created = admin.campaign(campaign);
        long drawAt = AdminApi.millis(created.path("fairStart").path("drawAt").asText(null));
        out.printf(Locale.ROOT, "Created fair-start campaign %s: %,d wishes, %,d units, window %d s, draw at %s%n",
                campaign, wishes, units, windowSeconds, created.path("fairStart").path("drawAt").asText());

        sleepUntil(opensAt + 20);
        LoadClient client = new LoadClient(new LoadClient.Settings(List.of(url), connections, eventLoops, 0, null,
                users, Duration.ZERO, Duration.ofSeconds(10), random.nextLong()), workload, out);
        LoadClient.Result result = client.run();
        long burstEnded = System.currentTimeMillis();
        long entries = result.count(202);
        Histogram latency = result.latencyMicros();
        out.printf(Locale.ROOT, "Entries: %,d (202) of %,d answers in %.2f s: %,.0f entries/s; p50 %.2f ms, p99 %.2f ms, "
                        + "max %.2f ms; answers by status %s%n", entries, result.requests(), result.seconds(),
                result.seconds() <= 0 ? 0 : entries / result.seconds(), latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0, result.statuses());
        boolean fitted = burstEnded < drawAt;
        if (!fitted) {
            out.printf(Locale.ROOT, "warning: the burst ended %d ms after drawAt: raise --window%n", burstEnded - drawAt);
        }

        sleepUntil(drawAt);
        // Users learn their result from their entries; the record with the seed is read after.
        long lastUserSettled = lastUsersSettled(workload, 1);
        long othersChecked = lastUsersSettled(workload, Math.min(users, 50));
        long auditAsked = System.nanoTime();
        byte[] record = admin.draw(campaign);
        long auditMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - auditAsked);
        JsonNode drawn = JSON.readTree(record);
        long drawnAt = AdminApi.millis(drawn.path("drawnAt").asText(null));
        DrawAudit audit = DrawAuditJson.read(record);
        long recomputeStarted = System.nanoTime();
        DrawVerdict verdict = DrawAudit.verify(audit);
        long recomputeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recomputeStarted);
        long ledger = admin.ledger(campaign).size();
        out.printf(Locale.ROOT, "Draw of %,d entries: drawnAt - drawAt %d ms; the last user's result readable %d ms "
                        + "after drawAt (and the last %d users' by %d ms); the record (%,d bytes) served in %d ms; "
                        + "recomputing it here %d ms%n",
                audit.entries().size(), drawnAt - drawAt, lastUserSettled - drawAt, Math.min(users, 50),
                othersChecked - drawAt, record.length, auditMillis, recomputeMillis);
        out.printf(Locale.ROOT, "Winners %,d, claims in the ledger %,d; %s%n", audit.winners().size(), ledger,
                verdict.describe());
        boolean exact = audit.entries().size() == entries && ledger == audit.winners().size();
        if (!exact) {
            out.printf(Locale.ROOT, "MISMATCH: %,d entries acknowledged, %,d in the record; %,d winners, %,d claims%n",
                    entries, audit.entries().size(), audit.winners().size(), ledger);
        }
        return verdict.ok() && exact && fitted ? 0 : 1;
    }

    /** Reads the entries of the last {@code count} users to enter until each is settled; when that was so (epoch ms). */
    private long lastUsersSettled(Workload workload, int count) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String base = url.toString().replaceAll("/$", "");
        for (int i = users - count; i < users; i++) {
            while (true) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/me/entries"))
                        .header("Authorization", workload.authorizations[i].toString()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode entries = JSON.readTree(response.body()).path("entries");
                boolean settled = entries.size() > 0;
                for (JsonNode entry : entries) {
                    settled &= !entry.path("outcome").asText().equals("pending");
                }
                if (settled) {
                    break;
                }
                Thread.sleep(5);
            }
        }
        return System.currentTimeMillis();
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait); // a bench waiting for a wall-clock instant, not a synchronisation
        }
    }
}
