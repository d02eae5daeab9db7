package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FlatSegment} must hand over exactly what Jackson's parser would, or give up: each input
 * is read by it and by a plain Jackson walk (the reader as it was before the flat path) into a
 * recorder, and whenever the flat reader decides, both records must be equal.
 */
class FlatSegmentTest {

    /** Logs every member and the verdict; a member named "stop" ends the reading with a failure. */
    private static final class Recorder extends SegmentReader {
        final List<String> log = new ArrayList<>();

        @Override
        void reset() {
            log.clear();
        }

        @Override
        AuthFailure member(String name, JsonToken value, SegmentValue p) throws IOException {
            StringBuilder entry = new StringBuilder(name).append(' ').append(value);
            if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
                entry.append(' ').append(p.getText()).append(' ')
                        .append(new String(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
            }
            if (value == JsonToken.VALUE_NUMBER_INT) {
                JsonParser.NumberType type = p.getNumberType();
                entry.append(' ').append(type == JsonParser.NumberType.BIG_INTEGER ? "big" : "long")
                        .append(' ').append(p.getBigIntegerValue()).append(' ').append(p.getDoubleValue());
                if (type != JsonParser.NumberType.BIG_INTEGER) {
                    entry.append(' ').append(p.getLongValue());
                }
            }
            log.add(entry.toString());
            return name.equals("stop") ? AuthFailure.EXPIRED : null;
        }

        @Override
        AuthFailure finish() {
            log.add("finish");
            return log.size() > 2 ? AuthFailure.NOT_YET_VALID : null;
        }
    }

    /** The flat reader's record, or null when it gave up. */
    private static List<String> flat(byte[] json) throws IOException {
        Recorder recorder = new Recorder();
        FlatSegment reader = new FlatSegment();
        if (!reader.read(json, json.length, recorder)) {
            return null;
        }
        recorder.log.add("verdict " + reader.verdict());
        return recorder.log;
    }

    /** Jackson's record, walked as SegmentReader walked every segment before the flat reader. */
    private static List<String> jackson(byte[] json) {
        Recorder recorder = new Recorder();
        SegmentValue.OfParser value = new SegmentValue.OfParser();
        AuthFailure verdict;
        try (JsonParser p = new JsonFactory().createParser(json, 0, json.length)) {
            value.parser = p;
            verdict = walk(recorder, p, value);
        } catch (IOException e) {
            verdict = AuthFailure.MALFORMED;
        }
        recorder.log.add("verdict " + verdict);
        return recorder.log;
    }

    private static AuthFailure walk(Recorder recorder, JsonParser p, SegmentValue value) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return AuthFailure.MALFORMED;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            AuthFailure failure = recorder.member(p.currentName(), p.nextToken(), value);
            if (failure != null) {
                return failure;
            }
            p.skipChildren();
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            return AuthFailure.MALFORMED;
        }
        return recorder.finish();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertSameWhenDecided(byte[] json) throws IOException {
        List<String> flat = flat(json);
        if (flat != null) {
            assertEquals(jackson(json), flat, () -> "input: " + new String(json, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void shouldDecideTheTokensThisEngineMintsAsJacksonDoes() throws IOException {
        for (String json : List.of(
                "{\"sub\":\"u1\",\"iat\":1700000000}",
                "{\"sub\":\"u1\",\"iat\":1700000000,\"exp\":1700003600}",
                "{\"sub\":\"district\",\"role\":\"organiser\",\"org\":\"district\",\"jti\":\"ab12\",\"iat\":1,\"exp\":2}",
                "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                " {\r\n\t\"sub\" : \"u.1@x-y_z\" , \"exp\" : -0 , \"n\" : 0 } \n",
                "{}",
                "{\"stop\":1,\"sub\":\"after the failure\"}",
                "{\"sub\":\"u1\",\"sub\":\"u2\"}",
                "{\"exp\":999999999999999999,\"nbf\":-999999999999999999}",
                "{\"\":\"\",\"odd name ~!\":\"~ value with spaces ~\"}")) {
            byte[] input = bytes(json);
            List<String> flat = flat(input);
            assertTrue(flat != null, () -> "the flat reader gave up on " + json);
            assertEquals(jackson(input), flat, json);
        }
    }

    @Test
    void shouldGiveUpOnWhatItDoesNotRead() throws IOException {
        for (String json : List.of(
                "{\"sub\":\"a\\\"b\"}", "{\"sub\":\"\u00e9\"}", "{\"exp\":1.5}", "{\"exp\":1e3}",
                "{\"exp\":1234567890123456789}", "{\"exp\":01}", "{\"exp\":-}", "{\"x\":[1]}", "{\"x\":{}}",
                "{\"x\":true}", "{\"x\":null}", "{\"sub\":\"u1\",}", "{\"sub\":\"u1\"} x", "{\"sub\":\"u1\"",
                "{\"sub\" \"u1\"}", "{\"sub\":\"u1\"}}", "[]", "", "\ufeff{}", "{\"a\":1 \"b\":2}",
                "{\"sub\":\"tab\there\"}", "{\"sub\":\"del\u007f\"}", "{\"exp\":12abc}")) {
            assertFalse(flat(bytes(json)) != null, () -> "the flat reader decided " + json);
        }
    }

    @Test
    void shouldAgreeWithJacksonOnRandomAndBrokenObjects() throws IOException {
        Random random = new Random(20);
        String[] names = {"sub", "iat", "exp", "nbf", "role", "org", "jti", "stop", "alg", "x", "", "su"};
        String[] values = {"\"u1\"", "\"organiser\"", "\"user\"", "\"\"", "0", "-0", "7", "-12", "1700000000",
            "999999999999999999", "-999999999999999999", "2147483648", "-2147483649", "1.5", "\"a\\nb\"", "[1,2]",
            "{\"sub\":1}", "null", "true", "01", "\"x y\""};
        String[] spaces = {"", "", "", " ", "\t", "\r\n", "  "};
        String noise = "{}[]\",: \\-.0e9aZ\u0000\u007f\u00ff";
        for (int round = 0; round < 50_000; round++) {
            StringBuilder json = new StringBuilder(spaces[random.nextInt(spaces.length)]).append('{');
            int members = random.nextInt(5);
            for (int m = 0; m < members; m++) {
                if (m > 0) {
                    json.append(',');
                }
                json.append(spaces[random.nextInt(spaces.length)]).append('"').append(names[random.nextInt(names.length)])
                        .append('"').append(spaces[random.nextInt(spaces.length)]).append(':')
                        .append(spaces[random.nextInt(spaces.length)]).append(values[random.nextInt(values.length)])
                        .append(spaces[random.nextInt(spaces.length)]);
            }
            json.append('}').append(spaces[random.nextInt(spaces.length)]);
            for (int cut = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0; cut > 0 && json.length() > 0; cut--) {
                int at = random.nextInt(json.length());
                switch (random.nextInt(3)) {
                    case 0 -> json.deleteCharAt(at);
                    case 1 -> json.insert(at, noise.charAt(random.nextInt(noise.length())));
                    default -> json.setCharAt(at, noise.charAt(random.nextInt(noise.length())));
                }
            }
            assertSameWhenDecided(json.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
