package org.wishengine.wish.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wish-load.jar attribute --intervals latency.csv --safepoints safepoint.log}: sets a
 * server's stop-the-world pauses beside the latency the load generator measured in the same run
 * ({@link TailAttribution}), so that a tail is attributed before anything is changed for it.
 */
@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = "Set a server's pauses (its -Xlog:safepoint:file=F:utctime log) beside a run's latency "
                + "per interval (grab --interval 1s --interval-csv F).")
final class AttributeCommand implements Callable<Integer> {

    @Option(names = "--intervals", required = true, paramLabel = "CSV", description = "grab's --interval-csv of the run")
    Path intervals;

    @Option(names = "--safepoints", required = true, paramLabel = "LOG",
            description = "the server's safepoint log: -Xlog:safepoint:file=LOG:utctime")
    Path safepoints;

    @Option(names = "--over", defaultValue = "10", paramLabel = "MS",
            description = "an interval is slow when its slowest answer took longer (default ${DEFAULT-VALUE} ms)")
    double overMillis;

    @Override
    public Integer call() throws Exception {
        TailAttribution attribution = TailAttribution.of(TailAttribution.measured(Files.readAllLines(intervals)),
                SafepointLog.read(safepoints), overMillis);
        System.out.print(attribution.describe());
        return 0;
    }
}
