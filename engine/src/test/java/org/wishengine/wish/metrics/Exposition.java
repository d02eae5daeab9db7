package org.wishengine.wish.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A parsed Prometheus text exposition (format 0.0.4, what {@code GET /metrics} serves): one
 * {@link Sample} per series line, comment and blank lines skipped. Small on purpose, but strict:
 * a line it cannot read fails the test instead of being dropped.
 */
public final class Exposition {

    /** One series line: name, labels (in the order written) and value. */
    public record Sample(String name, Map<String, String> labels, double value) {

        public String label(String name) {
            return labels.get(name);
        }

        @Override
        public String toString() {
            return name + labels + " " + value;
        }
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private Exposition(List<Sample> samples, Map<String, String> types) {
        this.samples = List.copyOf(samples);
        this.types = Collections.unmodifiableMap(types);
    }

    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new TreeMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.startsWith("# TYPE ")) {
                String[] words = trimmed.split("\\s+");
                if (words.length == 4) {
                    types.put(words[2], words[3]);
                }
            }
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(trimmed));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("exposition line " + lineNo + " is unreadable: " + line, e);
            }
        }
        return new Exposition(samples, types);
    }

    private static Sample parseLine(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipSpaces(line, i);
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (isNameChar(line.charAt(i), i == start)) {
                    i++;
                }
                String label = line.substring(start, i);
                if (label.isEmpty()) {
                    throw new IllegalArgumentException("empty label name at " + i);
                }
                i = skipSpaces(line, i);
                expect(line, i++, '=');
                i = skipSpaces(line, i);
                expect(line, i++, '"');
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char escaped = line.charAt(i++);
                        switch (escaped) {
                            case 'n' -> value.append('\n');
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            default -> throw new IllegalArgumentException("bad escape \\" + escaped);
                        }
                    } else {
                        value.append(c);
                    }
                }
                i++;
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                i = skipSpaces(line, i);
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected , or } at " + i);
                }
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        return new Sample(name, Collections.unmodifiableMap(labels), parseValue(rest[0]));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static void expect(String line, int i, char c) {
        if (line.charAt(i) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + ", found '" + line.charAt(i) + "'");
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Metric families from the {@code # TYPE} lines: family name to type (counter, gauge, histogram...). */
    public Map<String, String> types() {
        return types;
    }

    /** Every series name present (e.g. {@code wish_claims_total}, {@code wish_claim_latency_seconds_bucket}). */
    public Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The series of one name. */
    public List<Sample> series(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Label names seen on the series of {@code name}. */
    public Set<String> labelNames(String name) {
        Set<String> labels = new TreeSet<>();
        for (Sample sample : series(name)) {
            labels.addAll(sample.labels().keySet());
        }
        return labels;
    }

    /** Values seen for {@code label} on the series of {@code name}. */
    public Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        for (Sample sample : series(name)) {
            String value = sample.label(label);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /**
     * The value of the one series of {@code name} whose labels include {@code labelPairs}
     * ({@code "k1", "v1", "k2", "v2"...}); fails when there is none or more than one.
     */
    public double value(String name, String... labelPairs) {
        List<Sample> found = matching(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one series " + describe(name, labelPairs) + " but found "
                    + found + "; series of that name: " + series(name));
        }
        return found.get(0).value();
    }

    /** Like {@link #value} but 0 when no such series exists (a counter not created yet). */
    public double valueOrZero(String name, String... labelPairs) {
        List<Sample> found = matching(name, labelPairs);
        if (found.size() > 1) {
            throw new AssertionError("more than one series " + describe(name, labelPairs) + ": " + found);
        }
        return found.isEmpty() ? 0 : found.get(0).value();
    }

    /** Like {@link #value} but NaN when no such series exists (a gauge not registered yet). */
    public double valueOrNaN(String name, String... labelPairs) {
        List<Sample> found = matching(name, labelPairs);
        if (found.size() > 1) {
            throw new AssertionError("more than one series " + describe(name, labelPairs) + ": " + found);
        }
        return found.isEmpty() ? Double.NaN : found.get(0).value();
    }

    /** The series of {@code name} whose labels include every pair of {@code labelPairs}. */
    public List<Sample> matching(String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs come in twos");
        }
        List<Sample> found = new ArrayList<>();
        for (Sample sample : series(name)) {
            boolean all = true;
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(sample.label(labelPairs[i]))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                found.add(sample);
            }
        }
        return found;
    }

    /** Value by label value, for one label of one series name (e.g. outcome -> count). */
    public Map<String, Double> byLabel(String name, String label) {
        Map<String, Double> values = new TreeMap<>();
        for (Sample sample : series(name)) {
            String key = sample.label(label);
            if (values.put(key, sample.value()) != null) {
                throw new AssertionError(name + " has several series with " + label + "=" + key);
            }
        }
        return values;
    }

    private static String describe(String name, String... labelPairs) {
        StringBuilder text = new StringBuilder(name).append('{');
        for (int i = 0; i < labelPairs.length; i += 2) {
            text.append(i == 0 ? "" : ",").append(labelPairs[i]).append("=\"").append(labelPairs[i + 1]).append('"');
        }
        return text.append('}').toString();
    }
}
