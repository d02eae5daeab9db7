package org.wishengine.wish.bench.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke of {@code bench/scripts/sched-delays.sh} on the ceiling: a second of scheduler switches
 * recorded under a light open loop must give a delay row for each of the ceiling's event loops and
 * for the load generator's. Runs only where perf may trace the scheduler (root with linux-perf
 * installed); elsewhere it is skipped, as the script would refuse.
 */
class SchedDelaysScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("wish.bench.root", "..")).toAbsolutePath().normalize();

    @Test
    @Timeout(90)
    void shouldReportTheDelaysOfTheCeilingsLoopsAndTheLoadGenerator(@TempDir Path out) throws Exception {
        assumeTrue(perfMayTraceTheScheduler(out), "perf cannot trace the scheduler here (not installed, or not root)");
        assumeTrue(Files.isRegularFile(ROOT.resolve("bench/target/wish-load.jar"))
                        && Files.isRegularFile(ROOT.resolve("engine/target/wish-engine.jar")),
                "the shaded jars are missing: run `mvn -B -q -DskipTests package` first");
        Path log = out.resolve("script.log");
        ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("bench/scripts/sched-delays.sh").toString(),
                "--server", "ceiling", "--rate", "1000", "--seconds", "1")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("WARMUP", "2s");
        env.put("OUT", out.resolve("run").toString());
        Process script = builder.start();
        boolean ended = script.waitFor(75, TimeUnit.SECONDS);
        if (!ended) {
            script.destroy();
            script.waitFor(15, TimeUnit.SECONDS);
        }
        String console = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the script did not end within 75 s:\n" + console);
        assertEquals(0, script.exitValue(), console);
        assertTrue(console.contains("scheduling delay (woken until running)"), console);
        assertTrue(console.lines().anyMatch(line -> line.trim().startsWith("ceiling-io-")), console);
        assertTrue(console.lines().anyMatch(line -> line.trim().startsWith("wish-load-")), console);
        assertTrue(console.contains("delays of 0.5 ms or more: "), console);
        assertTrue(Files.size(out.resolve("run/timehist.txt")) > 0);
    }

    private static boolean perfMayTraceTheScheduler(Path dir) throws Exception {
        try {
            Process probe = new ProcessBuilder("perf", "sched", "record", "-o", dir.resolve("probe.data").toString(),
                    "--", "true").redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
            return probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false; // perf is not installed
        }
    }
}
