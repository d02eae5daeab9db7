package org.wishengine.wish.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a PromQL expression (as written in a Grafana panel, Grafana variables included) far enough
 * to say which series it selects: every metric name with its label matchers, every function or
 * aggregation it calls, and every label it groups by. Not a full parser: it skips strings, range
 * and subquery brackets, numbers, durations and Grafana variables ({@code $__rate_interval},
 * {@code $instance}, {@code ${x}}), and treats every other bare identifier that is not a keyword
 * or a call as a metric name, so no selector can hide from it.
 */
public final class PromQl {

    /** PromQL aggregation operators: followed by {@code by}/{@code without} or a parenthesis. */
    static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "limitk", "limit_ratio");

    /** Functions of the Prometheus query language (3.x); anything else called is a typo. */
    static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "acos", "acosh", "asin",
            "asinh", "atan", "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos",
            "cosh", "count_over_time", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg", "delta",
            "deriv", "double_exponential_smoothing", "exp", "floor", "histogram_avg", "histogram_count",
            "histogram_fraction", "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum",
            "holt_winters", "hour", "idelta", "increase", "info", "irate", "label_join", "label_replace",
            "last_over_time", "ln", "log10", "log2", "mad_over_time", "max_over_time", "min_over_time", "minute",
            "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad", "rate", "resets",
            "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_by_label", "sort_by_label_desc", "sort_desc",
            "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp",
            "vector", "year");

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    /** One label matcher: {@code label op "value"}, op one of {@code = != =~ !~}. */
    public record Matcher(String label, String op, String value) {
    }

    /** One vector selector: the metric name and its matchers. */
    public record Selector(String metric, List<Matcher> matchers) {
    }

    /** What one expression selects and calls. */
    public record Analysis(String expr, List<Selector> selectors, Set<String> calls, Set<String> groupingLabels) {

        public Set<String> metricNames() {
            Set<String> names = new LinkedHashSet<>();
            for (Selector selector : selectors) {
                names.add(selector.metric());
            }
            return names;
        }
    }

    private final String text;
    private int pos;
    private final List<Selector> selectors = new ArrayList<>();
    private final Set<String> calls = new LinkedHashSet<>();
    private final Set<String> grouping = new LinkedHashSet<>();

    private PromQl(String text) {
        this.text = text;
    }

    /** Analyses one expression; throws {@link IllegalArgumentException} when it cannot be read. */
    public static Analysis analyse(String expr) {
        PromQl scanner = new PromQl(expr);
        try {
            scanner.scan();
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("unterminated construct in: " + expr, e);
        }
        return new Analysis(expr, List.copyOf(scanner.selectors), Set.copyOf(scanner.calls),
                Set.copyOf(scanner.grouping));
    }

    private void scan() {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '"' || c == '\'' || c == '`') {
                readString();
            } else if (c == '[') {
                skipBrackets();
            } else if (c == '{') {
                // A selector without a leading name: only {__name__="..."} names a metric.
                List<Matcher> matchers = readMatchers();
                String name = null;
                for (Matcher matcher : matchers) {
                    if (matcher.label().equals("__name__")) {
                        if (!matcher.op().equals("=")) {
                            throw new IllegalArgumentException("a __name__ regex hides which metrics are used: " + text);
                        }
                        name = matcher.value();
                    }
                }
                if (name == null) {
                    throw new IllegalArgumentException("a selector without a metric name: " + text);
                }
                selectors.add(new Selector(name, matchers));
            } else if (c == '$') {
                skipVariable();
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
                skipNumber();
            } else if (isIdentStart(c)) {
                identifier();
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '(' || c == ')') {
                depth += c == '(' ? 1 : -1;
                if (depth < 0) {
                    throw new IllegalArgumentException("unbalanced ) at " + pos + " in: " + text);
                }
                pos++;
            } else if ("+-*/%^=!<>,@".indexOf(c) >= 0) {
                pos++;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + pos + " in: " + text);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced ( in: " + text);
        }
    }

    private void identifier() {
        int start = pos;
        while (pos < text.length() && isIdentPart(text.charAt(pos))) {
            pos++;
        }
        String ident = text.substring(start, pos);
        String lower = ident.toLowerCase(Locale.ROOT);
        if (GROUPING.contains(lower)) {
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == '(') {
                int close = text.indexOf(')', pos);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed label list in: " + text);
                }
                for (String label : text.substring(pos + 1, close).split(",")) {
                    if (!label.isBlank()) {
                        grouping.add(label.strip());
                    }
                }
                pos = close + 1;
            }
            return;
        }
        if (KEYWORDS.contains(lower)) {
            if (lower.equals("offset")) {
                skipSpaces();
                if (pos < text.length() && text.charAt(pos) == '-') {
                    pos++;
                }
                skipNumber();
            }
            return;
        }
        skipSpaces();
        boolean call = pos < text.length() && text.charAt(pos) == '(';
        if (call || AGGREGATIONS.contains(ident)) {
            calls.add(ident);
            return;
        }
        List<Matcher> matchers = List.of();
        if (pos < text.length() && text.charAt(pos) == '{') {
            matchers = readMatchers();
        }
        selectors.add(new Selector(ident, matchers));
    }

    private List<Matcher> readMatchers() {
        List<Matcher> matchers = new ArrayList<>();
        pos++; // '{'
        while (true) {
            skipSpaces();
            if (text.charAt(pos) == '}') {
                pos++;
                return matchers;
            }
            int start = pos;
            while (isIdentPart(text.charAt(pos))) {
                pos++;
            }
            String label = text.substring(start, pos);
            if (label.isEmpty()) {
                throw new IllegalArgumentException("expected a label name at " + pos + " in: " + text);
            }
            skipSpaces();
            String op;
            if (text.startsWith("=~", pos) || text.startsWith("!~", pos) || text.startsWith("!=", pos)) {
                op = text.substring(pos, pos + 2);
                pos += 2;
            } else if (text.charAt(pos) == '=') {
                op = "=";
                pos++;
            } else {
                throw new IllegalArgumentException("expected a matcher operator at " + pos + " in: " + text);
            }
            skipSpaces();
            matchers.add(new Matcher(label, op, readString()));
            skipSpaces();
            if (text.charAt(pos) == ',') {
                pos++;
            } else if (text.charAt(pos) != '}') {
                throw new IllegalArgumentException("expected , or } at " + pos + " in: " + text);
            }
        }
    }

    private String readString() {
        char quote = text.charAt(pos);
        if (quote != '"' && quote != '\'' && quote != '`') {
            throw new IllegalArgumentException("expected a string at " + pos + " in: " + text);
        }
        pos++;
        StringBuilder value = new StringBuilder();
        while (text.charAt(pos) != quote) {
            char c = text.charAt(pos++);
            if (c == '\\' && quote != '`') {
                value.append(c);
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        pos++;
        return value.toString();
    }

    private void skipBrackets() {
        int close = text.indexOf(']', pos);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed [ in: " + text);
        }
        pos = close + 1;
    }

    private void skipVariable() {
        pos++; // '$'
        if (pos < text.length() && text.charAt(pos) == '{') {
            int close = text.indexOf('}', pos);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed ${ in: " + text);
            }
            pos = close + 1;
            return;
        }
        while (pos < text.length() && isIdentPart(text.charAt(pos))) {
            pos++;
        }
    }

    /** Skips a number, or a duration such as {@code 5m} or {@code 1h30m}. */
    private void skipNumber() {
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            pos += 2;
            while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
                pos++;
            }
            return;
        }
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                return;
            }
            pos = save;
        }
        // Duration units (ms, s, m, h, d, w, y), possibly chained: 1h30m.
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)))) {
            pos++;
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isIdentStart(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }
}
