package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's curl session works as written, and again on the same engine and data: it is taken
 * from README.md itself ({@link ReadmeSession}) and run twice with {@code bash -euo pipefail} in a
 * directory laid out like a checkout ({@code engine/target/wish-engine.jar}, {@code ./data}), against
 * one engine started the README's way, without secrets, so that it generates them into
 * {@code ./data/secrets.properties} where the session reads them.
 */
@Timeout(240)
class ReadmeSessionIT {

    /** Two JVM starts for the tokens and a dozen curls, on a busy 2-core machine. */
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(90);
    /** The session's first answer: the campaign it published. */
    private static final Pattern CAMPAIGN = Pattern.compile("\\A\\{\"id\":\"([^\"]+)\"");
    private static final Pattern CLAIM_LOCATION = Pattern.compile("(?im)^location: /api/claims/(cl-\\d+)\\r?$");

    @TempDir
    Path tmp;

    private EngineProcesses engines;
    private Path jarLink;

    @AfterEach
    void stopEngines() throws IOException {
        if (engines != null) {
            engines.killAll();
        }
        if (jarLink != null) {
            Files.deleteIfExists(jarLink); // before @TempDir cleanup, which warns about links leading out of it
        }
    }

    @Test
    void shouldRunTheReadmeSessionTwiceAgainstOneEngine() throws Exception {
        ReadmeSession session = ReadmeSession.from(ReadmeSession.readme());
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        Files.createDirectories(checkout.resolve("engine/target"));
        jarLink = Files.createSymbolicLink(checkout.resolve("engine/target/wish-engine.jar"), EngineJar.path().toAbsolutePath());
        engines = new EngineProcesses(tmp, null, null);
        EngineProcess engine = engines.start(checkout.resolve("data"));
        String script = session.against(engine.port);

        Story first = run(script, checkout, "first");
        // The session derives its ids from the clock's second (date +%s): a newcomer never runs it
        // twice within one, but this test might, so the second run starts in a later second.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Instant.now().getEpochSecond() <= first.endSecond() && System.nanoTime() < deadline) {
            Thread.sleep(20); // poll the clock
        }
        Story second = run(script, checkout, "second");

        assertNotEquals(first.campaign(), second.campaign());
        assertNotEquals(first.claim(), second.claim());
        // Alice now holds two claims; the session still fulfilled and confirmed the new one.
        assertTrue(second.output().contains("\"id\":\"" + first.claim() + "\""),
                () -> "Alice's claims of the second run do not list the first run's " + first.claim() + ":\n" + second.output());
    }

    /** What one run of the session showed: its campaign, the second it ended in, the claim Alice got, and the whole output. */
    private record Story(String campaign, long endSecond, String claim, String output) {
    }

    private Story run(String script, Path checkout, String which) throws Exception {
        Path file = tmp.resolve(which + "-session.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Path outputFile = tmp.resolve(which + "-session.out");
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", file.toString())
                .directory(checkout.toFile())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        Map<String, String> env = builder.environment();
        // The session's `java -jar ... token` must find this JVM and read ./data, whatever the caller's shell set.
        env.keySet().removeIf(name -> name.startsWith("WISH_"));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Process bash = builder.start();
        if (!bash.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            fail("the " + which + " run of the README session did not end within " + RUN_DEADLINE + "; output:\n" + read(outputFile));
        }
        long endSecond = Instant.now().getEpochSecond();
        String out = read(outputFile);
        String context = "the " + which + " run of the README session; output:\n" + out;
        assertEquals(0, bash.exitValue(), context);

        Matcher campaign = CAMPAIGN.matcher(out);
        assertTrue(campaign.find(), "the first answer is not a published campaign in " + context);
        Matcher location = CLAIM_LOCATION.matcher(out);
        assertTrue(out.contains("HTTP/1.1 201 Created") && location.find(), "Alice's claim was not a 201 with a location in " + context);
        String claim = location.group(1);
        assertTrue(out.contains("\"error\":\"sold_out\""), "Bob was not refused sold_out in " + context);
        assertTrue(out.contains("\"rating\":5"), "no confirmation with the rating in " + context);
        assertTrue(Pattern.compile("\"satisfaction\":1(\\.0)?[,}]").matcher(out).find(), "no satisfaction of 1.0 in " + context);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(claim + "," + campaign.group(1) + ",")
                        + "[^,]+,alice,confirmed,.*,5,She listens every morning\\r?$").matcher(out).find(),
                "the CSV does not show " + claim + " confirmed with its rating in " + context);
        assertTrue(out.contains("retry: 2000"), "the event stream did not answer in " + context);
        return new Story(campaign.group(1), endSecond, claim, out);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
    }
}
