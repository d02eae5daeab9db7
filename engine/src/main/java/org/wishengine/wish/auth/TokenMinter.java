package org.wishengine.wish.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Issues HS256 JWTs that {@link TokenVerifier} configured with the same secret accepts.
 *
 * <p>Header is always {@code {"alg":"HS256","typ":"JWT"}}; payload is
 * {@code {"sub":...,"iat":...}} plus {@code "exp"} when a TTL is given, all times in whole epoch
 * seconds from the injected {@link Clock}. Subjects are validated with the verifier's rule, so a
 * minted token is never rejected as malformed. Organiser tokens ({@link #mintOrganiser}) carry
 * {@code "role":"organiser"}, their {@code org} (also as {@code sub}), a random {@code jti} and
 * always an {@code exp}. Thread-safe (per-thread {@link Mac}) and allocation-light, because the
 * load generator mints in bulk.
 */
public final class TokenMinter {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** 128 random bits per token id: collisions are out of reach, so a revocation names one token. */
    private static final int JTI_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

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
        return mint(sub, true, ttlSeconds(ttl));
    }

    /**
     * An organiser token for {@code org} expiring {@code ttl} from now, with a fresh random
     * {@code jti}: {@code {"sub":org,"role":"organiser","org":org,"jti":..,"iat":..,"exp":..}}.
     * There is no variant without expiry: a leaked organiser token must end on its own.
     *
     * @throws IllegalArgumentException if {@code org} is not 1..64 chars of {@code [A-Za-z0-9_-]}
     *     or {@code ttl} is not positive
     */
    public OrganiserToken mintOrganiser(String org, Duration ttl) {
        if (!Hs256.isValidId(org)) {
            throw new IllegalArgumentException("org must be 1.." + Hs256.MAX_SUBJECT_LENGTH + " chars of [A-Za-z0-9_-]");
        }
        long ttlSeconds = ttlSeconds(ttl);
        byte[] random = new byte[JTI_BYTES];
        RANDOM.nextBytes(random);
        String jti = B64.encodeToString(random); // base64url is within the id alphabet
        long iat = Math.floorDiv(clock.millis(), 1000L);
        long exp = Math.addExact(iat, ttlSeconds);
        // org and jti need no JSON escaping (checked alphabet), so concatenation is safe.
        String json = "{\"sub\":\"" + org + "\",\"role\":\"organiser\",\"org\":\"" + org + "\",\"jti\":\"" + jti
                + "\",\"iat\":" + iat + ",\"exp\":" + exp + '}';
        return new OrganiserToken(sign(json), org, jti, Instant.ofEpochSecond(exp));
    }

    private static long ttlSeconds(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        return ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
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
        return sign(json.toString());
    }

    private String sign(String payloadJson) {
        String payload = B64.encodeToString(payloadJson.getBytes(StandardCharsets.US_ASCII));
        String signingInput = Hs256.CANONICAL_HEADER_B64 + '.' + payload;
        byte[] sig = mac.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + '.' + B64.encodeToString(sig);
    }
}
