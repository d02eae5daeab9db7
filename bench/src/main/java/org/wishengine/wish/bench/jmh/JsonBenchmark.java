package org.wishengine.wish.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;
import org.wishengine.wish.store.StoreCodec;

/**
 * JSON encode and decode of one claim with the engine's {@link StoreCodec}: the encoding the
 * start-up fold does for every claim the journal changed (Jackson databind, a record to a compact
 * string) and the decoding recovery does for every claim in the snapshot hash. (Commits no longer
 * write JSON: they append {@code ClaimJournal} lines.)
 *
 * <p>This is the <em>store</em> codec, not the HTTP API's encoder: the API's streaming writer
 * ({@code http.ApiJson}, which renders 201 bodies straight into pooled Netty buffers) is
 * package-private in the engine and cannot be called from here. The store codec is the heavier
 * of the two (databind and a {@code String} per claim); this is not a measurement of the reply path.
 *
 * <p>Leaves out: Netty buffers, the HTTP codec, and the Redis round trip the encoded claim goes
 * into.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class JsonBenchmark {

    StoreCodec codec;
    Claim claim;
    String json;

    @Setup
    public void prepare() throws JsonProcessingException {
        codec = new StoreCodec();
        claim = new Claim("cl-1234567", "w-0042", "c-2026-12", "user-98765", ClaimStatus.CLAIMED,
                1_796_090_400_123L, 0, 0, 0, 0, 0, null);
        json = codec.write(claim);
        if (!codec.readClaim(json).equals(claim)) {
            throw new IllegalStateException("the codec does not round-trip " + json);
        }
    }

    /** Claim record to its stored JSON string. */
    @Benchmark
    public String encodeClaim() {
        return codec.write(claim);
    }

    /** Stored JSON string back to a claim record. */
    @Benchmark
    public Claim decodeClaim() throws JsonProcessingException {
        return codec.readClaim(json);
    }
}
