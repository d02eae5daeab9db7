package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The built engine jar, run as its own process by the process-level tests (crash, start-up). */
final class EngineJar {

    private EngineJar() {
    }

    /** {@code java -Xmx512m -jar wish-engine.jar} followed by {@code args}. */
    static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", path().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** The shaded jar that failsafe names in system property {@code wish.engine.jar}. */
    static Path path() {
        String jar = System.getProperty("wish.engine.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "system property wish.engine.jar must name the built jar (run through failsafe after package): " + jar);
        return Path.of(jar);
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
