package org.wishengine.wish.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Issues HS256 JWTs that {@link TokenVerifier} configured with the same secret accepts.
 *
 * <p>Header is always {@code {"alg":"HS256","typ":"JWT"}}; payload is
 * {@code {"sub":...,"iat":...}} plus {@code "exp"} when a TTL is given, all times in whole epoch
 * seconds from the injected {@link Clock}. Subjects are validated with the verifier's rule, so a
 * minted token is never rejected as malformed. Thread-safe (per-thread {@link Mac}) and
 * allocation-light, because the load generator mints in bulk.
 */
public final class TokenMinter {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock;
    private final ThreadLocal<Mac> mac;

    /** Minter stamping times from the system UTC clock. */
    public TokenMinter(String secret) {
        this(secret, Clock.systemUTC());
    }

    /**
     * @param secret HMAC key as a string (its UTF-8 bytes are the key); must not be empty
     * @param clock source of {@code iat}/{@code exp}
     */
    public TokenMinter(String secret, Clock clock) {
        var key = Hs256.key(secret);
        this.clock = Objects.requireNonNull(clock, "clock");
        Hs256.newMac(key);
        this.mac = ThreadLocal.withInitial(() -> Hs256.newMac(key));
    }

    /**
     * A token for {@code sub} without {@code exp}: valid until the secret is rotated.
     *
     * @throws IllegalArgumentException if {@code sub} is not 1..64 chars of {@code [A-Za-z0-9_.@-]}
     */
    public String mint(String sub) {
        return mint(sub, false, 0);
    }

    /**
     * A token for {@code sub} expiring {@code ttl} from now ({@code exp = iat + ttl}, rounded up
     * to whole seconds so a sub-second TTL still yields a token that is valid for a moment).
     *
     * @throws IllegalArgumentException if {@code sub} is invalid or {@code ttl} is not positive
     */
    public String mint(String sub, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        long ttlSeconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        return mint(sub, true, ttlSeconds);
    }

    private String mint(String sub, boolean withExp, long ttlSeconds) {
        if (!Hs256.isValidSubject(sub)) {
            throw new IllegalArgumentException("sub must be 1.." + Hs256.MAX_SUBJECT_LENGTH
                    + " chars of [A-Za-z0-9_.@-]");
        }
        long iat = Math.floorDiv(clock.millis(), 1000L);
        // sub's alphabet needs no JSON escaping, which is what makes plain concatenation safe.
        StringBuilder json = new StringBuilder(48 + sub.length())
                .append("{\"sub\":\"").append(sub).append("\",\"iat\":").append(iat);
        if (withExp) {
            json.append(",\"exp\":").append(Math.addExact(iat, ttlSeconds));
        }
        json.append('}');
        String payload = B64.encodeToString(json.toString().getBytes(StandardCharsets.US_ASCII));

        String signingInput = Hs256.CANONICAL_HEADER_B64 + '.' + payload;
        byte[] sig = mac.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + '.' + B64.encodeToString(sig);
    }
}
