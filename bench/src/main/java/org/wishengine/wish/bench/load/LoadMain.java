package org.wishengine.wish.bench.load;

import org.wishengine.wish.bench.recovery.RecoveryCommand;
import org.wishengine.wish.http.LeakSampling;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar wish-load.jar grab ...} drives a flash-grab against a running engine;
 * {@code java -jar wish-load.jar ceiling ...} starts the ceiling server; {@code grab --ceiling}
 * drives the ceiling with the identical request mix.
 */
@Command(name = "wish-load", mixinStandardHelpOptions = true, version = "wish-load 0.1",
        description = "Flash-grab load generator and ceiling server for the wish engine.",
        subcommands = {GrabCommand.class, CeilingCommand.class, RecoveryCommand.class, FairStartCommand.class,
            AttributeCommand.class, SchedulerDelaysCommand.class, HeapPerClaimCommand.class})
public final class LoadMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LeakSampling.offUnlessConfigured(); // for the ceiling and the client alike, as in the engine
        System.exit(new CommandLine(new LoadMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
