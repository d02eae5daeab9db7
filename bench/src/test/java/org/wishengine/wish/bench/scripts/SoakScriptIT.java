package org.wishengine.wish.bench.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke of {@code bench/scripts/soak.sh}: a few seconds of soak at 500 claims/s with claims
 * that live one second, which must leave {@code soak.csv} with samples, {@code soak.md} with a
 * per-minute row and its verdict, and an invariant check that held over the whole ledger with
 * expired claims in it. Runs the shaded jars, so it is an integration test (after {@code package}).
 */
class SoakScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("wish.bench.root", "..")).toAbsolutePath().normalize();

    @Test
    @Timeout(90)
    void shouldWriteSamplesATablePerMinuteAndAVerdict(@TempDir Path out) throws Exception {
        assumeTrue(onPath("redis-server") && onPath("redis-cli"),
                "redis-server and redis-cli are not on the PATH: the soak runs the engine on its own Redis");
        assumeTrue(Files.isRegularFile(ROOT.resolve("engine/target/wish-engine.jar"))
                        && Files.isRegularFile(ROOT.resolve("bench/target/wish-load.jar")),
                "the shaded jars are missing: run `mvn -B -q -DskipTests package` first");
        Path log = out.resolve("script.log");
        Process soak = new ProcessBuilder("bash", ROOT.resolve("bench/scripts/soak.sh").toString(),
                "--seconds", "8", "--rate", "500", "--warmup", "2", "--claim-life", "1", "--sample", "2",
                "--out", out.resolve("soak").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = soak.waitFor(75, TimeUnit.SECONDS);
        if (!ended) {
            soak.destroy(); // the script's trap stops the engine and the load generator it started
            soak.waitFor(15, TimeUnit.SECONDS);
        }
        String console = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the smoke did not end within 75 s:\n" + console);
        assertEquals(0, soak.exitValue(), console);

        List<String> samples = Files.readAllLines(out.resolve("soak/soak.csv"));
        assertTrue(samples.get(0).startsWith("t_s,phase,heap_after_gc_mb,"), samples.get(0));
        assertTrue(samples.stream().filter(row -> row.contains(",measured,")).count() >= 2, String.join("\n", samples));
        String lastSample = samples.get(samples.size() - 1);
        int expired = List.of(samples.get(0).split(",")).indexOf("claims_expired");
        assertTrue(Long.parseLong(lastSample.split(",", -1)[expired]) > 0, "no claim expired: " + lastSample);

        String report = Files.readString(out.resolve("soak/soak.md"));
        assertTrue(report.contains("\n| 1 | "), "no row for the first minute:\n" + report);
        assertTrue(report.contains("invariants: OK"), report);
        assertTrue(report.contains("## Stalls") && report.lines().anyMatch(line -> line.startsWith("pauses: ")),
                "the engine's pauses were not set beside the latency:\n" + report);
        assertTrue(report.lines().anyMatch(line -> line.startsWith("Verdict: ")
                && line.contains("invariants hold") && line.contains("claims expired")), report);
        assertTrue(Files.readString(out.resolve("soak/soak.svg")).contains("<polyline"));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
