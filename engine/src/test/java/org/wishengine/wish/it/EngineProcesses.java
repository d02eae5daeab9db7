package org.wishengine.wish.it;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine processes one test starts from the built jar ({@link EngineJar}), each on its
 * embedded Redis in a data directory of the test's; {@link #killAll()} leaves none of them, and none
 * of their Redis servers, running.
 */
final class EngineProcesses {

    private final Path logDir;
    private final String adminToken;
    private final String tokenSecret;
    private final HttpClient http = GrabSupport.newClient();
    private final List<EngineProcess> started = new ArrayList<>();
    /** Every Redis pid the engines reported, so that no test leaves one running. */
    private final Set<Long> redisPids = new HashSet<>();

    /**
     * With {@code adminToken} and {@code tokenSecret} both null, neither is passed: each engine
     * generates its own into {@code secrets.properties} of its data directory, as on an operator's
     * first start.
     */
    EngineProcesses(Path logDir, String adminToken, String tokenSecret) {
        this.logDir = logDir;
        this.adminToken = adminToken;
        this.tokenSecret = tokenSecret;
    }

    /** Starts an engine on {@code data} (on a free loopback port) and returns once it is ready. */
    EngineProcess start(Path data, String... moreArgs) throws Exception {
        EngineProcess engine = launch(data, moreArgs);
        engine.awaitReady(Duration.ofSeconds(60));
        redisPid(engine);
        return engine;
    }

    /**
     * Starts an engine on {@code data} with {@code moreArgs} (e.g. {@code --redis-url}) and returns
     * at once, ready or not.
     */
    EngineProcess launch(Path data, String... moreArgs) throws Exception {
        int port = EngineJar.freePort();
        Path log = logDir.resolve("engine-" + started.size() + ".log");
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1",
                "--data-dir", data.toString()));
        if (adminToken != null || tokenSecret != null) {
            args.addAll(List.of("--admin-token", adminToken, "--token-secret", tokenSecret));
        }
        args.addAll(List.of(moreArgs));
        Process process = EngineJar.command(args.toArray(new String[0]))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        EngineProcess engine = new EngineProcess(process, port, data, log, adminToken, http);
        started.add(engine);
        return engine;
    }

    /** The engine's Redis pid, remembered for {@link #killAll()}. */
    Optional<Long> redisPid(EngineProcess engine) {
        Optional<Long> pid = engine.redisPid();
        pid.ifPresent(redisPids::add);
        return pid;
    }

    /** SIGKILLs every engine started and every Redis they reported (for an {@code @AfterEach}). */
    void killAll() {
        for (EngineProcess engine : started) {
            engine.process.destroyForcibly();
        }
        for (EngineProcess engine : started) {
            engine.awaitExit();
            redisPid(engine);
        }
        for (long pid : redisPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
