package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One engine run from the built jar as a process of its own, on its embedded Redis, and the HTTP
 * calls the process-level tests make to it. Started (and cleaned up) by {@link EngineProcesses}.
 */
final class EngineProcess {

    final Process process;
    final int port;
    final Path dataDir;
    final Path log;
    private final String adminToken;
    private final HttpClient http;

    EngineProcess(Process process, int port, Path dataDir, Path log, String adminToken, HttpClient http) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.adminToken = adminToken;
        this.http = http;
    }

    /** Polls until the engine answers ready; fails if it exits or is not ready within {@code within}. */
    EngineProcess awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail("the engine exited with " + process.exitValue() + " before it was ready; log:\n" + logTail());
            }
            try {
                if (get("/health/ready", null).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            if (System.nanoTime() > deadline) {
                fail("the engine was not ready within " + within + "; log:\n" + logTail());
            }
            Thread.sleep(50); // poll interval
        }
    }

    /** Waits (30 s at most) for the process to end and returns its exit status. */
    int awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("engine process " + process.pid() + " did not exit; log:\n" + logTail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM: the engine drains, stops its Redis and exits. */
    void stop() {
        process.destroy();
        awaitExit();
    }

    /** SIGSTOP: the whole process freezes, as in a long GC pause or a VM that is descheduled. */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT: it runs on from where it froze, unaware that time passed. */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String which) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill " + which + " " + process.pid());
    }

    /** The pid in {@code redis.pid} of the data directory: the engine's redis-server. */
    Optional<Long> redisPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(dataDir.resolve("redis.pid")).trim().split("\\s+")[0]));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String logTail() {
        String text = logText();
        return text.substring(Math.max(0, text.length() - 4_000));
    }

    // ------------------------------------------------------------------ HTTP

    void createCampaign(String body) throws Exception {
        HttpResponse<String> created = http.send(request("/api/campaigns", adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), () -> created.body() + "\n" + logTail());
    }

    /** Every claim of a campaign (the organiser's ledger), by id. */
    Map<String, JsonNode> ledger(String campaign) throws Exception {
        HttpResponse<String> response = get("/api/campaigns/" + campaign + "/claims", adminToken);
        assertEquals(200, response.statusCode(), response::body);
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode claim : GrabSupport.json(response).path("claims")) {
            assertTrue(byId.put(claim.path("id").asText(), claim) == null, () -> "listed twice: " + claim);
        }
        return byId;
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
