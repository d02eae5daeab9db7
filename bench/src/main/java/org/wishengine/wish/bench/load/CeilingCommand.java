package org.wishengine.wish.bench.load;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ceiling}: runs the {@link CeilingServer} until the process is stopped (Ctrl-C). */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = "Serve a constant 201 claim-like answer to every request, with the engine's Netty pipeline shape.")
public final class CeilingCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8081", description = "port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "event loops, 0 = one per core like the engine (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Override
    public Integer call() throws Exception {
        CeilingServer server = new CeilingServer(ioThreads);
        int bound = server.start(host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ceiling-shutdown"));
        System.out.println("Ceiling server (" + CeilingServer.transport() + ", " + CeilingServer.BODY.length
                + "-byte 201 body) listening on http://" + host + ":" + bound + "/ ; Ctrl-C to stop");
        stopped.await();
        return 0;
    }
}
