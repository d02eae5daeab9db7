package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.tools.DemoCommand;
import picocli.CommandLine;

/**
 * The {@code demo} command against a real engine on a real Redis: it builds the district's tree and
 * campaigns through the public API, the statistics show all 14 towns with units, a second run is
 * refused (exit 1) without touching anything, {@code --force-new} builds a second district beside
 * the first, and an engine nobody listens on is exit 2.
 */
@Timeout(120)
class DemoDistrictIT {

    @TempDir
    Path tmp;

    /** What one run of the command gave. */
    private record Run(int exit, String out, String err) {
    }

    @Test
    void shouldBuildTheDistrictOnceAndRefuseASecondRun() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            String url = "http://127.0.0.1:" + harness.engine().port();

            Run first = demo("--url", url, "--admin-token", EngineHarness.ADMIN_TOKEN, "--wishes", "300", "--seed", "5");
            assertEquals(0, first.exit(), first.toString());
            assertTrue(first.out().contains("14 towns, 245 communities"), first.out());

            JsonNode orgs = json(harness.get("/api/orgs", null)).get("orgs");
            assertTrue(orgs.size() >= 260, "orgs: " + orgs.size());
            JsonNode district = json(harness.get("/api/stats?org=district", null));
            assertEquals(300, district.get("wishes").asInt(), district.toString());
            assertEquals(14, district.get("children").size(), district.toString());
            for (JsonNode town : district.get("children")) {
                assertTrue(town.get("units").asInt() > 0, "every town has units: " + town);
            }
            JsonNode campaigns = json(harness.get("/api/campaigns", null)).get("campaigns");
            assertEquals(56, campaigns.size());
            long fairStarts = 0;
            for (JsonNode campaign : campaigns) {
                fairStarts += campaign.has("fairStart") ? 1 : 0;
            }
            assertEquals(1, fairStarts, "one fair-start campaign");
            JsonNode wall = json(harness.get("/api/wishes?org=town-zhujing&limit=5", null)).get("wishes");
            assertTrue(wall.size() > 0 && wall.get(0).get("location").asText().startsWith("朱泾镇/"), wall.toString());

            Run again = demo("--url", url, "--admin-token", EngineHarness.ADMIN_TOKEN, "--wishes", "300");
            assertEquals(1, again.exit(), again.toString());
            assertTrue(again.err().contains("--force-new"), again.err());
            assertEquals(56, json(harness.get("/api/campaigns", null)).get("campaigns").size(), "nothing was added");

            Run beside = demo("--url", url, "--admin-token", EngineHarness.ADMIN_TOKEN, "--wishes", "100", "--force-new");
            assertEquals(0, beside.exit(), beside.toString());
            assertEquals(100, json(harness.get("/api/stats?org=district-2", null)).get("wishes").asInt());
            assertEquals(300, json(harness.get("/api/stats?org=district", null)).get("wishes").asInt());

            Run wrongToken = demo("--url", url, "--admin-token", "not-the-token", "--force-new");
            assertEquals(2, wrongToken.exit(), wrongToken.toString());
            assertTrue(wrongToken.err().contains("401"), wrongToken.err());
        }
        // The engine is gone: its port refuses.
        Run unreachable = demo("--url", "http://127.0.0.1:1", "--admin-token", "x");
        assertEquals(2, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("cannot reach the engine at http://127.0.0.1:1"), unreachable.err());
    }

    private static Run demo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new DemoCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
