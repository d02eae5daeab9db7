package org.wishengine.wish.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminTokenCheckTest {

    private static final String TOKEN = "s3cr3t-admin-token";
    private final AdminTokenCheck check = new AdminTokenCheck(TOKEN);

    @Test
    void shouldAcceptExactToken() {
        assertTrue(check.matches(TOKEN));
        assertTrue(check.matches(new String(TOKEN.toCharArray())));
    }

    @Test
    void shouldRejectWrongTokenOfSameLength() {
        assertFalse(check.matches("s3cr3t-admin-tokeN"));
        assertFalse(check.matches("x".repeat(TOKEN.length())));
    }

    @Test
    void shouldRejectDifferentLengths() {
        assertFalse(check.matches(TOKEN.substring(0, TOKEN.length() - 1)));
        assertFalse(check.matches(TOKEN + "x"));
        assertFalse(check.matches(TOKEN + TOKEN));
        assertFalse(check.matches("s"));
        assertFalse(check.matches(""));
    }

    @Test
    void shouldRejectNull() {
        assertFalse(check.matches(null));
        assertFalse(check.matchesHeader(null));
    }

    @Test
    void shouldCompareNonAsciiAsUtf8() {
        AdminTokenCheck unicode = new AdminTokenCheck("p\u00e4ss");
        assertTrue(unicode.matches("p\u00e4ss"));
        assertFalse(unicode.matches("pass"));
    }

    @Test
    void shouldMatchBearerHeader() {
        assertTrue(check.matchesHeader("Bearer " + TOKEN));
        assertTrue(check.matchesHeader("  bearer  " + TOKEN + " "));
        assertFalse(check.matchesHeader("Basic " + TOKEN));
        assertFalse(check.matchesHeader(TOKEN));
        assertFalse(check.matchesHeader("Bearer"));
        assertFalse(check.matchesHeader("Bearer " + TOKEN + "x"));
    }

    @Test
    void shouldNotRevealTokenInToString() {
        assertFalse(check.toString().contains(TOKEN));
    }

    @Test
    void shouldRejectEmptyConfiguredToken() {
        assertThrows(IllegalArgumentException.class, () -> new AdminTokenCheck(""));
        assertThrows(NullPointerException.class, () -> new AdminTokenCheck(null));
    }
}
