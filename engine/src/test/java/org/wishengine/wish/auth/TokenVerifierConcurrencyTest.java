package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wishengine.wish.auth.TestJwts.hs256;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenVerifierConcurrencyTest {

    private static final String SECRET = "concurrency-secret";
    private static final long NOW = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    @Test
    void shouldVerifyCorrectlyWhenCalledConcurrently() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, CLOCK);
        TokenMinter minter = new TokenMinter(SECRET, CLOCK);

        // A mix in which each result differs from its neighbours, so any state bleeding between
        // calls on a thread (or between threads) would show up as a wrong user or reason.
        int kinds = 64;
        String[] headers = new String[kinds];
        AuthResult[] expected = new AuthResult[kinds];
        for (int i = 0; i < kinds; i++) {
            String sub = "user-" + i;
            switch (i % 4) {
                case 0 -> {
                    headers[i] = "Bearer " + minter.mint(sub, Duration.ofMinutes(1));
                    expected[i] = AuthResult.verified(sub);
                }
                case 1 -> {
                    headers[i] = "Bearer " + hs256("wrong-secret", "{\"sub\":\"" + sub + "\"}");
                    expected[i] = AuthResult.rejected(AuthFailure.BAD_SIGNATURE);
                }
                case 2 -> {
                    headers[i] = "Bearer " + hs256(SECRET, "{\"sub\":\"" + sub + "\",\"exp\":" + (NOW - 3600) + "}");
                    expected[i] = AuthResult.rejected(AuthFailure.EXPIRED);
                }
                default -> {
                    headers[i] = "Bearer " + hs256(SECRET, "{\"alg\":\"HS256\",\"kid\":\"" + i + "\"}",
                            "{\"sub\":\"" + sub + "\",\"nbf\":" + (NOW - 10) + "}");
                    expected[i] = AuthResult.verified(sub);
                }
            }
        }

        int threads = 4;
        int iterations = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 17;
                futures.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int n = 0; n < iterations; n++) {
                        int k = (n + offset) % kinds;
                        AuthResult actual = verifier.verifyHeader(headers[k]);
                        if (!expected[k].equals(actual)) {
                            throw new AssertionError("token " + k + ": expected " + expected[k] + " got " + actual);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                assertEquals(iterations, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
