package org.wishengine.wish.bench.jmh;

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
import org.wishengine.wish.auth.AuthResult;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.auth.TokenVerifier;

/**
 * User-token checks per second on one thread: {@link TokenVerifier#verifyHeader} of a valid
 * {@code Authorization: Bearer <HS256 JWT>} header, the work every claim request costs an event
 * loop before it reaches the ring (header parsing, base64url, HMAC-SHA256, payload parsing).
 * {@link #verifyBadSignature} is the cost of refusing a forged token (HMAC computed, compared,
 * rejected), and {@link #mint} the cost of issuing one (what the load generator pre-mints).
 *
 * <p>Leaves out: reading the header from the HTTP request, and the admin-token comparison of
 * organiser routes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class TokenBenchmark {

    private static final String SECRET = "bench-user-token-secret-0123456789abcdef";

    TokenVerifier verifier;
    TokenMinter minter;
    String validHeader;
    String forgedHeader;

    @Setup
    public void prepare() {
        verifier = new TokenVerifier(SECRET);
        minter = new TokenMinter(SECRET);
        validHeader = "Bearer " + minter.mint("user-98765");
        forgedHeader = "Bearer " + new TokenMinter("some-other-secret-0123456789abcdef").mint("user-98765");
        if (!verifier.verifyHeader(validHeader).isValid() || verifier.verifyHeader(forgedHeader).isValid()) {
            throw new IllegalStateException("the verifier does not behave as expected");
        }
    }

    @Benchmark
    public AuthResult verifyValid() {
        return verifier.verifyHeader(validHeader);
    }

    @Benchmark
    public AuthResult verifyBadSignature() {
        return verifier.verifyHeader(forgedHeader);
    }

    @Benchmark
    public String mint() {
        return minter.mint("user-98765");
    }
}
