package org.wishengine.wish.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of a JVM, read from its safepoint log
 * ({@code -Xlog:safepoint:file=F:utctime}): every pause, whatever the collector (or no collector:
 * deoptimisation, code cache sweeps), with when it ended and how long all threads stood still
 * (reaching the safepoint included). The format is the same on JDK 17 and 25.
 */
record SafepointLog(List<Pause> pauses) {

    /** One pause: its kind (the VM operation), when it ended (epoch ms) and its length (ns). */
    record Pause(String kind, long endEpochMillis, long nanos) {
        long startEpochMillis() {
            return endEpochMillis - nanos / 1_000_000;
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "^\\[([^\\]]+)\\] Safepoint \"([^\"]+)\".*?Total: (\\d+) ns");
    /** {@code utctime}: 2026-12-02T12:29:14.607+0000 (an offset without a colon). */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHMM", "+0000").toFormatter();

    SafepointLog {
        pauses = List.copyOf(pauses);
    }

    /** Reads a safepoint log; lines of other tags, and a last line cut short, are skipped. */
    static SafepointLog read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    static SafepointLog parse(List<String> lines) {
        List<Pause> pauses = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                long end = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
                pauses.add(new Pause(m.group(2), end, Long.parseLong(m.group(3))));
            }
        }
        return new SafepointLog(pauses);
    }
}
