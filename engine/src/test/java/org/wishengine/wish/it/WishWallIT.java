package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.BrowserFixture.card;
import static org.wishengine.wish.it.BrowserFixture.consoleErrors;
import static org.wishengine.wish.it.BrowserFixture.js;
import static org.wishengine.wish.it.BrowserFixture.quit;
import static org.wishengine.wish.it.BrowserFixture.saveScreenshot;
import static org.wishengine.wish.it.BrowserFixture.waitReady;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The wish wall and the organiser page in a real browser (Debian's headless Chromium driven
 * through its chromedriver; nothing is downloaded) against a real engine and Redis.
 *
 * <p>The wall test opens the wall for alice (token in the URL fragment) and for bob (token pasted
 * into the sign-in field, in a phone-sized window), waits for the countdown to reach the
 * campaign's opening second, claims the last unit of a wish as alice and sees it grey out in bob's
 * browser through the event stream, without a reload; then alice gives it back and bob sees it
 * return. The organiser test publishes a campaign with the form and with JSON, watches a claim
 * come in, confirms it with a rating and downloads the CSV ledger. The phone test is the first
 * five minutes of a visitor on a 390×844 screen, including a campaign published while the page is open.
 */
@Timeout(240)
class WishWallIT {

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

    @Test
    void shouldOpenOnTheSecondAndGreyOutASoldOutWishInAnotherBrowserLive() throws Exception {
        ChromeDriver alice = null;
        ChromeDriver bob = null;
        try {
            alice = browser("alice", 1280, 1000);
            bob = browser("bob", 390, 844);

            // The campaign opens a few seconds from now; the pages must show the countdown first.
            Instant opensAt = Instant.now().plusSeconds(7).truncatedTo(ChronoUnit.SECONDS);
            String campaign = """
                    {"id":"wall-c1","title":"朱泾镇 · 冬日暖心微心愿 Winter warmth","opensAt":"%s","perUserLimit":2,
                     "fulfilWithinHours":168,"wishes":[
                      {"id":"wall-radio","title":"给王奶奶的一台收音机 A radio for Grandma Wang","quantity":1,
                       "category":"elderly","location":"朱泾镇 东兴居委 Zhujing/Dongxing","beneficiary":"王奶奶 Grandma Wang, 82",
                       "description":"老收音机十月坏了。Her old one broke in October."},
                      {"id":"wall-bags","title":"十个新书包 Ten school bags","quantity":10,"category":"education",
                       "location":"朱泾镇 待泾村","beneficiary":"三年级 Year 3"},
                      {"id":"wall-coat","title":"外卖骑手的雨衣 Raincoats for riders","quantity":3,"category":"worker",
                       "location":"枫泾镇 Fengjing","beneficiary":"骑手小李 Rider Li"}]}""".formatted(opensAt);
            HttpResponse<String> created = harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN, campaign);
            assertEquals(201, created.statusCode(), created.body());

            // Alice: token in the URL fragment. It is kept in sessionStorage and removed from the address.
            alice.get(url("/#token=" + harness.userToken("alice")));
            waitReady(alice);
            assertFalse(alice.getCurrentUrl().contains("token="), alice.getCurrentUrl());
            assertEquals("alice", alice.findElement(By.id("who")).getText());
            WebElement aliceRadio = card(alice, "wall-radio");
            WebElement aliceClaim = aliceRadio.findElement(By.cssSelector("[data-action=claim]"));
            WebElement countdown = alice.findElement(By.id("countdown-wall-c1"));
            boolean disabledBefore = !aliceClaim.isEnabled();
            String openBefore = countdown.getAttribute("data-open");
            if (Instant.now().isBefore(opensAt)) {
                // Both were read before the opening instant, so the wall must still have been counting down.
                assertTrue(disabledBefore, "claim button enabled before opensAt");
                assertEquals("false", openBefore);
            }

            // The language switch changes the claim button's text, and the choice is kept.
            alice.findElement(By.id("lang-zh")).click();
            assertEquals("认领", aliceClaim.getText());
            assertEquals("zh-CN", alice.findElement(By.tagName("html")).getAttribute("lang"));
            alice.findElement(By.id("lang-en")).click();
            assertEquals("Claim", aliceClaim.getText());
            assertEquals("en", js(alice, "return localStorage.getItem('wish.lang')"));

            // Bob: a phone-sized window; signs in by pasting his token into the field.
            bob.get(url("/"));
            waitReady(bob);
            bob.findElement(By.id("lang-en")).click();
            bob.findElement(By.id("token-input")).sendKeys(harness.userToken("bob"));
            bob.findElement(By.id("sign-in")).click();
            wait(bob).until(ExpectedConditions.textToBe(By.id("who"), "bob"));
            js(bob, "window.__wallMarker = 'no reload';");
            WebElement bobRadio = card(bob, "wall-radio");
            WebElement bobClaim = bobRadio.findElement(By.cssSelector("[data-action=claim]"));

            // The button comes alive at the opening second, driven by the countdown.
            wait(alice).until(ExpectedConditions.elementToBeClickable(aliceClaim));
            Instant enabledSeenAt = Instant.now();
            assertFalse(enabledSeenAt.isBefore(opensAt), "enabled at " + enabledSeenAt + ", opens " + opensAt);
            assertEquals("true", countdown.getAttribute("data-open"));
            wait(bob).until(ExpectedConditions.elementToBeClickable(bobClaim));

            // Alice claims the only unit: 201 and the wish is hers.
            aliceClaim.click();
            wait(alice).until(ExpectedConditions.attributeContains(aliceRadio, "class", "mine"));
            WebElement aliceMsg = aliceRadio.findElement(By.cssSelector("[data-role=msg]"));
            wait(alice).until(d -> aliceMsg.getText().startsWith("Claimed!"));
            wait(alice).until(ExpectedConditions.attributeContains(aliceRadio, "class", "sold-out"));
            assertEquals("Sold out", aliceClaim.getText());
            JsonNode mine = json(harness.get("/api/me/claims", harness.userToken("alice"))).get("claims");
            assertEquals(1, mine.size(), mine.toString());
            assertEquals("wall-radio", mine.get(0).get("wishId").asText());
            String claimId = mine.get(0).get("id").asText();
            wait(alice).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#my-claims-list li[data-claim-id='" + claimId + "'][data-status=claimed]")));

            // Bob's wall greys the wish out through the live stream; the page was not reloaded.
            wait(bob).until(ExpectedConditions.attributeContains(bobRadio, "class", "sold-out"));
            assertFalse(bobClaim.isEnabled());
            assertEquals("Sold out", bobClaim.getText());
            assertEquals("0", bobRadio.getAttribute("data-remaining"));
            assertEquals("no reload", js(bob, "return window.__wallMarker"));

            // A wish already held cannot be claimed again (one per person): its button says why.
            WebElement aliceBags = card(alice, "wall-bags");
            WebElement bagsClaim = aliceBags.findElement(By.cssSelector("[data-action=claim]"));
            bagsClaim.click();
            wait(alice).until(d -> aliceBags.findElement(By.cssSelector("[data-role=msg]")).getText().startsWith("Claimed!"));
            wait(alice).until(d -> "You hold one".equals(bagsClaim.getText()));
            assertFalse(bagsClaim.isEnabled());
            // perUserLimit is 2: a third wish is refused with a friendly limit_reached message.
            WebElement aliceCoat = card(alice, "wall-coat");
            aliceCoat.findElement(By.cssSelector("[data-action=claim]")).click();
            wait(alice).until(d -> aliceCoat.findElement(By.cssSelector("[data-role=msg]")).getText()
                    .contains("as many wishes as this campaign allows"));
            assertEquals(2, json(harness.get("/api/me/claims", harness.userToken("alice"))).get("claims").size());

            saveScreenshot(alice, "wish-wall.png");
            js(bob, "arguments[0].scrollIntoView({block: 'center'});", bobRadio);
            saveScreenshot(bob, "wish-wall-mobile.png");

            // Alice gives the radio back; it returns on bob's wall with the released event.
            WebElement cancel = alice.findElement(
                    By.cssSelector("#my-claims-list li[data-claim-id='" + claimId + "'] [data-action=cancel]"));
            cancel.click();
            wait(alice).until(ExpectedConditions.alertIsPresent()).accept();
            wait(alice).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#my-claims-list li[data-claim-id='" + claimId + "'][data-status=cancelled]")));
            wait(bob).until(d -> !bobRadio.getAttribute("class").contains("sold-out"));
            wait(bob).until(ExpectedConditions.elementToBeClickable(bobClaim));
            assertEquals("Claim", bobClaim.getText());
            assertEquals("no reload", js(bob, "return window.__wallMarker"));

            // Bob takes it now, and alice sees it go.
            bobClaim.click();
            wait(bob).until(ExpectedConditions.attributeContains(bobRadio, "class", "mine"));
            wait(alice).until(ExpectedConditions.attributeContains(aliceRadio, "class", "sold-out"));
            assertEquals("bob", json(harness.get("/api/me/claims", harness.userToken("bob")))
                    .get("claims").get(0).get("userId").asText());
        } finally {
            quit(alice);
            quit(bob);
        }
    }

    @Test
    void shouldLetAnOrganiserPublishWatchConfirmAndDownloadTheLedger() throws Exception {
        ChromeDriver admin = null;
        try {
            admin = browser("admin", 1280, 1000);
            admin.get(url("/admin"));
            waitReady(admin);
            admin.findElement(By.id("lang-en")).click();
            admin.findElement(By.id("admin-token")).sendKeys(EngineHarness.ADMIN_TOKEN);
            admin.findElement(By.id("admin-token-save")).click();
            wait(admin).until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-organiser", "true"));
            // The page checks the token with the route made for it: no 404 in the console.
            assertEquals(200, harness.get("/api/admin/whoami", EngineHarness.ADMIN_TOKEN).statusCode());
            assertEquals(403, harness.get("/api/admin/whoami", harness.userToken("carol")).statusCode());
            assertEquals(401, harness.get("/api/admin/whoami", null).statusCode());
            String console = consoleErrors(admin);
            assertFalse(console.contains("404"), console);

            // Publish with the form: two wishes, open at once.
            admin.findElement(By.id("c-title")).sendKeys("Reading corner 阅读角");
            admin.findElement(By.id("c-id")).sendKeys("adm-c1");
            admin.findElement(By.id("w1-id")).sendKeys("adm-lamp");
            admin.findElement(By.id("w1-title")).sendKeys("A desk lamp 台灯");
            WebElement qty = admin.findElement(By.id("w1-quantity"));
            qty.clear();
            qty.sendKeys("2");
            admin.findElement(By.id("w1-category")).sendKeys("education");
            admin.findElement(By.id("add-wish")).click();
            admin.findElement(By.id("w2-id")).sendKeys("adm-books");
            admin.findElement(By.id("w2-title")).sendKeys("Picture books 绘本");
            admin.findElement(By.id("publish-submit")).click();
            wait(admin).until(ExpectedConditions.attributeContains(By.id("publish-msg"), "class", "field-msg-ok"));
            JsonNode detail = json(harness.get("/api/campaigns/adm-c1", null));
            assertEquals(2, detail.get("wishes").size(), detail.toString());
            assertEquals(2, detail.get("wishes").get(0).get("quantity").asInt());
            // The new campaign is listed and being watched.
            wait(admin).until(ExpectedConditions.attributeToBe(
                    By.cssSelector("#campaign-rows tr[data-campaign-id=adm-c1]"), "aria-selected", "true"));

            // JSON with a bad member: the engine's field path is shown.
            admin.findElement(By.cssSelector("#json-box summary")).click();
            WebElement area = admin.findElement(By.id("json-text"));
            area.sendKeys("{\"id\":\"adm-c2\",\"title\":\"JSON campaign\",\"wishes\":[{\"id\":\"adm-j1\",\"title\":\"x\",\"quantity\":0}]}");
            admin.findElement(By.id("json-publish")).click();
            wait(admin).until(ExpectedConditions.textToBePresentInElementLocated(By.id("json-msg"), "wishes[0].quantity"));
            area.clear();
            area.sendKeys("{\"id\":\"adm-c2\",\"title\":\"JSON campaign\",\"wishes\":[{\"id\":\"adm-j1\",\"title\":\"Socks\",\"quantity\":4}]}");
            admin.findElement(By.id("json-publish")).click();
            wait(admin).until(ExpectedConditions.attributeContains(By.id("json-msg"), "class", "field-msg-ok"));
            assertEquals(200, harness.get("/api/campaigns/adm-c2", null).statusCode());

            // Watch the first campaign; a claim comes in and is reported delivered (through the API).
            admin.findElement(By.cssSelector("button[data-action=watch][data-campaign-id=adm-c1]")).click();
            String carol = harness.userToken("carol");
            HttpResponse<String> claimed = harness.post("/api/wishes/adm-lamp/claims", carol, null);
            assertEquals(201, claimed.statusCode(), claimed.body());
            String claimId = json(claimed).get("id").asText();
            By row = By.cssSelector("#claim-rows tr[data-claim-id='" + claimId + "']");
            wait(admin).until(ExpectedConditions.attributeToBe(row, "data-status", "claimed"));
            assertEquals(200, harness.post("/api/claims/" + claimId + "/fulfil", carol, null).statusCode());
            wait(admin).until(ExpectedConditions.attributeToBe(row, "data-status", "fulfilled"));

            // On a phone the claims are cards: the Confirm button is on screen, not in a sideways scroll.
            admin.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
            WebElement confirmButton = admin.findElement(
                    By.cssSelector("button[data-action=confirm][data-claim-id='" + claimId + "']"));
            js(admin, "arguments[0].scrollIntoView({block: 'center'});", confirmButton);
            Map<?, ?> rect = (Map<?, ?>) js(admin, "var r = arguments[0].getBoundingClientRect();"
                    + " return {left: r.left, right: r.right};", confirmButton);
            assertTrue(((Number) rect.get("left")).doubleValue() >= 0 && ((Number) rect.get("right")).doubleValue() <= 390,
                    "Confirm on a 390 px screen: " + rect);
            saveScreenshot(admin, "wish-admin-phone.png");
            admin.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());

            // Confirm with the beneficiary's rating and a comment.
            new Select(admin.findElement(By.id("rate-" + claimId))).selectByValue("4");
            admin.findElement(By.id("comment-" + claimId)).sendKeys("Works well 很好用");
            admin.findElement(By.cssSelector("button[data-action=confirm][data-claim-id='" + claimId + "']")).click();
            wait(admin).until(ExpectedConditions.attributeToBe(row, "data-status", "confirmed"));
            JsonNode confirmed = json(harness.get("/api/claims/" + claimId, EngineHarness.ADMIN_TOKEN));
            assertEquals("confirmed", confirmed.get("status").asText());
            assertEquals(4, confirmed.get("rating").asInt());
            assertEquals("Works well 很好用", confirmed.get("comment").asText());
            wait(admin).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#stats-campaign [data-stat=satisfaction] dd"), "100.0%"));

            // The CSV ledger is fetched with the organiser token and offered as a Blob link.
            admin.findElement(By.id("csv-download")).click();
            WebElement link = wait(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("csv-link")));
            assertTrue(link.getAttribute("href").startsWith("blob:"), link.getAttribute("href"));
            Object csv = admin.executeAsyncScript(
                    "var done = arguments[arguments.length - 1];"
                            + "fetch(document.getElementById('csv-link').href).then(function (r) { return r.text(); }).then(done);");
            String text = String.valueOf(csv);
            assertTrue(text.startsWith("claimId,campaignId,wishId,userId,status"), text);
            assertTrue(text.contains(claimId + ",adm-c1,adm-lamp,carol,confirmed"), text);

            saveScreenshot(admin, "wish-admin.png");
        } finally {
            quit(admin);
        }
    }

    /**
     * The first five minutes on a phone (390×844): a wish on the first screen, signed out and
     * signed in; a held multi-unit wish whose button says why it is disabled; a message on screen
     * that follows the language switch; an unknown category shown as published; and a campaign
     * published while the page is open appearing at once and opening at its second.
     */
    @Test
    void shouldShowWishesFirstOnAPhoneAndKeepUpWithoutAReload() throws Exception {
        ChromeDriver dave = null;
        try {
            dave = browser("dave", 390, 844);
            String campaign = """
                    {"id":"phone-c1","title":"Riders' winter 骑手冬日","perUserLimit":3,"fulfilWithinHours":48,"wishes":[
                      {"id":"phone-gloves","title":"Warm gloves 保暖手套","quantity":3,"category":"workers",
                       "location":"Fengjing","beneficiary":"Rider Zhang"},
                      {"id":"phone-tea","title":"A thermos 保温杯","quantity":1,"category":"daily"}]}""";
            assertEquals(201, harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN, campaign).statusCode());

            dave.get(url("/"));
            waitReady(dave);
            dave.findElement(By.id("lang-en")).click();
            card(dave, "phone-gloves");
            // Signed out: the sign-in bar is one row, its explanation folded away, and a wish shows.
            assertFalse(dave.findElement(By.id("token-help")).isDisplayed(), "the sign-in explanation is folded");
            assertFalse(dave.findElement(By.id("filter-campaign")).isDisplayed(), "the filters are folded");
            assertFirstWishOnFirstScreen(dave);
            saveScreenshot(dave, "wish-wall-phone-first-screen.png");

            dave.findElement(By.id("token-input")).sendKeys(harness.userToken("dave"));
            dave.findElement(By.id("sign-in")).click();
            wait(dave).until(ExpectedConditions.textToBe(By.id("who"), "dave"));
            assertFalse(dave.findElement(By.id("token-form")).isDisplayed(), "the sign-in field is gone once signed in");
            assertFirstWishOnFirstScreen(dave);
            js(dave, "window.__wallMarker = 'no reload';");

            // An unknown category is shown as the organiser published it, capitalised.
            WebElement gloves = card(dave, "phone-gloves");
            assertEquals("Workers", gloves.findElement(By.cssSelector("[data-role=category]")).getText());

            // One unit of three: the card is his, and its button is disabled with the reason.
            WebElement glovesClaim = gloves.findElement(By.cssSelector("[data-action=claim]"));
            wait(dave).until(ExpectedConditions.elementToBeClickable(glovesClaim));
            js(dave, "arguments[0].scrollIntoView({block: 'center'});", glovesClaim);
            glovesClaim.click();
            wait(dave).until(ExpectedConditions.attributeContains(gloves, "class", "mine"));
            wait(dave).until(d -> "You hold one".equals(glovesClaim.getText()));
            assertFalse(glovesClaim.isEnabled(), "a held wish cannot be claimed again");
            assertEquals("2", gloves.getAttribute("data-remaining"));
            assertTrue(gloves.findElement(By.cssSelector("[data-role=mine]")).isDisplayed());
            WebElement msg = gloves.findElement(By.cssSelector("[data-role=msg]"));
            wait(dave).until(d -> msg.getText().startsWith("Claimed! Please deliver"));

            // The message on screen follows the language, and back.
            dave.findElement(By.id("lang-zh")).click();
            wait(dave).until(d -> msg.getText().startsWith("认领成功"));
            assertEquals("你已认领一份", glovesClaim.getText());
            dave.findElement(By.id("lang-en")).click();
            wait(dave).until(d -> msg.getText().startsWith("Claimed! Please deliver"));
            saveScreenshot(dave, "wish-wall-phone-claimed.png");

            // A campaign published now appears at once (an event, not the minute's poll) and opens at its second.
            Instant opensAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
            String later = """
                    {"id":"phone-c2","title":"Just published 新发布","opensAt":"%s","wishes":[
                      {"id":"phone-new","title":"A new scarf 新围巾","quantity":2,"category":"elderly"}]}""".formatted(opensAt);
            long publishedAt = System.nanoTime();
            assertEquals(201, harness.post("/api/campaigns", EngineHarness.ADMIN_TOKEN, later).statusCode());
            WebElement fresh = new WebDriverWait(dave, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                    .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.wish[data-wish-id=phone-new]")));
            long shownAfterMillis = (System.nanoTime() - publishedAt) / 1_000_000;
            assertTrue(shownAfterMillis < 10_000, "shown after " + shownAfterMillis + " ms");
            WebElement freshClaim = fresh.findElement(By.cssSelector("[data-action=claim]"));
            if (Instant.now().isBefore(opensAt)) {
                assertFalse(freshClaim.isEnabled(), "not open before opensAt");
            }
            wait(dave).until(ExpectedConditions.elementToBeClickable(freshClaim));
            assertFalse(Instant.now().isBefore(opensAt), "enabled before " + opensAt);
            assertEquals("no reload", js(dave, "return window.__wallMarker"));
            js(dave, "arguments[0].scrollIntoView({block: 'center'});", fresh);
            saveScreenshot(dave, "wish-wall-phone-new-campaign.png");
        } finally {
            quit(dave);
        }
    }

    /** The first visible wish card starts within the first 844 px of the page, scrolled to the top. */
    private static void assertFirstWishOnFirstScreen(ChromeDriver driver) {
        js(driver, "window.scrollTo(0, 0);");
        Number top = (Number) js(driver, "var c = Array.prototype.find.call(document.querySelectorAll('article.wish'),"
                + " function (e) { return e.offsetParent !== null; }); return c ? c.getBoundingClientRect().top : -1;");
        assertTrue(top.doubleValue() >= 0 && top.doubleValue() < 844, "first wish card's top: " + top);
    }

    /** More wishes than the largest page of GET /api/wishes (1,000): the wall follows nextCursor and shows them all. */
    @Test
    void shouldShowEveryWishWhenTheyFillMoreThanOnePage(@TempDir Path own) throws Exception {
        // An engine of its own, so that 1,200 cards do not slow down the walls of the other tests.
        try (EngineHarness many = EngineHarness.start(own)) {
            GrabSupport.createCampaign(many, GrabSupport.campaignBody("wall-many", 1, "wm-", Collections.nCopies(1200, 1)));
            ChromeDriver carol = null;
            try {
                carol = browser("carol", 1280, 1000);
                carol.get(many.uri("/").toString());
                waitReady(carol);
                card(carol, "wm-1");
                card(carol, "wm-1200");
                assertEquals(1200L, js(carol, "return document.querySelectorAll('article.wish').length"));
            } finally {
                quit(carol);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static ChromeDriver browser(String name, int width, int height) throws IOException {
        return BrowserFixture.browser(tmp, name, width, height);
    }

    private static String url(String path) {
        return harness.uri(path).toString();
    }

    private static WebDriverWait wait(WebDriver driver) {
        return BrowserFixture.waitFor(driver);
    }
}
