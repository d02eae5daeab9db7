package org.wishengine.wish.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wish-load.jar sched --timehist F}: the scheduling delays of the threads on a claim's
 * path and what held their CPU meanwhile ({@link SchedulerDelays}), from {@code perf sched
 * timehist} of a run ({@code bench/scripts/sched-delays.sh} records one).
 */
@Command(name = "sched", mixinStandardHelpOptions = true,
        description = "Scheduling delays of the claim path's threads, and what held their CPU, from perf sched timehist.")
final class SchedulerDelaysCommand implements Callable<Integer> {

    @Option(names = "--timehist", required = true, paramLabel = "FILE", description = "the text of perf sched timehist")
    Path timehist;

    @Option(names = "--threads", split = ",", paramLabel = "PREFIX",
            defaultValue = "wish-io,wish-ring,wish-load,ceiling-io,redis-server",
            description = "name prefixes of the watched threads (default ${DEFAULT-VALUE})")
    List<String> threads;

    @Option(names = "--over", defaultValue = "0.5", paramLabel = "MS",
            description = "a delay this long or longer names what held the CPU (default ${DEFAULT-VALUE} ms)")
    double overMillis;

    @Override
    public Integer call() throws Exception {
        List<SchedulerDelays.Switch> switches = SchedulerDelays.parse(Files.readAllLines(timehist));
        if (switches.isEmpty()) {
            System.err.println("sched: no switches in " + timehist + " (is it the text of perf sched timehist?)");
            return 2;
        }
        System.out.print(SchedulerDelays.of(switches, threads, overMillis).describe());
        return 0;
    }
}
