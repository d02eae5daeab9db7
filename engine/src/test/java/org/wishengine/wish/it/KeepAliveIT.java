package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection persistence as HTTP/1.1 and 1.0 define it, for answers decided on the event loop
 * (a 404, readiness) and for answers that come back from the ring (a read, a claim): HTTP/1.1
 * stays open unless the request says {@code Connection: close}; HTTP/1.0 closes unless it says
 * {@code keep-alive}. A closing answer says {@code connection: close} and the engine then ends
 * the connection.
 */
@Timeout(30)
class KeepAliveIT {

    @TempDir
    Path tmp;

    @Test
    void shouldCloseAfterAnsweringARequestThatAsksForItOnEveryPath() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            GrabSupport.createCampaign(harness, GrabSupport.campaignBody("ka", 1, "ka-w", List.of(5)));
            String token = harness.userToken("ka-user");
            List<String> requests = List.of(
                    "GET /no/such/route HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    "GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    "GET /api/wishes/ka-w1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    "POST /api/wishes/ka-w1/claims HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    "GET /api/wishes/ka-w1 HTTP/1.0\r\n\r\n");
            List<Integer> statuses = List.of(404, 200, 200, 201, 200);
            for (int i = 0; i < requests.size(); i++) {
                try (WireConnection connection = new WireConnection(harness.engine().port(), 10_000)) {
                    connection.send(requests.get(i));
                    WireConnection.Response answer = connection.read();
                    assertEquals(statuses.get(i), answer.status(), answer::toString);
                    assertEquals("close", answer.header("connection"), answer::toString);
                    assertNull(connection.readOrNull(), "the engine must end the connection after " + requests.get(i));
                }
            }
        }
    }

    @Test
    void shouldKeepConnectionsOpenByDefaultAndWhenAHttp10ClientAsks() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            GrabSupport.createCampaign(harness, GrabSupport.campaignBody("kb", 1, "kb-w", List.of(5)));
            String token = harness.userToken("kb-user");
            try (WireConnection connection = new WireConnection(harness.engine().port(), 10_000)) {
                connection.send(WireConnection.get("/no/such/route", null));
                assertEquals(404, connection.read().status());
                connection.send(WireConnection.claim("kb-w1", token));
                WireConnection.Response claimed = connection.read();
                assertEquals(201, claimed.status(), claimed::toString);
                assertNull(claimed.header("connection"), claimed::toString);
                connection.send("GET /api/wishes/kb-w1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                WireConnection.Response read = connection.read();
                assertEquals(200, read.status(), read::toString);
                assertEquals("keep-alive", read.header("connection"), read::toString);
                connection.send(WireConnection.get("/api/wishes/kb-w1", null));
                assertEquals(200, connection.read().status());
            }
        }
    }
}
