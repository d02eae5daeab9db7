package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.BrowserFixture.browser;
import static org.wishengine.wish.it.BrowserFixture.consoleErrors;
import static org.wishengine.wish.it.BrowserFixture.js;
import static org.wishengine.wish.it.BrowserFixture.quit;
import static org.wishengine.wish.it.BrowserFixture.saveScreenshot;
import static org.wishengine.wish.it.BrowserFixture.waitFor;
import static org.wishengine.wish.it.BrowserFixture.waitReady;
import static org.wishengine.wish.it.GrabSupport.MAPPER;
import static org.wishengine.wish.it.GrabSupport.await;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.wishengine.wish.auth.TokenMinter;

/**
 * Issue 18's pages in headless Chromium against a real engine and Redis: the district builds
 * district → two towns → two communities each and publishes under communities of both towns; a
 * town organiser signs in on the organiser page and sees only its town's campaigns, its
 * communities' statistics (table and one SVG bar group per community, with drill-down and never
 * above its town) and a clear message when it reaches outside; the district administrator sees
 * both towns side by side, issues and revokes an organiser token and adds an org; the wall's
 * town and community filters show only that subtree's wishes.
 */
@Timeout(180)
class OrgPagesIT {

    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    private static final String[] ROW_STATS = {"units", "claimed", "fulfilled", "confirmed", "expired"};

    @TempDir
    static Path tmp;

    private static EngineHarness harness;

    @BeforeAll
    static void startEngineAndDistrict() throws Exception {
        harness = EngineHarness.start(tmp);
        addOrg("district", "金山区", null);
        addOrg("town-north", "北镇", "district");
        addOrg("town-south", "南镇", "district");
        addOrg("com-n1", "东村", "town-north");
        addOrg("com-n2", "西村", "town-north");
        addOrg("com-s1", "南一村", "town-south");
        addOrg("com-s2", "南二村", "town-south");
        publish("cn1", "com-n1", "n1w");
        publish("cn2", "com-n2", "n2w");
        publish("cs1", "com-s1", "s1w");
        // com-n1: one confirmed and one still claimed; com-n2: one delivered; com-s1: one claimed.
        String a = claim("alice", "n1w1");
        claim("bob", "n1w1");
        String c = claim("carol", "n2w1");
        claim("alice", "s1w1");
        expect(200, harness.post("/api/claims/" + a + "/fulfil", ADMIN, null));
        expect(200, harness.post("/api/claims/" + a + "/confirm", ADMIN, "{\"rating\":5}"));
        expect(200, harness.post("/api/claims/" + c + "/fulfil", ADMIN, null));
    }

    @AfterAll
    static void stopEngine() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldScopeTheOrganiserPageToATownAndShowTheDistrictBothTowns() throws Exception {
        ChromeDriver page = null;
        try {
            page = browser(tmp, "organiser", 1280, 1000);
            page.get(url("/admin"));
            waitReady(page);
            page.findElement(By.id("lang-en")).click();
            String north = new TokenMinter(EngineHarness.TOKEN_SECRET).mintOrganiser("town-north", Duration.ofDays(1)).token();
            signIn(page, north, "organiser");
            assertEquals("Organiser of 北镇 (town-north)", page.findElement(By.id("whoami")).getText());

            // Only the town's campaigns, and publishing only under its subtree.
            waitFor(page).until(d -> List.of("cn1", "cn2").equals(sorted(d,
                    "#campaign-rows tr[data-campaign-id]", "data-campaign-id")));
            assertEquals(List.of("com-n1", "com-n2", "town-north"),
                    sorted(page, "#c-org option", "value"), "the publishing form offers the town's subtree only");
            assertTrue(page.findElement(By.id("c-org-field")).isDisplayed());
            assertFalse(page.findElement(By.id("stats-all")).isDisplayed(), "a town does not see the district's totals");

            // Its communities' breakdown: the table and one bar group per community, with the API's numbers.
            assertBreakdown(page, "town-north", List.of("com-n1", "com-n2"));
            JsonNode n1 = childStats("town-north", "com-n1");
            assertEquals(5, n1.get("units").asInt());
            assertEquals(1, n1.get("confirmed").asInt());
            assertEquals(1, n1.get("claimed").asInt());
            assertEquals("100.0%", cell(page, "com-n1", "satisfaction"));
            assertEquals(String.valueOf(stats("town-north").get("units").asInt()),
                    page.findElement(By.cssSelector("#org-totals [data-stat=units] dd")).getText());
            saveScreenshot(page, "org-page-town.png");

            // Drill down into a community through its bar, and back up; never above the town.
            page.findElement(By.cssSelector("#org-chart g.bar-group[data-org=com-n1]")).click();
            waitFor(page).until(ExpectedConditions.attributeToBe(By.id("org-stats"), "data-view", "com-n1"));
            waitFor(page).until(ExpectedConditions.textToBe(By.cssSelector("#org-rows tr[data-empty] td"), "No sub-organisations."));
            assertEquals(List.of("town-north"), sorted(page, "#org-crumbs button[data-org]", "data-org"),
                    "the trail starts at the organiser's own town");
            page.findElement(By.cssSelector("#org-crumbs button[data-org=town-north]")).click();
            waitFor(page).until(ExpectedConditions.attributeToBe(By.id("org-stats"), "data-view", "town-north"));

            // Reaching outside the scope (another town's ledger) is refused with words, not a blank table.
            js(page, "var s = document.getElementById('claims-campaign');"
                    + "s.appendChild(new Option('cs1', 'cs1')); s.value = 'cs1'; s.dispatchEvent(new Event('change'));");
            waitFor(page).until(ExpectedConditions.textToBe(By.id("claims-msg"), "That is outside your organisation’s scope."));

            // The district administrator: both towns side by side, every campaign.
            page.findElement(By.id("admin-token-forget")).click();
            signIn(page, ADMIN, "administrator");
            assertEquals("District administrator", page.findElement(By.id("whoami")).getText());
            assertBreakdown(page, "district", List.of("town-north", "town-south"));
            waitFor(page).until(d -> List.of("cn1", "cn2", "cs1").equals(sorted(d,
                    "#campaign-rows tr[data-campaign-id]", "data-campaign-id")));
            assertTrue(page.findElement(By.id("stats-all")).isDisplayed());
            saveScreenshot(page, "org-page-district.png");

            issueAndRevokeAToken(page);
            addAnOrgAndRefuseATakenId(page);
            String errors = consoleErrors(page);
            assertTrue(errors.lines().allMatch(l -> l.contains(" 403 ") || l.contains(" 409 ")), errors);
        } finally {
            quit(page);
        }
    }

    @Test
    void shouldFilterTheWallByTownAndCommunity() throws Exception {
        ChromeDriver phone = null;
        try {
            phone = browser(tmp, "wall", 390, 844);
            phone.get(url("/"));
            waitReady(phone);
            phone.findElement(By.id("lang-en")).click();
            waitFor(phone).until(d -> visibleWishes(d).size() == 6);
            phone.findElement(By.id("filters-toggle")).click();
            waitFor(phone).until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-town")));
            assertEquals(List.of("", "town-north", "town-south"), sorted(phone, "#filter-town option", "value"));

            new Select(phone.findElement(By.id("filter-town"))).selectByValue("town-north");
            waitFor(phone).until(d -> List.of("n1w1", "n1w2", "n2w1", "n2w2").equals(visibleWishes(d)));
            assertEquals(List.of("", "com-n1", "com-n2"), sorted(phone, "#filter-community option", "value"));

            new Select(phone.findElement(By.id("filter-community"))).selectByValue("com-n2");
            waitFor(phone).until(d -> List.of("n2w1", "n2w2").equals(visibleWishes(d)));
            waitFor(phone).until(ExpectedConditions.textToBe(By.id("result-count"), "Showing 2 of 6 wishes"));

            new Select(phone.findElement(By.id("filter-town"))).selectByValue("town-south");
            waitFor(phone).until(d -> List.of("s1w1", "s1w2").equals(visibleWishes(d)));
            assertTrue(sorted(phone, "#filter-community option", "value").containsAll(List.of("com-s1", "com-s2")),
                    "the community select follows the town");
            assertFalse(sorted(phone, "#filter-community option", "value").contains("com-n1"));
            saveScreenshot(phone, "wall-town-filter-phone.png");
        } finally {
            quit(phone);
        }
    }

    // ------------------------------------------------------------------ the organiser page

    private static void signIn(WebDriver page, String token, String role) {
        page.findElement(By.id("admin-token")).clear();
        page.findElement(By.id("admin-token")).sendKeys(token);
        page.findElement(By.id("admin-token-save")).click();
        waitFor(page).until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-org-role", role));
        waitFor(page).until(d -> !d.findElement(By.id("whoami")).getText().isEmpty());
    }

    /** The statistics of org: one table row and one bar group per child, each number as the API says. */
    private static void assertBreakdown(WebDriver page, String org, List<String> children) throws Exception {
        waitFor(page).until(ExpectedConditions.attributeToBe(By.id("org-stats"), "data-view", org));
        waitFor(page).until(d -> children.equals(sorted(d, "#org-rows tr[data-org]", "data-org")));
        assertEquals(children, sorted(page, "#org-chart svg g.bar-group", "data-org"));
        for (String child : children) {
            JsonNode expected = childStats(org, child);
            for (String stat : ROW_STATS) {
                String want = expected.get(stat).asText();
                waitFor(page).until(d -> want.equals(cell(d, child, stat)));
                String bar = "#org-chart g.bar-group[data-org=" + child + "] rect[data-series=" + stat + "]";
                if (!"expired".equals(stat)) {
                    assertEquals(want, page.findElement(By.cssSelector(bar)).getAttribute("data-value"), child + " " + stat);
                }
            }
        }
    }

    private static String cell(WebDriver page, String org, String stat) {
        return page.findElement(By.cssSelector("#org-rows tr[data-org=" + org + "] td[data-stat=" + stat + "]")).getText();
    }

    private static void issueAndRevokeAToken(WebDriver page) throws Exception {
        page.findElement(By.cssSelector("#org-tree [data-action=issue-token][data-org=com-s1]")).click();
        waitFor(page).until(ExpectedConditions.attributeToBe(By.id("issued"), "data-org", "com-s1"));
        String token = page.findElement(By.id("issued-token")).getAttribute("value");
        String jti = page.findElement(By.id("issued-jti")).getAttribute("data-jti");
        HttpResponse<String> who = expect(200, harness.get("/api/admin/whoami", token));
        assertEquals("com-s1", json(who).get("org").asText());

        page.findElement(By.id("revoke-jti")).sendKeys(jti);
        page.findElement(By.id("revoke-submit")).click();
        waitFor(page).until(ExpectedConditions.textToBe(By.id("orgs-msg"),
                "Token " + jti + " is revoked; every engine refuses it within about a second."));
        await("the revoked token refused", Duration.ofSeconds(5),
                () -> status(() -> harness.get("/api/admin/whoami", token)) == 401);
    }

    private static void addAnOrgAndRefuseATakenId(WebDriver page) throws Exception {
        new Select(page.findElement(By.id("org-add-parent"))).selectByValue("town-south");
        page.findElement(By.id("org-add-id")).sendKeys("com-s3");
        page.findElement(By.id("org-add-name")).sendKeys("南三村");
        page.findElement(By.id("org-add-submit")).click();
        waitFor(page).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#org-tree li[data-org=com-s3]")));
        JsonNode orgs = json(expect(200, harness.get("/api/orgs", null))).get("orgs");
        boolean added = false;
        for (JsonNode o : orgs) {
            added |= "com-s3".equals(o.get("id").asText()) && "town-south".equals(o.get("parent").asText());
        }
        assertTrue(added, orgs.toString());

        page.findElement(By.id("org-add-id")).sendKeys("com-s1");
        page.findElement(By.id("org-add-name")).sendKeys("Again");
        page.findElement(By.id("org-add-submit")).click();
        waitFor(page).until(ExpectedConditions.textToBe(By.id("orgs-msg"), "The id \"com-s1\" is already taken; choose another one."));
    }

    // ------------------------------------------------------------------ the wall

    private static List<String> visibleWishes(WebDriver page) {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) js(page, "return Array.from(document.querySelectorAll('article.wish'))"
                + ".filter(function (a) { return !a.hidden && !a.closest('section').hidden; })"
                + ".map(function (a) { return a.getAttribute('data-wish-id'); }).sort();");
        return ids;
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> sorted(WebDriver page, String css, String attribute) {
        return page.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute(attribute))
                .filter(Objects::nonNull).sorted().toList();
    }

    private static JsonNode stats(String org) throws Exception {
        return json(expect(200, harness.get("/api/stats?org=" + org, null)));
    }

    private static JsonNode childStats(String org, String child) throws Exception {
        for (JsonNode row : stats(org).get("children")) {
            if (child.equals(row.get("org").asText())) {
                return row;
            }
        }
        throw new AssertionError(child + " is not a child of " + org);
    }

    private static void addOrg(String id, String name, String parent) throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("id", id).put("name", name);
        if (parent != null) {
            body.put("parent", parent);
        }
        expect(201, harness.post("/api/orgs", ADMIN, body.toString()));
    }

    private static void publish(String id, String org, String wishPrefix) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(campaignBody(id, 2, wishPrefix, List.of(3, 2)));
        body.put("org", org);
        expect(201, harness.post("/api/campaigns", ADMIN, body.toString()));
    }

    private static String claim(String user, String wishId) throws Exception {
        return json(expect(201, harness.post("/api/wishes/" + wishId + "/claims", harness.userToken(user), null)))
                .get("id").asText();
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), () -> response.uri() + " -> " + response.body());
        return response;
    }

    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    private static int status(Call call) {
        try {
            return call.send().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String url(String path) {
        return harness.uri(path).toString();
    }
}
