package org.wishengine.wish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.config.EngineConfig;

class ListenCheckTest {

    @TempDir
    Path tmp;

    @Test
    void shouldNameTheHostAndPortWhenThePortIsTaken() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            StartupFailure failure = assertThrows(StartupFailure.class, () -> ListenCheck.probe("127.0.0.1", port));
            assertEquals("port " + port + " on 127.0.0.1 is already in use; stop the other process or pass --port",
                    failure.getMessage());
            assertEquals(StartupFailure.ENVIRONMENT, failure.exitCode());
        }
    }

    @Test
    void shouldLeaveAFreePortFree() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ListenCheck.probe("127.0.0.1", port);
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
        ListenCheck.probe("127.0.0.1", 0);
    }

    @Test
    void shouldRefuseAHostThatDoesNotResolve() {
        StartupFailure failure = assertThrows(StartupFailure.class, () -> ListenCheck.probe("no-such-host.invalid", 8080));
        assertEquals(StartupFailure.USAGE, failure.exitCode());
        assertEquals("--host \"no-such-host.invalid\" is not a known address", failure.getMessage());
    }

    @Test
    void shouldRecogniseTheEnginesOwnBindFailureAndStartNoRedis() throws IOException {
        // The race the probe cannot close: the port is taken by the time the engine binds it.
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int port = other.getLocalPort();
            EngineConfig config = EngineConfig.defaults(null, tmp, "admin", "secret-0123456789abcdef0123456789")
                    .withPort(port);
            Exception thrown = assertThrows(Exception.class, () -> WishEngine.start(config).close());
            Optional<StartupFailure> failure = ListenCheck.bindFailure(thrown, "0.0.0.0", port);
            assertTrue(failure.isPresent(), () -> "not recognised as a bind failure: " + thrown);
            assertEquals("port " + port + " on 0.0.0.0 is already in use; stop the other process or pass --port",
                    failure.get().getMessage());
            assertFalse(Files.exists(tmp.resolve("redis.pid")), "a local Redis was started before the port was bound");
        }
    }

    @Test
    void shouldLeaveOtherFailuresAlone() {
        assertEquals(Optional.empty(), ListenCheck.bindFailure(new IllegalStateException("no", new IOException("disk")),
                "0.0.0.0", 8080));
    }
}
