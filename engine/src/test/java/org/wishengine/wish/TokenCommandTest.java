package org.wishengine.wish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.auth.AuthFailure;
import org.wishengine.wish.auth.AuthResult;
import org.wishengine.wish.auth.TokenVerifier;
import picocli.CommandLine;

/** The {@code token} subcommand: user tokens as before, organiser tokens with {@code --role organiser}. */
class TokenCommandTest {

    private static final String SECRET = "token-command-test-secret";

    /** What one run of the command gave. */
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WishServer.TokenCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--token-secret";
        all[1] = SECRET;
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = cli.execute(all);
        return new Run(exit, out.toString().trim(), err.toString());
    }

    private static AuthResult verifyAt(String token, Duration fromNow) {
        Clock clock = Clock.fixed(Instant.now().plus(fromNow), ZoneOffset.UTC);
        return new TokenVerifier(SECRET, clock).verifyToken(token);
    }

    @Test
    void shouldMintAnOrganiserTokenThatLastsThirtyDaysByDefault() {
        Run run = run("--org", "town-zhujing", "--role", "organiser");
        assertEquals(0, run.exit(), run.toString());
        AuthResult now = verifyAt(run.out(), Duration.ZERO);
        assertTrue(now.isOrganiser(), now.toString());
        assertEquals("town-zhujing", now.org());
        assertTrue(run.err().contains("jti " + now.jti()), run.err());
        assertTrue(verifyAt(run.out(), Duration.ofDays(30).minusMinutes(5)).isOrganiser());
        assertEquals(AuthFailure.EXPIRED, verifyAt(run.out(), Duration.ofDays(30).plusMinutes(5)).failure());
    }

    @Test
    void shouldHonourAnOrganiserTtl() {
        Run run = run("--role", "organiser", "--org", "town-zhujing", "--ttl", "12h");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(verifyAt(run.out(), Duration.ofHours(11)).isOrganiser());
        assertEquals(AuthFailure.EXPIRED, verifyAt(run.out(), Duration.ofHours(13)).failure());
    }

    @Test
    void shouldKeepMintingUserTokensWithSub() {
        Run plain = run("--sub", "alice");
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals("alice", verifyAt(plain.out(), Duration.ofDays(3650)).userId());

        Run explicit = run("--role", "user", "--sub", "bob", "--ttl", "3600s");
        assertEquals(0, explicit.exit(), explicit.toString());
        assertEquals("bob", verifyAt(explicit.out(), Duration.ofMinutes(59)).userId());
        assertEquals(AuthFailure.EXPIRED, verifyAt(explicit.out(), Duration.ofMinutes(61)).failure());
        assertEquals(0, run("--sub", "carol", "--ttl", "PT24H").exit());
    }

    @Test
    void shouldRefuseFlagsThatDoNotMakeAToken() {
        String[][] bad = {
                {"--role", "organiser"},
                {"--role", "organiser", "--org", "town.zhujing"},
                {"--role", "organiser", "--org", "朱泾镇"},
                {"--role", "organiser", "--org", "town-zhujing", "--sub", "alice"},
                {"--role", "organiser", "--org", "town-zhujing", "--ttl", "0s"},
                {"--role", "organiser", "--org", "town-zhujing", "--ttl", "soon"},
                {"--role", "admin", "--org", "town-zhujing"},
                {"--org", "town-zhujing"},
                {},
                {"--sub", "a b"},
        };
        for (String[] args : bad) {
            Run run = run(args);
            assertEquals(2, run.exit(), String.join(" ", args) + " -> " + run);
            assertEquals("", run.out(), String.join(" ", args));
            assertTrue(!run.err().isBlank(), String.join(" ", args));
        }
    }
}
