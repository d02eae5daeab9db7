package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell session of README.md's section "A whole flash-grab with curl", as the README has it: the
 * first fenced {@code sh} or {@code bash} block after that heading (and before the next {@code ## }
 * heading). The rule is repeated in an HTML comment above the block, so that whoever edits the
 * README knows the block is run.
 */
final class ReadmeSession {

    static final String HEADING = "## A whole flash-grab with curl";
    private static final Pattern OPENING_FENCE = Pattern.compile("```(sh|bash)\\s*");
    private static final String CLOSING_FENCE = "```";
    /** Where the README's newcomer finds the engine. */
    private static final String README_ADDRESS = "localhost:8080";

    private final String script;

    private ReadmeSession(String script) {
        this.script = script;
    }

    /** The README of the repository, which the tests run from the module directory {@code engine/}. */
    static Path readme() {
        Path readme = Path.of(System.getProperty("user.dir"), "..", "README.md").normalize();
        assertTrue(Files.isRegularFile(readme), "README.md not found at " + readme
                + " (the test expects to run in the engine module's directory, below the repository root)");
        return readme;
    }

    static ReadmeSession from(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int heading = lines.indexOf(HEADING);
        if (heading < 0) {
            fail(readme + " has no line \"" + HEADING + "\"");
        }
        for (int i = heading + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                break;
            }
            if (OPENING_FENCE.matcher(line).matches()) {
                int end = lines.subList(i + 1, lines.size()).indexOf(CLOSING_FENCE);
                if (end < 0) {
                    fail("the ```" + line + " block after \"" + HEADING + "\" in " + readme + " is never closed");
                }
                return new ReadmeSession(String.join("\n", lines.subList(i + 1, i + 1 + end)) + "\n");
            }
        }
        throw new AssertionError("no ```sh or ```bash block in the section \"" + HEADING + "\" of " + readme);
    }

    /**
     * The session aimed at {@code port} instead of 8080, and with the endless event stream cut off
     * after a second: {@code curl --max-time} ends with status 28, which is how that line is
     * expected to end.
     */
    String against(int port) {
        assertTrue(script.contains(README_ADDRESS), () -> "the session does not talk to " + README_ADDRESS + ":\n" + script);
        StringBuilder adapted = new StringBuilder();
        for (String line : script.split("\n")) {
            line = line.replace(README_ADDRESS, "127.0.0.1:" + port);
            if (line.startsWith("curl ") && line.contains("/api/events")) {
                line = line.replaceFirst("\\s+#.*$", "").replaceFirst("^curl ", "curl --max-time 1 ") + " || test $? -eq 28";
            }
            adapted.append(line).append('\n');
        }
        String text = adapted.toString();
        // Should a new form of the address slip past the replacement, fail rather than talk to
        // whatever listens on 8080 on this machine.
        assertFalse(text.contains(":8080"), () -> "the session still names port 8080:\n" + text);
        return text;
    }
}
