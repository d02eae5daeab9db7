package org.wishengine.wish.tools;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code redis}: sends one command to one Redis node and prints its reply as {@code redis-cli} does
 * when its output is not a terminal (see {@link RawReply}); an error reply goes to stderr and the
 * exit status is 1. With {@code -c} a {@code MOVED} reply is followed once, to the node it names.
 * A stand-in for {@code redis-cli} where none is installed: {@code engine/scripts/cluster.sh} uses it.
 */
@Command(name = "redis", description = "Send one command to one Redis node and print the reply as redis-cli does, "
        + "e.g. redis -p 7000 cluster info.")
public final class RedisCommand implements Callable<Integer> {

    // -h is the host here, as in redis-cli, so help is --help only.
    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "-h", defaultValue = "127.0.0.1", description = "host (default 127.0.0.1)")
    String host;

    @Option(names = "-p", defaultValue = "6379", description = "port (default 6379)")
    int port;

    @Option(names = "-c", description = "cluster mode: follow a MOVED reply once")
    boolean followMoved;

    @Parameters(arity = "1..*", paramLabel = "WORD", description = "the command and its arguments")
    List<String> words;

    @Override
    public Integer call() {
        RawCommand command = new RawCommand(words);
        NodeAddress node = new NodeAddress(host, port);
        try (ToolRedis redis = new ToolRedis()) {
            RawReply reply = send(redis, node, command);
            NodeAddress moved = reply.movedTo();
            if (followMoved && moved != null) {
                node = moved;
                reply = send(redis, node, command);
            }
            if (reply.failed()) {
                System.err.println(reply.error());
                return 1;
            }
            reply.lines().forEach(System.out::println);
            return 0;
        } catch (RedisException e) {
            // SHUTDOWN succeeds by closing the connection without a reply, as redis-cli knows too.
            if (command.name().equals("SHUTDOWN") && !(e instanceof io.lettuce.core.RedisConnectionException)) {
                return 0;
            }
            System.err.println("Could not talk to Redis at " + node + ": " + e.getMessage());
            return 1;
        }
    }

    private static RawReply send(ToolRedis redis, NodeAddress node, RawCommand command) {
        try (StatefulRedisConnection<String, String> connection = redis.connect(node)) {
            return command.sendOn(connection);
        }
    }
}
