package org.wishengine.wish.tools;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wishengine.wish.store.LocalRedis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code redis-server-path}: prints the {@code redis-server} the engine would run for its own
 * Redis (the {@code WISH_REDIS_SERVER} override, the one on the {@code PATH}, else the binary
 * shipped in the jar, extracted into {@code --dir} and kept there), so that a script without
 * Debian's Redis can start servers of its own with it.
 */
@Command(name = "redis-server-path", mixinStandardHelpOptions = true,
        description = "Print the path of the redis-server the engine runs: the one on the PATH, else the jar's "
                + "embedded binary, extracted into --dir.")
public final class RedisServerPathCommand implements Callable<Integer> {

    @Option(names = "--dir", defaultValue = "${env:WISH_DATA_DIR:-./data}",
            description = "where the embedded binary is extracted when it is the one (default ./data)")
    Path dir;

    @Override
    public Integer call() {
        try {
            System.out.println(LocalRedis.serverBinaryKeptIn(dir));
            return 0;
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
