package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckLogTest {

    private static void append(AckLog log, String id) {
        char[] padded = ("xx" + id + "yy").toCharArray();
        log.appendId(padded, 2, id.length());
    }

    @Test
    void shouldGiveBackEveryClaimWithTheWishAndUserItsRequestNamed() {
        String[] wishes = new String[70_000];
        String[] users = new String[70_000];
        for (int i = 0; i < wishes.length; i++) {
            wishes[i] = "w" + i;
            users[i] = "u" + i;
        }
        AckLog log = new AckLog();
        for (int i = 0; i < 5_000; i++) { // past every array's first size
            log.begin(i * 13 % wishes.length, 69_999 - i);
            append(log, "cl-" + i);
        }
        List<InvariantChecker.AckedClaim> claims = new ArrayList<>();
        log.addTo(claims, wishes, users, "none");
        assertEquals(5_000, claims.size());
        for (int i = 0; i < 5_000; i++) {
            assertEquals(new InvariantChecker.AckedClaim("cl-" + i, "w" + (i * 13 % wishes.length), "u" + (69_999 - i)),
                    claims.get(i));
        }
    }

    @Test
    void shouldKeepAnIdWithoutOneAndAnIdOutsideAscii() {
        AckLog log = new AckLog();
        log.begin(0, 0);
        log.begin(1, 1);
        append(log, "认领-1");
        log.begin(0, 1);
        append(log, "cl-");
        append(log, "9"); // an id the parser hands over in two pieces
        List<InvariantChecker.AckedClaim> claims = new ArrayList<>();
        log.addTo(claims, new String[] {"a", "b"}, new String[] {"x", "y"}, "none");
        assertEquals(List.of(new InvariantChecker.AckedClaim("none", "a", "x"),
                new InvariantChecker.AckedClaim("认领-1", "b", "y"),
                new InvariantChecker.AckedClaim("cl-9", "a", "y")), claims);
    }

    @Test
    void shouldCompareTheParsersTextWithoutMakingAString() throws Exception {
        try (JsonParser json = new JsonFactory().createParser("{\"wishId\":\"w-12\",\"userId\":\"u-1\"}")) {
            json.nextToken();
            json.nextToken();
            json.nextToken();
            assertTrue(LoadClient.sameText(json, "w-12"));
            assertFalse(LoadClient.sameText(json, "w-13"));
            assertFalse(LoadClient.sameText(json, "w-123"));
            assertFalse(LoadClient.sameText(json, "w-1"));
        }
    }
}
