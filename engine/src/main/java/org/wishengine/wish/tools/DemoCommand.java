package org.wishengine.wish.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.wishengine.wish.config.SecretsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: builds the illustrative district of {@link DemoDistrict} on a running engine through
 * its public API — the whole tree in one {@code PUT /api/orgs}, then one {@code POST /api/campaigns}
 * per campaign — and prints where to look. It refuses to build a second district under the same id
 * unless {@code --force-new} gives every id a fresh suffix.
 *
 * <p>Exit codes: 0 built; 1 the district exists already, or the engine refused part of it (the
 * message says what was built); 2 bad flags, no admin token, a token that is not the district
 * administrator's, or an engine that cannot be reached.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build a demo district on a running engine: 1 district (金山区 Jinshan), 14 towns, 245 "
                + "communities, a few service points and a few thousand wishes with stories, in Chinese and English. "
                + "The data are illustrative: the towns carry real names of Jinshan's towns (three are plainly "
                + "generic), the communities, people and wishes are made up.",
                "Exit 0 built, 1 already there (see --force-new) or refused by the engine, 2 bad flags or engine "
                        + "unreachable."})
public final class DemoCommand implements Callable<Integer> {

    static final int BUILT = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** How much of an unexpected answer's body is quoted. */
    private static final int QUOTED_BODY = 200;

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "the engine (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--admin-token", defaultValue = "${env:WISH_ADMIN_TOKEN}",
            description = "the district administrator's token (env WISH_ADMIN_TOKEN; default: the one in "
                    + "<data-dir>/secrets.properties)")
    String adminToken;

    @Option(names = "--data-dir", defaultValue = "${env:WISH_DATA_DIR:-./data}",
            description = "where to find a generated admin token when none is given (default ./data)")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "1", description = "the same seed builds the same district (default 1)")
    long seed;

    @Option(names = "--wishes", defaultValue = "3000",
            description = "wishes in all, " + DemoDistrict.MIN_WISHES + ".." + DemoDistrict.MAX_WISHES + " (default 3000)")
    int wishes;

    @Option(names = "--opens-in", defaultValue = "2m",
            description = "one campaign opens this much later, e.g. 90s, 2m, 1h or PT2M (default 2m)")
    String opensIn;

    @Option(names = "--force-new",
            description = "build another district beside an existing one: every id gets a fresh suffix (-2, -3, ...)")
    boolean forceNew;

    @Spec
    CommandSpec spec;

    private HttpClient client;
    private URI base;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            int code = run(out);
            out.flush();
            return code;
        } catch (Failure failure) {
            out.flush();
            err.println(failure.getMessage());
            err.flush();
            return failure.code;
        }
    }

    private int run(PrintWriter out) throws Failure {
        if (wishes < DemoDistrict.MIN_WISHES || wishes > DemoDistrict.MAX_WISHES) {
            throw new Failure(USAGE, "--wishes must be " + DemoDistrict.MIN_WISHES + ".." + DemoDistrict.MAX_WISHES);
        }
        Duration later = parseDuration(opensIn);
        base = baseUri(url);
        String token = adminToken();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();

        JsonNode whoami = expect(send("GET", "/api/admin/whoami", token, null), 200, "checking the admin token");
        if (whoami.hasNonNull("org")) {
            throw new Failure(USAGE, "the demo needs the district administrator's token, not an organiser token of org "
                    + whoami.get("org").asText());
        }
        String suffix = suffix(expect(send("GET", "/api/orgs", null, null), 200, "reading the organiser tree"));

        DemoDistrict.Plan plan = DemoDistrict.plan(seed, wishes, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), later, suffix);
        expect(send("PUT", "/api/orgs", token, treeBody(plan)), 200, "loading the organiser tree");
        int published = 0;
        for (DemoDistrict.Campaign campaign : plan.campaigns()) {
            try {
                expect(send("POST", "/api/campaigns", token, campaignBody(campaign)), 201,
                        "publishing campaign " + campaign.id());
            } catch (Failure failure) {
                throw new Failure(failure.code, failure.getMessage() + " (the tree and " + published + " of "
                        + plan.campaigns().size() + " campaigns were built)");
            }
            published++;
        }
        summary(out, plan);
        return BUILT;
    }

    /** "" for a first demo; with --force-new the first free "-N"; else the district exists: refused. */
    private String suffix(JsonNode tree) throws Failure {
        Set<String> ids = new HashSet<>();
        tree.path("orgs").forEach(org -> ids.add(org.path("id").asText()));
        if (!ids.contains(DemoDistrict.DISTRICT_ID)) {
            return "";
        }
        if (!forceNew) {
            throw new Failure(REFUSED, "this engine already has an org '" + DemoDistrict.DISTRICT_ID
                    + "' (a demo district was built before?); nothing was changed. Pass --force-new to build another "
                    + "one beside it with fresh ids.");
        }
        int n = 2;
        while (ids.contains(DemoDistrict.DISTRICT_ID + "-" + n)) {
            n++;
        }
        return "-" + n;
    }

    private String adminToken() throws Failure {
        if (adminToken != null && !adminToken.isBlank()) {
            return adminToken;
        }
        String stored;
        try {
            stored = SecretsFile.adminToken(dataDir);
        } catch (IOException e) {
            throw new Failure(USAGE, "cannot read " + dataDir.resolve("secrets.properties") + ": " + e.getMessage());
        }
        if (stored == null) {
            throw new Failure(USAGE, "no admin token: pass --admin-token (or WISH_ADMIN_TOKEN), or run from where the "
                    + "engine keeps its data (--data-dir, default ./data)");
        }
        return stored;
    }

    private static URI baseUri(String text) throws Failure {
        String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new Failure(USAGE, "--url: not a URL: " + text);
        }
        if (uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new Failure(USAGE, "--url: not an http(s) URL: " + text + " (e.g. http://localhost:8080)");
        }
        return uri;
    }

    /** {@code 90s}, {@code 2m}, {@code 1h}, or an ISO-8601 duration; positive. */
    static Duration parseDuration(String text) throws Failure {
        Duration duration;
        try {
            if (text.matches("\\d{1,9}[smh]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                char unit = text.charAt(text.length() - 1);
                duration = unit == 's' ? Duration.ofSeconds(n) : unit == 'm' ? Duration.ofMinutes(n) : Duration.ofHours(n);
            } else {
                duration = Duration.parse(text);
            }
        } catch (DateTimeParseException e) {
            throw new Failure(USAGE, "--opens-in: not a duration: " + text + " (try 90s, 2m, 1h or PT2M)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new Failure(USAGE, "--opens-in must be positive");
        }
        return duration;
    }

    private static String treeBody(DemoDistrict.Plan plan) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode orgs = body.putArray("orgs");
        for (DemoDistrict.Org org : plan.orgs()) {
            ObjectNode node = orgs.addObject().put("id", org.id()).put("name", org.name());
            if (org.parent() != null) {
                node.put("parent", org.parent());
            }
        }
        return body.toString();
    }

    static String campaignBody(DemoDistrict.Campaign campaign) {
        ObjectNode body = MAPPER.createObjectNode().put("id", campaign.id()).put("title", campaign.title())
                .put("org", campaign.org()).put("opensAt", campaign.opensAt().toString()).put("fulfilWithinHours", 168);
        if (campaign.fairStartWindowSeconds() > 0) {
            body.putObject("fairStart").put("windowSeconds", campaign.fairStartWindowSeconds());
        }
        ArrayNode wishes = body.putArray("wishes");
        for (DemoDistrict.Wish wish : campaign.wishes()) {
            wishes.addObject().put("id", wish.id()).put("title", wish.title()).put("quantity", wish.quantity())
                    .put("category", wish.category()).put("location", wish.location())
                    .put("beneficiary", wish.beneficiary()).put("description", wish.description());
        }
        return body.toString();
    }

    private void summary(PrintWriter out, DemoDistrict.Plan plan) {
        String district = plan.districtId();
        String aTown = plan.orgs().stream().filter(o -> o.depth() == 1).findFirst().orElseThrow().id();
        out.printf("Built a demo district on %s (illustrative data, seed %d):%n", base, seed);
        out.printf("  orgs: 1 district (%s), %d towns, %d communities, %d service points%n", district,
                plan.orgsAtDepth(1), plan.orgsAtDepth(2), plan.orgsAtDepth(3));
        out.printf("  campaigns: %d with %,d wishes (%,d units); most are open now%n", plan.campaigns().size(),
                plan.wishCount(), plan.units());
        for (DemoDistrict.Campaign campaign : plan.campaigns()) {
            if (campaign.fairStartWindowSeconds() > 0) {
                out.printf("  fair start: %s opens at %s, draw after %d s%n", campaign.id(), campaign.opensAt(),
                        campaign.fairStartWindowSeconds());
            } else if (campaign.opensAt().isAfter(plan.now())) {
                out.printf("  opens later: %s at %s%n", campaign.id(), campaign.opensAt());
            }
        }
        out.printf("Look:%n");
        out.printf("  the wall:        %s/%n", base);
        out.printf("  organiser page:  %s/admin%n", base);
        out.printf("  district stats:  curl '%s/api/stats?org=%s'%n", base, district);
        out.printf("  a town's token:  java -jar engine/target/wish-engine.jar token --role organiser --org %s%n", aTown);
        out.printf("              or:  curl -X POST %s/api/orgs/%s/tokens -H \"Authorization: Bearer $ADMIN\"%n", base,
                aTown);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Failure {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Failure(USAGE, "cannot reach the engine at " + base + ": no answer within " + TIMEOUT.toSeconds()
                    + " s");
        } catch (ConnectException e) {
            // The HTTP client's refusal carries no message of its own.
            throw new Failure(USAGE, "cannot reach the engine at " + base + ": cannot connect to " + base.getAuthority()
                    + " (is it running?)");
        } catch (IOException e) {
            throw new Failure(USAGE, "cannot reach the engine at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(REFUSED, "interrupted");
        }
    }

    /** The answer's JSON if it has the expected status; else a failure naming what was being done. */
    private JsonNode expect(HttpResponse<String> response, int status, String doing) throws Failure {
        if (response.statusCode() == 401) {
            throw new Failure(USAGE, "the engine at " + base + " refused the admin token (401): pass the token it "
                    + "printed at first start, or the one in its data/secrets.properties");
        }
        if (response.statusCode() != status) {
            throw new Failure(REFUSED, doing + ": the engine answered " + response.statusCode() + " "
                    + errorOf(response.body()));
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(REFUSED, doing + ": the answer is not JSON: " + quote(response.body()));
        }
    }

    /** The API's {@code error} and {@code message} of an error body, else the start of the body. */
    private static String errorOf(String body) {
        try {
            JsonNode error = MAPPER.readTree(body);
            if (error != null && error.hasNonNull("error")) {
                String code = error.get("error").asText();
                return error.hasNonNull("message") ? code + " (" + error.get("message").asText() + ")" : code;
            }
        } catch (IOException e) {
            // Not the API's JSON (a proxy's page, say): quote it as text.
        }
        return quote(body);
    }

    private static String quote(String body) {
        String text = body.strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() > QUOTED_BODY ? text.substring(0, QUOTED_BODY) + "..." : text;
    }

    /** Why the command stops, with its exit code; the message is the one line for stderr. */
    static final class Failure extends Exception {
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
