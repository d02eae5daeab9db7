package org.wishengine.wish.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.wishengine.wish.core.CampaignRules;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.DrawVerdict;
import org.wishengine.wish.http.DrawAuditJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify-draw}: fetches the public record of a fair-start draw from a running engine
 * ({@code --url} and {@code --campaign}) or reads it from a file ({@code --file}), recomputes the
 * draw with {@link DrawAudit#verify} and prints the verdict. Anyone can run it: the record needs no
 * token and the check needs nothing but the record.
 *
 * <p>Exit codes: 0 the draw recomputes, 1 it does not (the first difference is printed), 2 the
 * record could not be fetched, read or parsed, or the draw has not happened yet.
 */
@Command(name = "verify-draw", mixinStandardHelpOptions = true,
        description = "Check a fair-start draw: recompute its commitment, drawn order and winners from its public "
                + "record. Exit 0 verified, 1 mismatch, 2 cannot fetch/read/parse or not drawn yet.")
public final class VerifyDrawCommand implements Callable<Integer> {

    static final int VERIFIED = 0;
    static final int MISMATCH = 1;
    static final int UNREADABLE = 2;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How much of an unexpected answer's body is quoted. */
    private static final int QUOTED_BODY = 200;

    @Option(names = "--url", description = "base URL of an engine, e.g. http://localhost:8080 (with --campaign)")
    String url;

    @Option(names = "--campaign", description = "the campaign id whose draw to fetch (with --url)")
    String campaign;

    @Option(names = "--file", description = "a saved body of GET /api/campaigns/{id}/draw")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean remote = url != null || campaign != null;
        if (remote == (file != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --url with --campaign, or --file (exactly one of the two)");
        }
        if (remote && (url == null || campaign == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url and --campaign go together");
        }
        DrawAudit audit;
        try {
            byte[] body = remote ? fetch() : read();
            audit = DrawAuditJson.read(body);
        } catch (Unreadable | DrawAuditJson.NotDrawn e) {
            err.println(e.getMessage());
            err.flush();
            return UNREADABLE;
        } catch (IOException e) {
            err.println("cannot parse the draw record from " + source() + ": " + e.getMessage());
            err.flush();
            return UNREADABLE;
        }
        DrawVerdict verdict = DrawAudit.verify(audit);
        out.println(verdict.describe());
        out.flush();
        return verdict.ok() ? VERIFIED : MISMATCH;
    }

    private String source() {
        return file != null ? file.toString() : drawUri().toString();
    }

    private byte[] read() throws Unreadable {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Unreadable("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new Unreadable("cannot read " + file + ": " + e);
        }
    }

    private URI drawUri() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return URI.create(base + "/api/campaigns/" + campaign + "/draw");
    }

    private byte[] fetch() throws Unreadable {
        // Campaign ids are restricted to these characters, so one can go into the path as is.
        if (!CampaignRules.validId(campaign)) {
            throw new Unreadable("not a campaign id: " + campaign);
        }
        URI uri;
        try {
            uri = drawUri();
        } catch (IllegalArgumentException e) {
            throw new Unreadable("not a URL: " + url + " (" + e.getMessage() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new Unreadable("not an http(s) URL: " + url);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .GET().build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new Unreadable("cannot fetch " + uri + ": no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            // The HTTP client's refusal carries no message of its own.
            throw new Unreadable("cannot fetch " + uri + ": cannot connect to " + uri.getAuthority());
        } catch (IOException e) {
            throw new Unreadable("cannot fetch " + uri + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable("interrupted while fetching " + uri);
        }
        if (response.statusCode() == 404) {
            throw new Unreadable("campaign " + campaign + " has no fair-start draw (" + uri + " answered 404: "
                    + errorOf(response.body()) + ")");
        }
        if (response.statusCode() != 200) {
            throw new Unreadable(uri + " answered " + response.statusCode() + ": " + errorOf(response.body()));
        }
        return response.body();
    }

    /** The first message along the causes: the HTTP client's own exceptions often have none. */
    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** The API's {@code error} and {@code message} of an error body, else the start of the body. */
    private static String errorOf(byte[] body) {
        try {
            JsonNode error = new ObjectMapper().readTree(body);
            if (error != null && error.hasNonNull("error")) {
                String code = error.get("error").asText();
                return error.hasNonNull("message") ? code + " (" + error.get("message").asText() + ")" : code;
            }
        } catch (IOException e) {
            // Not the API's JSON (a proxy's page, say): quote it as text.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() > QUOTED_BODY ? text.substring(0, QUOTED_BODY) + "..." : text;
    }

    /** The record could not be had; the message says why, for stderr. */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
