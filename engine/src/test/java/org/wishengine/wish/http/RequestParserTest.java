package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignRules;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.WishSpec;

class RequestParserTest {

    private static final long NOW = Instant.parse("2026-11-28T10:00:00Z").toEpochMilli();
    private static final String WISH = "{\"title\":\"A radio\"}";

    private final RequestParser parser = new RequestParser();

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private Campaign campaign(String json) throws BadRequest {
        return parser.campaign(body(json), NOW);
    }

    private BadRequest campaignRefused(String json) {
        return assertThrows(BadRequest.class, () -> campaign(json), () -> "should refuse " + json);
    }

    private BadRequest confirmationRefused(String json) {
        return assertThrows(BadRequest.class, () -> parser.confirmation(body(json)), () -> "should refuse " + json);
    }

    // ------------------------------------------------------------------ the organiser tree

    @Test
    void shouldReadTheOrgOfACampaign() throws BadRequest {
        assertEquals("town-zhujing", campaign("{\"title\":\"T\",\"org\":\"town-zhujing\",\"wishes\":[" + WISH + "]}").org());
        assertNull(campaign("{\"title\":\"T\",\"org\":null,\"wishes\":[" + WISH + "]}").org());
        assertEquals("org", campaignRefused("{\"title\":\"T\",\"org\":\"no spaces\",\"wishes\":[" + WISH + "]}").field());
        assertEquals("org", campaignRefused("{\"title\":\"T\",\"org\":7,\"wishes\":[" + WISH + "]}").field());
    }

    @Test
    void shouldReadANewOrgAndARename() throws BadRequest {
        assertEquals(new Org("town-zhujing", "朱泾镇", "district"),
                parser.org(body("{\"id\":\"town-zhujing\",\"name\":\"朱泾镇\",\"parent\":\"district\"}")));
        assertEquals(new Org("district", "District", null), parser.org(body("{\"id\":\"district\",\"name\":\"District\"}")));
        assertEquals("Zhujing", parser.orgName(body("{\"name\":\"Zhujing\"}")));
        for (String[] refused : new String[][] {
                {"{\"name\":\"A\"}", "id"},
                {"{\"id\":\"a b\",\"name\":\"A\"}", "id"},
                {"{\"id\":\"" + "x".repeat(65) + "\",\"name\":\"A\"}", "id"},
                {"{\"id\":\"a\"}", "name"},
                {"{\"id\":\"a\",\"name\":\"  \"}", "name"},
                {"{\"id\":\"a\",\"name\":\"" + "n".repeat(Org.MAX_NAME + 1) + "\"}", "name"},
                {"{\"id\":\"a\",\"name\":\"A\",\"parent\":\"p/q\"}", "parent"}}) {
            BadRequest e = assertThrows(BadRequest.class, () -> parser.org(body(refused[0])), refused[0]);
            assertEquals(refused[1], e.field(), refused[0]);
        }
        assertEquals("name", assertThrows(BadRequest.class, () -> parser.orgName(body("{\"name\":3}"))).field());
    }

    @Test
    void shouldReadAWholeTreeNamingTheFieldAtFault() throws BadRequest {
        assertEquals(java.util.List.of(new Org("c1", "C1", "t1"), new Org("t1", "T1", null, true)),
                parser.orgs(body("{\"orgs\":[{\"id\":\"c1\",\"name\":\"C1\",\"parent\":\"t1\"},"
                        + "{\"id\":\"t1\",\"name\":\"T1\",\"retired\":true}]}")));
        assertEquals("orgs", assertThrows(BadRequest.class, () -> parser.orgs(body("{\"orgs\":[]}"))).field());
        assertEquals("orgs[1].name", assertThrows(BadRequest.class, () -> parser.orgs(body(
                "{\"orgs\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\"}]}"))).field());
        assertEquals("orgs[0].retired", assertThrows(BadRequest.class, () -> parser.orgs(body(
                "{\"orgs\":[{\"id\":\"a\",\"name\":\"A\",\"retired\":\"yes\"}]}"))).field());
    }

    // ------------------------------------------------------------------ defaults

    @Test
    void shouldApplyDefaultsToAMinimalCampaign() throws BadRequest {
        Campaign campaign = campaign("{\"title\":\"Winter warmth\",\"wishes\":[" + WISH + "]}");
        assertNull(campaign.id(), "the engine assigns the id");
        assertEquals("Winter warmth", campaign.title());
        assertEquals(NOW, campaign.opensAt(), "opensAt defaults to now");
        assertEquals(1, campaign.perUserLimit());
        assertEquals(168, campaign.fulfilWithinHours());
        assertEquals(0, campaign.createdAt(), "the book stamps createdAt");
        assertEquals(1, campaign.wishes().size());
        WishSpec wish = campaign.wishes().get(0);
        assertNull(wish.id());
        assertEquals("A radio", wish.title());
        assertEquals(1, wish.quantity(), "quantity defaults to 1");
        assertNull(wish.category());
        assertNull(wish.location());
        assertNull(wish.beneficiary());
        assertNull(wish.description());
    }

    @Test
    void shouldTreatExplicitNullsAsDefaults() throws BadRequest {
        Campaign campaign = campaign("{\"id\":null,\"title\":\"T\",\"opensAt\":null,\"perUserLimit\":null,"
                + "\"fulfilWithinHours\":null,\"wishes\":[{\"id\":null,\"title\":\"W\",\"quantity\":null,"
                + "\"category\":null}]}");
        assertNull(campaign.id());
        assertEquals(NOW, campaign.opensAt());
        assertEquals(1, campaign.perUserLimit());
        assertEquals(168, campaign.fulfilWithinHours());
        assertEquals(1, campaign.wishes().get(0).quantity());
        assertNull(campaign.wishes().get(0).category());
    }

    @Test
    void shouldReadEveryFieldOfAFullCampaign() throws BadRequest {
        Campaign campaign = campaign("{\"id\":\"c-2026-12\",\"title\":\"Winter warmth\","
                + "\"opensAt\":\"2026-12-01T02:00:00Z\",\"perUserLimit\":3,\"fulfilWithinHours\":48,"
                + "\"unknownField\":true,"
                + "\"wishes\":[{\"id\":\"w-001\",\"title\":\"A radio for Grandma Wang\",\"quantity\":1,"
                + "\"category\":\"elderly\",\"location\":\"Zhujing/Dongxing\",\"beneficiary\":\"Grandma Wang, 82\","
                + "\"description\":\"...\"},{\"id\":\"w-002\",\"title\":\"School bags\",\"quantity\":100000}]}");
        assertEquals("c-2026-12", campaign.id());
        assertEquals(Instant.parse("2026-12-01T02:00:00Z").toEpochMilli(), campaign.opensAt());
        assertEquals(3, campaign.perUserLimit());
        assertEquals(48, campaign.fulfilWithinHours());
        assertEquals(new WishSpec("w-001", "A radio for Grandma Wang", 1, "elderly", "Zhujing/Dongxing",
                "Grandma Wang, 82", "..."), campaign.wishes().get(0));
        assertEquals(new WishSpec("w-002", "School bags", 100_000, null, null, null, null),
                campaign.wishes().get(1));
        assertEquals(100_001, campaign.units());
    }

    @Test
    void shouldAcceptIdsAtTheEdgesOfTheirAlphabetAndLength() throws BadRequest {
        String longest = "Az09_-" + "x".repeat(58);
        Campaign campaign = campaign("{\"id\":\"" + longest + "\",\"title\":\"T\",\"wishes\":[{\"id\":\"a\","
                + "\"title\":\"W\"}]}");
        assertEquals(64, campaign.id().length());
        assertEquals("a", campaign.wishes().get(0).id());
    }

    @ParameterizedTest(name = "opensAt {0} is accepted")
    @ValueSource(strings = {"2000-01-01T00:00:00Z", "2000-01-01T08:00:00+08:00", "9999-12-31T23:59:59.999Z"})
    void shouldAcceptOpensAtAtTheEdgesOfItsRange(String opensAt) throws BadRequest {
        Campaign campaign = campaign("{\"title\":\"T\",\"opensAt\":\"" + opensAt + "\",\"wishes\":[" + WISH + "]}");
        assertEquals(Instant.parse(opensAt).toEpochMilli(), campaign.opensAt());
    }

    @ParameterizedTest(name = "opensAt {0} is out of range")
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
        "1999-12-31T23:59:59.999Z", "2000-01-01T08:00:00+08:01", "+10000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9991Z"})
    void shouldRefuseOpensAtOutsideItsRangeSayingTheRange(String opensAt) {
        // The first two once escaped as an ArithmeticException from toEpochMilli; epoch 0 would
        // be stored but vanish from every view, where 0 stands for "no instant".
        BadRequest refused = campaignRefused(
                "{\"title\":\"T\",\"opensAt\":\"" + opensAt + "\",\"wishes\":[" + WISH + "]}");
        assertEquals("opensAt", refused.field());
        assertTrue(refused.getMessage().contains("2000-01-01T00:00:00Z")
                && refused.getMessage().contains("9999-12-31T23:59:59.999Z"), refused::getMessage);
    }

    // ------------------------------------------------------------------ fair start

    @Test
    void shouldGiveAFairStartCampaignAFreshSeedFromItsSource() throws BadRequest {
        byte[] fill = new byte[32];
        java.util.Arrays.fill(fill, (byte) 7);
        RequestParser seeded = new RequestParser(bytes -> System.arraycopy(fill, 0, bytes, 0, bytes.length));
        Campaign campaign = seeded.campaign(body("{\"title\":\"T\",\"fairStart\":{\"windowSeconds\":10},"
                + "\"wishes\":[" + WISH + "]}"), NOW);
        assertEquals(10, campaign.fairStart().windowSeconds());
        assertEquals(org.wishengine.wish.core.DrawSeed.of(fill), campaign.fairStart().seed());
        assertEquals(NOW + 10_000, campaign.drawAt(), "opensAt defaults to now, the draw to the window's end");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"fairStart\":null,", "\"fairStart\":{\"windowSeconds\":0},", "\"fairStart\":{},", ""})
    void shouldTreatAnAbsentOrZeroWindowAsAPlainGrab(String fairStart) throws BadRequest {
        assertEquals(null, campaign("{\"title\":\"T\"," + fairStart + "\"wishes\":[" + WISH + "]}").fairStart());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"windowSeconds\":3601}", "{\"windowSeconds\":-1}", "{\"windowSeconds\":\"10\"}",
            "{\"windowSeconds\":1.5}"})
    void shouldNameTheWindowWhenItIsOutOfRange(String fairStart) {
        BadRequest refused = campaignRefused("{\"title\":\"T\",\"fairStart\":" + fairStart + ",\"wishes\":[" + WISH + "]}");
        assertEquals("fairStart.windowSeconds", refused.field());
        assertTrue(refused.getMessage().contains("0 to 3600"), refused::getMessage);
    }

    @Test
    void shouldRefuseAFairStartThatIsNotAnObject() {
        assertEquals("fairStart", campaignRefused("{\"title\":\"T\",\"fairStart\":10,\"wishes\":[" + WISH + "]}").field());
    }

    // ------------------------------------------------------------------ campaign errors

    @ParameterizedTest(name = "{1} <- {0}")
    @MethodSource("badCampaigns")
    void shouldNameTheFieldOfEachCampaignError(String json, String field) {
        assertEquals(field, campaignRefused(json).field());
    }

    static Stream<Arguments> badCampaigns() {
        String w = "\"wishes\":[" + WISH + "]";
        String t = "\"title\":\"T\",";
        return Stream.of(
                // title
                Arguments.of("{" + w + "}", "title"),
                Arguments.of("{\"title\":null," + w + "}", "title"),
                Arguments.of("{\"title\":\"  \"," + w + "}", "title"),
                Arguments.of("{\"title\":42," + w + "}", "title"),
                Arguments.of("{\"title\":\"" + "x".repeat(2001) + "\"," + w + "}", "title"),
                // wishes
                Arguments.of("{" + t.substring(0, t.length() - 1) + "}", "wishes"),
                Arguments.of("{" + t + "\"wishes\":[]}", "wishes"),
                Arguments.of("{" + t + "\"wishes\":null}", "wishes"),
                Arguments.of("{" + t + "\"wishes\":{}}", "wishes"),
                Arguments.of("{" + t + "\"wishes\":\"radio\"}", "wishes"),
                // ids
                Arguments.of("{\"id\":\"" + "a".repeat(65) + "\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":\"a b\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":\"é\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":\"\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":\"a/b\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":\"a.b\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":\"abc\\n\"," + t + w + "}", "id"),
                Arguments.of("{\"id\":7," + t + w + "}", "id"),
                // opensAt
                Arguments.of("{" + t + "\"opensAt\":\"tomorrow\"," + w + "}", "opensAt"),
                Arguments.of("{" + t + "\"opensAt\":\"2026-12-01\"," + w + "}", "opensAt"),
                Arguments.of("{" + t + "\"opensAt\":\"2026-13-01T02:00:00Z\"," + w + "}", "opensAt"),
                Arguments.of("{" + t + "\"opensAt\":1764554400000," + w + "}", "opensAt"),
                Arguments.of("{" + t + "\"opensAt\":true," + w + "}", "opensAt"),
                // perUserLimit
                Arguments.of("{" + t + "\"perUserLimit\":0," + w + "}", "perUserLimit"),
                Arguments.of("{" + t + "\"perUserLimit\":-1," + w + "}", "perUserLimit"),
                Arguments.of("{" + t + "\"perUserLimit\":1001," + w + "}", "perUserLimit"),
                Arguments.of("{" + t + "\"perUserLimit\":\"1\"," + w + "}", "perUserLimit"),
                Arguments.of("{" + t + "\"perUserLimit\":1.5," + w + "}", "perUserLimit"),
                Arguments.of("{" + t + "\"perUserLimit\":4294967297," + w + "}", "perUserLimit"),
                // fulfilWithinHours
                Arguments.of("{" + t + "\"fulfilWithinHours\":0," + w + "}", "fulfilWithinHours"),
                Arguments.of("{" + t + "\"fulfilWithinHours\":8785," + w + "}", "fulfilWithinHours"),
                Arguments.of("{" + t + "\"fulfilWithinHours\":\"168\"," + w + "}", "fulfilWithinHours"));
    }

    @ParameterizedTest(name = "{1} <- {0}")
    @MethodSource("badWishes")
    void shouldNameTheIndexedFieldOfEachWishError(String wishes, String field) {
        assertEquals(field, campaignRefused("{\"title\":\"T\",\"wishes\":[" + wishes + "]}").field());
    }

    static Stream<Arguments> badWishes() {
        return Stream.of(
                Arguments.of(WISH + ",{\"title\":\"W\",\"quantity\":0}", "wishes[1].quantity"),
                Arguments.of(WISH + ",{\"title\":\"W\",\"quantity\":100001}", "wishes[1].quantity"),
                Arguments.of(WISH + ",{\"title\":\"W\",\"quantity\":\"3\"}", "wishes[1].quantity"),
                Arguments.of("{\"title\":\"W\",\"quantity\":-1}", "wishes[0].quantity"),
                Arguments.of("{\"title\":\"W\",\"quantity\":2.5}", "wishes[0].quantity"),
                Arguments.of("{\"title\":\"W\",\"quantity\":true}", "wishes[0].quantity"),
                Arguments.of("{\"title\":\"W\",\"quantity\":99999999999999999999}", "wishes[0].quantity"),
                Arguments.of("{\"quantity\":1}", "wishes[0].title"),
                Arguments.of(WISH + "," + WISH + ",{\"title\":\"\"}", "wishes[2].title"),
                Arguments.of("{\"title\":[\"W\"]}", "wishes[0].title"),
                Arguments.of("{\"id\":\"" + "w".repeat(65) + "\",\"title\":\"W\"}", "wishes[0].id"),
                Arguments.of(WISH + ",{\"id\":\"a b\",\"title\":\"W\"}", "wishes[1].id"),
                Arguments.of("{\"id\":\"é\",\"title\":\"W\"}", "wishes[0].id"),
                Arguments.of("{\"title\":\"W\",\"category\":1}", "wishes[0].category"),
                Arguments.of("{\"title\":\"W\",\"location\":{}}", "wishes[0].location"),
                Arguments.of("{\"title\":\"W\",\"beneficiary\":false}", "wishes[0].beneficiary"),
                Arguments.of("{\"title\":\"W\",\"description\":\"" + "d".repeat(2001) + "\"}",
                        "wishes[0].description"),
                Arguments.of(WISH + ",\"radio\"", "wishes[1]"),
                Arguments.of("null", "wishes[0]"),
                Arguments.of("[" + WISH + "]", "wishes[0]"));
    }

    @Test
    void shouldReportTheFirstBadWishByIndex() {
        BadRequest refused = campaignRefused("{\"title\":\"T\",\"wishes\":[" + WISH
                + ",{\"title\":\"W\",\"quantity\":0},{\"title\":\"\"}]}");
        assertEquals("wishes[1].quantity", refused.field());
        assertTrue(refused.getMessage().contains("quantity"), refused.getMessage());
    }

    @Test
    void shouldRefuseMoreThanTheMaximumNumberOfWishes() {
        StringBuilder json = new StringBuilder("{\"title\":\"T\",\"wishes\":[");
        for (int i = 0; i <= CampaignRules.MAX_WISHES; i++) {
            json.append(i == 0 ? "" : ",").append(WISH);
        }
        assertEquals("wishes", campaignRefused(json.append("]}").toString()).field());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "   ", "{", "{\"title\":", "{'title':'T'}", "{\"title\":\"T\",}", "nonsense"})
    void shouldRefuseMalformedJsonWithoutAField(String json) {
        BadRequest refused = campaignRefused(json);
        assertNull(refused.field());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "[{\"title\":\"T\"}]", "\"campaign\"", "42", "true", "null"})
    void shouldRefuseJsonThatIsNotAnObjectWithoutAField(String json) {
        BadRequest refused = campaignRefused(json);
        assertNull(refused.field());
        assertEquals("the body must be a JSON object", refused.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {" trailing", " {}", ",", "]"})
    void shouldRefuseTrailingContentAfterACompleteCampaignAsMalformedJson(String trailing) {
        // A body is one JSON value; "{...} garbage" is malformed JSON, not a campaign.
        BadRequest refused = campaignRefused("{\"title\":\"T\",\"wishes\":[" + WISH + "]}" + trailing);
        assertNull(refused.field());
    }

    @Test
    void shouldExplainMalformedJsonInTheMessage() {
        assertTrue(campaignRefused("{").getMessage().startsWith("malformed JSON"));
    }

    // ------------------------------------------------------------------ confirmation

    @ParameterizedTest(name = "rating {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void shouldAcceptEveryRatingFromOneToFive(int rating) throws BadRequest {
        RequestParser.Confirmation confirmation = parser.confirmation(body("{\"rating\":" + rating + "}"));
        assertEquals(rating, confirmation.rating());
        assertNull(confirmation.comment());
    }

    @Test
    void shouldKeepTheConfirmationComment() throws BadRequest {
        RequestParser.Confirmation confirmation = parser.confirmation(
                body("{\"rating\":4,\"comment\":\"Grandma loves it\"}"));
        assertEquals(new RequestParser.Confirmation(4, "Grandma loves it"), confirmation);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "{\"rating\":0}", "{\"rating\":6}", "{\"rating\":-1}", "{\"rating\":\"5\"}",
        "{\"rating\":4.5}", "{\"rating\":5.0}", "{\"rating\":null}", "{\"rating\":true}",
        "{\"rating\":4294967300}", "{\"comment\":\"no rating\"}"})
    void shouldNameRatingForEveryBadRating(String json) {
        assertEquals("rating", confirmationRefused(json).field());
    }

    @Test
    void shouldNameCommentWhenItIsNotAShortString() {
        assertEquals("comment", confirmationRefused("{\"rating\":5,\"comment\":5}").field());
        assertEquals("comment", confirmationRefused("{\"rating\":5,\"comment\":\"" + "c".repeat(2001) + "\"}")
                .field());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "{", "[5]", "5"})
    void shouldRefuseAConfirmationThatIsNotAJsonObject(String json) {
        assertNull(confirmationRefused(json).field());
    }
}
