package org.wishengine.wish.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LocalRedisTest {

    @TempDir
    Path tmp;

    @Test
    void startsOnAFreePortAndAnswersPing() throws IOException {
        Path dir = tmp.resolve("created/on/demand");
        try (LocalRedis redis = LocalRedis.start(dir)) {
            assertTrue(redis.isAlive());
            assertNotEquals(6379, redis.port());
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals(dir.toAbsolutePath(), redis.dataDir());
            assertEquals("+PONG", ping(redis.port()));
            assertTrue(Files.isRegularFile(dir.resolve("redis.log")));
        }
    }

    @Test
    void gracefulStopKeepsDataAcrossRestartOnSamePortAndDir() {
        Path dir = tmp.resolve("data");
        LocalRedis first = LocalRedis.start(dir);
        int port = first.port();
        try {
            withConnection(first, c -> c.sync().set("wish:1", "claimed"));
        } finally {
            first.stop();
        }
        assertFalse(first.isAlive());
        first.stop(); // idempotent

        try (LocalRedis second = LocalRedis.start(dir, port)) {
            assertEquals(port, second.port());
            withConnection(second, c -> assertEquals("claimed", c.sync().get("wish:1")));
        }
    }

    @Test
    void killFreesThePort() throws IOException {
        LocalRedis redis = LocalRedis.start(tmp);
        assertEquals("+PONG", ping(redis.port()));

        redis.kill();

        assertFalse(redis.isAlive());
        assertThrows(ConnectException.class, () -> ping(redis.port()));
        redis.close(); // no-op after kill
    }

    @Test
    void concurrentStartsGetDifferentPorts() {
        CompletableFuture<LocalRedis> a = CompletableFuture.supplyAsync(() -> LocalRedis.start(tmp.resolve("a")));
        CompletableFuture<LocalRedis> b = CompletableFuture.supplyAsync(() -> LocalRedis.start(tmp.resolve("b")));
        try (LocalRedis ra = a.join(); LocalRedis rb = b.join()) {
            assertNotEquals(ra.port(), rb.port());
            assertTrue(ra.isAlive() && rb.isAlive());
        }
    }

    @Test
    void extraArgsOverrideDefaults() {
        try (LocalRedis redis = LocalRedis.start(tmp, 0, List.of("--appendfsync", "always"))) {
            withConnection(redis, c -> assertEquals(
                    Map.of("appendfsync", "always"), c.sync().configGet("appendfsync")));
        }
    }

    @Test
    void givenPortAlreadyServedByAnotherRedisFails() throws IOException {
        try (LocalRedis owner = LocalRedis.start(tmp.resolve("owner"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalRedis.start(tmp.resolve("intruder"), owner.port()));
            assertTrue(e.getMessage().contains("port " + owner.port()), e.getMessage());
            assertEquals("+PONG", ping(owner.port()));
        }
    }

    @Test
    void embeddedBinaryFromJarRuns() throws IOException {
        try (LocalRedis redis = LocalRedis.start(LocalRedis.embeddedBinary(), tmp, 0, List.of())) {
            assertEquals("+PONG", ping(redis.port()));
        }
    }

    private static void withConnection(LocalRedis redis,
                                       Consumer<StatefulRedisConnection<String, String>> body) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            body.accept(connection);
        } finally {
            client.shutdown();
        }
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        }
    }
}
