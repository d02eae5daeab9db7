package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.BrowserFixture.browser;
import static org.wishengine.wish.it.BrowserFixture.card;
import static org.wishengine.wish.it.BrowserFixture.js;
import static org.wishengine.wish.it.BrowserFixture.quit;
import static org.wishengine.wish.it.BrowserFixture.saveScreenshot;
import static org.wishengine.wish.it.BrowserFixture.waitFor;
import static org.wishengine.wish.it.BrowserFixture.waitReady;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.http.DrawAuditJson;

/**
 * Fair start in a real browser (headless Chromium, see {@link BrowserFixture}) against a real engine
 * and Redis: the wall announces the window and the draw before the opening, a claim inside the
 * window waits for the draw ("In the draw — result at ...") and then shows its outcome; the
 * organiser page shows the draw's facts and verifies the public record with WebCrypto (the pages
 * are served from 127.0.0.1, a secure context), exactly as the jar's verifier does.
 */
@Timeout(180)
class FairStartWallIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static EngineHarness harness;

    @BeforeAll
    static void startEngine() throws Exception {
        harness = EngineHarness.start(tmp);
    }

    @AfterAll
    static void stopEngine() {
        if (harness != null) {
            harness.close();
        }
    }

    /**
     * Alice is the only entrant for the lamp, so she wins it; bob (on a phone) and carol (through
     * the API) enter for the one book, so exactly one of them wins it and bob's card says which.
     * Then the organiser page shows the draw verified in the browser, and the entry count of a
     * draw still pending.
     */
    @Test
    void shouldShowTheWaitingStateThenTheResultAndVerifyTheDrawInTheBrowser() throws Exception {
        ChromeDriver alice = null;
        ChromeDriver bob = null;
        try {
            alice = browser(tmp, "alice", 1280, 1000);
            bob = browser(tmp, "bob", 390, 844);
            alice.get(url("/#token=" + harness.userToken("alice")));
            bob.get(url("/#token=" + harness.userToken("bob")));
            waitReady(alice);
            waitReady(bob);
            alice.findElement(By.id("lang-en")).click();
            bob.findElement(By.id("lang-en")).click();

            // Published while both walls are open: it arrives by event.
            Instant opensAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            String campaign = """
                    {"id":"fs-c1","title":"Fair start 公平开抢","opensAt":"%s","perUserLimit":1,"fulfilWithinHours":48,
                     "fairStart":{"windowSeconds":4},"wishes":[
                      {"id":"fs-lamp","title":"A desk lamp 台灯","quantity":1,"category":"education"},
                      {"id":"fs-book","title":"A picture book 绘本","quantity":1,"category":"children"}]}"""
                    .formatted(opensAt);
            HttpResponse<String> created = harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN, campaign);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode fair = json(created).get("fairStart");
            String commitment = fair.get("seedCommitment").asText();
            String drawAt = fair.get("drawAt").asText();

            // Before the opening: the rules of the window, the draw's time and the commitment's first digits.
            WebElement lamp = card(alice, "fs-lamp");
            WebElement lampClaim = lamp.findElement(By.cssSelector("[data-action=claim]"));
            boolean disabledBefore = !lampClaim.isEnabled();
            boolean readBeforeOpening = Instant.now().isBefore(opensAt);
            By fairLine = By.cssSelector("#campaign-fs-c1 [data-role=fair]");
            String drawClock = clock(alice, drawAt);
            waitFor(alice).until(ExpectedConditions.textToBePresentInElementLocated(fairLine,
                    "Fair start: every claim in the first 4 s is an equal entry; draw at " + drawClock));
            assertTrue(alice.findElement(fairLine).getText().contains("commitment " + commitment.substring(0, 12) + "…"),
                    alice.findElement(fairLine).getText());
            if (readBeforeOpening) {
                assertTrue(disabledBefore, "the claim button was enabled before opensAt");
            }

            // The window opens: the button enters the draw; carol enters through the API meanwhile.
            waitFor(alice).until(ExpectedConditions.elementToBeClickable(lampClaim));
            assertEquals("Enter the draw", lampClaim.getText());
            assertEquals("window", alice.findElement(By.id("countdown-fs-c1")).getAttribute("data-phase"));
            HttpResponse<String> carolEntry = enterOnceOpen("carol", "fs-book");
            assertEquals(202, carolEntry.statusCode(), carolEntry.body());
            lampClaim.click();

            WebElement bookBob = card(bob, "fs-book");
            WebElement bookClaim = bookBob.findElement(By.cssSelector("[data-action=claim]"));
            waitFor(bob).until(ExpectedConditions.elementToBeClickable(bookClaim));
            js(bob, "arguments[0].scrollIntoView({block: 'center'});", bookClaim);
            bookClaim.click();

            // Waiting for the draw, not claimed.
            WebElement lampEntry = lamp.findElement(By.cssSelector("[data-role=entry]"));
            waitFor(alice).until(d -> lampEntry.getText().equals("In the draw — result at " + drawClock));
            assertEquals("pending", lamp.getAttribute("data-entry"));
            assertFalse(lamp.getAttribute("class").contains("mine"), "an entry is not a claim");
            assertEquals("Entered", lampClaim.getText());
            assertFalse(lampClaim.isEnabled(), "an entry waiting for its draw cannot be repeated");
            WebElement bookEntry = bookBob.findElement(By.cssSelector("[data-role=entry]"));
            waitFor(bob).until(d -> bookEntry.getText().startsWith("In the draw — result at "));
            saveScreenshot(bob, "fair-start-phone-entered.png");

            // The draw: alice, the only entrant for the lamp, won it; the card shows the claim it became.
            waitFor(alice).until(ExpectedConditions.attributeToBe(lamp, "data-entry", "won"));
            JsonNode aliceEntry = onlyEntry("alice");
            assertEquals("won", aliceEntry.get("outcome").asText(), aliceEntry.toString());
            String claimId = aliceEntry.get("claimId").asText();
            assertEquals("You won — claim " + claimId, lampEntry.getText());
            // ... and it is a held claim, with the wall's usual actions.
            waitFor(alice).until(ExpectedConditions.attributeContains(lamp, "class", "mine"));
            waitFor(alice).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                    "#my-claims-list li[data-claim-id='" + claimId + "'][data-status=claimed] [data-action=fulfil]")));
            assertEquals(1, alice.findElements(By.cssSelector(
                    "#my-claims-list li[data-claim-id='" + claimId + "'] [data-action=cancel]")).size());
            // The header now links to the public draw record.
            WebElement record = waitFor(alice).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#campaign-fs-c1 [data-role=draw-record]")));
            assertTrue(record.getAttribute("href").endsWith("/api/campaigns/fs-c1/draw"), record.getAttribute("href"));
            saveScreenshot(alice, "fair-start-won.png");

            // One book, two entrants: one won it; bob's card says what happened to his entry.
            waitFor(bob).until(d -> !"pending".equals(bookBob.getAttribute("data-entry")));
            JsonNode bobEntry = onlyEntry("bob");
            JsonNode carolOutcome = onlyEntry("carol");
            assertNotEquals(bobEntry.get("outcome").asText(), carolOutcome.get("outcome").asText(),
                    bobEntry + " / " + carolOutcome);
            if ("won".equals(bobEntry.get("outcome").asText())) {
                assertEquals("You won — claim " + bobEntry.get("claimId").asText(), bookEntry.getText());
            } else {
                assertEquals("sold_out", bobEntry.get("reason").asText(), bobEntry.toString());
                assertEquals("Not drawn this time (sold out)", bookEntry.getText());
            }
            js(bob, "arguments[0].scrollIntoView({block: 'center'});", bookBob);
            saveScreenshot(bob, "fair-start-phone-result.png");

            // A second campaign whose window is still open: its draw is pending, with one entry.
            String later = """
                    {"id":"fs-c2","title":"Pending draw","fairStart":{"windowSeconds":600},"wishes":[
                      {"id":"fs-scarf","title":"A scarf","quantity":2}]}""";
            assertEquals(201, harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN, later).statusCode());
            assertEquals(202, harness.post("/api/wishes/fs-scarf/claims", harness.userToken("dave"), null).statusCode());

            // The organiser page (in alice's browser: it is the same origin, a secure context).
            alice.get(url("/admin"));
            waitReady(alice);
            alice.findElement(By.id("lang-en")).click();
            alice.findElement(By.id("admin-token")).sendKeys(EngineHarness.ADMIN_TOKEN);
            alice.findElement(By.id("admin-token-save")).click();
            waitFor(alice).until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-organiser", "true"));
            alice.findElement(By.cssSelector("button[data-action=watch][data-campaign-id=fs-c1]")).click();
            By verdict = By.id("draw-verify");
            waitFor(alice).until(ExpectedConditions.attributeToBe(verdict, "data-state", "verified"));
            assertEquals("verified ✓ (3 entries, 2 winners)", alice.findElement(verdict).getText());
            assertEquals("3", fact(alice, "entries"));
            assertEquals("2 of 3 entries", fact(alice, "winners"));
            assertEquals(commitment, fact(alice, "commitment"));
            assertTrue(fact(alice, "state").startsWith("drawn at "), fact(alice, "state"));
            js(alice, "document.getElementById('draw-panel').scrollIntoView({block: 'center'});");
            saveScreenshot(alice, "fair-start-admin-verified.png");

            // The browser's verifier and the jar's agree, on the record and on tampered copies of it.
            String body = harness.get("/api/campaigns/fs-c1/draw", null).body();
            assertSameVerdict(alice, body, "OK: commitment " + commitment);
            ObjectNode reversed = (ObjectNode) MAPPER.readTree(body);
            ArrayNode winners = (ArrayNode) reversed.get("winners");
            JsonNode first = winners.remove(0);
            winners.add(first);
            assertSameVerdict(alice, reversed.toString(), "MISMATCH in winner number 0");
            ObjectNode swapped = (ObjectNode) MAPPER.readTree(body);
            ArrayNode drawn = (ArrayNode) swapped.get("drawn");
            drawn.add(drawn.remove(0));
            assertSameVerdict(alice, swapped.toString(), "MISMATCH in drawn order at place 0");
            ObjectNode otherSeed = (ObjectNode) MAPPER.readTree(body);
            String seed = otherSeed.get("seed").asText();
            otherSeed.put("seed", seed.substring(0, 63) + (seed.charAt(63) == '0' ? '1' : '0'));
            assertSameVerdict(alice, otherSeed.toString(), "MISMATCH in commitment");

            // The draw still to come: its window, commitment and entry count, nothing to verify yet.
            String pendingCommitment = json(harness.get("/api/campaigns/fs-c2", null)).get("fairStart")
                    .get("seedCommitment").asText();
            waitFor(alice).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("button[data-action=watch][data-campaign-id=fs-c2]"))).click();
            waitFor(alice).until(d -> "1".equals(fact(d, "entries")));
            assertEquals("waiting for the draw", fact(alice, "state"));
            assertEquals(pendingCommitment, fact(alice, "commitment"));
            assertTrue(fact(alice, "window").startsWith("600 s: "), fact(alice, "window"));
            assertEquals("pending", alice.findElement(verdict).getAttribute("data-state"));
        } finally {
            quit(alice);
            quit(bob);
        }
    }

    /** The JavaScript verifier gives the test vector of engine/API.md §6.16. */
    @Test
    void shouldComputeTheTestVectorOfTheApiInTheBrowser() throws Exception {
        ChromeDriver carol = null;
        try {
            carol = browser(tmp, "vector", 800, 600);
            carol.get(url("/admin"));
            waitReady(carol);
            Object result = carol.executeAsyncScript("""
                    var done = arguments[arguments.length - 1];
                    var seed = '';
                    for (var i = 0; i < 32; i++) { seed += (i < 16 ? '0' : '') + i.toString(16); }
                    var entries = [];
                    for (var n = 1; n <= 10; n++) { entries.push({entryId: 'en-' + n}); }
                    var V = window.WishDrawVerify;
                    Promise.all([V.commitment(seed), V.drawnOrder(seed, entries), V.userHash(seed, 'u-1')])
                      .then(function (r) { done(r[0] + '|' + r[1].join(', ') + '|' + r[2]); },
                            function (e) { done('failed: ' + e); });""");
            assertEquals("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
                    + "|en-2, en-8, en-1, en-6, en-4, en-10, en-7, en-9, en-5, en-3"
                    + "|905c00c98b64423c475106138a84d98fdea2c21109fb5ce17e04e0f8afc68065", result);
        } finally {
            quit(carol);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Claims {@code wishId} as {@code user} through the API as soon as the engine has reached the
     * opening (the browser's countdown and the engine read the same clock, but not at the same instant).
     */
    private static HttpResponse<String> enterOnceOpen(String user, String wishId) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            HttpResponse<String> answer = harness.post("/api/wishes/" + wishId + "/claims", harness.userToken(user), null);
            if (answer.statusCode() != 409 || !answer.body().contains("not_open") || System.nanoTime() > deadline) {
                return answer;
            }
            Thread.onSpinWait();
        }
    }

    /** The user's one fair-start entry, as GET /api/me/entries gives it. */
    private static JsonNode onlyEntry(String user) throws Exception {
        JsonNode entries = json(harness.get("/api/me/entries", harness.userToken(user))).get("entries");
        assertEquals(1, entries.size(), entries.toString());
        return entries.get(0);
    }

    /** The organiser page's value of one fact of the draw. */
    private static String fact(WebDriver driver, String name) {
        return driver.findElement(By.cssSelector("#draw-facts [data-fact=" + name + "]")).getText();
    }

    /** An instant as the pages show a time of day (HH:MM:SS in the browser's time zone). */
    private static String clock(WebDriver driver, String iso) {
        return (String) js(driver, "return new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit',"
                + " second: '2-digit', hour12: false}).format(new Date(arguments[0]));", iso);
    }

    /** WishDrawVerify in the browser describes the record exactly as DrawAudit.verify (the jar's verify-draw) does. */
    private static void assertSameVerdict(ChromeDriver driver, String record, String expectedStart) throws Exception {
        String java = DrawAudit.verify(DrawAuditJson.read(record.getBytes(StandardCharsets.UTF_8))).describe();
        Object browser = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                window.WishDrawVerify.verify(JSON.parse(arguments[0]))
                  .then(function (v) { done(v.describe); }, function (e) { done('failed: ' + e); });""", record);
        assertTrue(java.startsWith(expectedStart), java);
        assertEquals(java, browser);
    }

    private static String url(String path) {
        return harness.uri(path).toString();
    }
}
