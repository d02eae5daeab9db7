package org.wishengine.wish.tools;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Any Redis command given as words, the way {@code redis-cli host port WORDS...} sends it: the
 * first word is the command, the others its arguments, each sent as one bulk string.
 */
final class RawCommand {

    private final List<String> words;

    RawCommand(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        this.words = List.copyOf(words);
    }

    String name() {
        return words.get(0).toUpperCase(Locale.ROOT);
    }

    /**
     * Sends the command and waits for its reply; an error reply comes back as a {@link RawReply}
     * error, a connection that fails or a reply that does not come in time as an exception.
     */
    RawReply sendOn(StatefulRedisConnection<String, String> connection) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        words.subList(1, words.size()).forEach(args::add);
        try {
            return RawReply.of(connection.sync().dispatch(keyword(name()), new NestedMultiOutput<>(StringCodec.UTF8), args));
        } catch (RedisCommandExecutionException e) {
            return RawReply.error(e.getMessage());
        }
    }

    private static ProtocolKeyword keyword(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
