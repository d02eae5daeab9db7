package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.WishSpec;

/**
 * A cluster node refuses what it cannot do with the organiser tree yet, before anything reaches
 * the directory or the ring: tree edits and audit reads (503 {@code not_supported}) and campaigns
 * with an org (400).
 */
class ClusterOrgRefusalTest {

    /** No directory and no peers: a refusal must not need them. */
    private final ClusterRouter router = new ClusterRouter(null, null);

    @Test
    void shouldAnswer503ToEveryEditOfTheTree() throws Exception {
        for (Command edit : List.of(new Command.CreateOrg("town", "Town", null, null, 1),
                new Command.RenameOrg("town", "Town", null, 1), new Command.RetireOrg("town", null, 1),
                new Command.LoadOrgs(List.of(new Org("town", "Town", null)), null, 1))) {
            FullHttpResponse response = answer(edit);
            assertEquals(503, response.status().code(), edit.toString());
            assertFalse(response.headers().contains(HttpHeaderNames.RETRY_AFTER), "retrying does not help");
            JsonNode body = body(response);
            assertEquals("not_supported", body.get("error").asText());
            assertEquals("the organiser tree is not yet supported on a Redis Cluster", body.get("message").asText());
        }
    }

    @Test
    void shouldRefuseACampaignWithAnOrgWith400() throws Exception {
        Campaign draft = new Campaign(null, "T", 0, 1, 24, 0, List.of(new WishSpec(null, "W", 1, null, null, null, null)),
                null, "town");
        JsonNode body = body(answer(new Command.CreateCampaign(draft, 1, 0, null)));
        assertEquals("invalid_request", body.get("error").asText());
        assertEquals("org", body.get("field").asText());
    }

    @Test
    void shouldAnswer503ToAuditReads() throws Exception {
        Endpoints onCluster = new Endpoints(null, null, null, null, null,
                new org.wishengine.wish.auth.TokenMinter("cluster-refusal-test-secret-0123456789"),
                new java.util.concurrent.atomic.AtomicReference<>(), new java.util.concurrent.atomic.AtomicReference<>(),
                () -> true);
        ApiRequest request = new ApiRequest(null, Route.AUDIT, null, new QueryStringDecoder("/api/audit?org=town"),
                Actor.organiser("town"), 1, 0, "127.0.0.1", UnpooledByteBufAllocator.DEFAULT);
        FullHttpResponse response = ((Action.Respond) onCluster.of(Route.AUDIT).handle(request)).response();
        assertEquals(503, response.status().code());
        assertFalse(response.headers().contains(HttpHeaderNames.RETRY_AFTER), "retrying does not help");
        JsonNode body = body(response);
        assertEquals("not_supported", body.get("error").asText());
        assertEquals("the audit trail is not yet supported on a Redis Cluster", body.get("message").asText());
    }

    private FullHttpResponse answer(Command command) {
        ApiRequest request = new ApiRequest(null, Route.CREATE_ORG, null, new QueryStringDecoder("/api/orgs"),
                Actor.ORGANISER, 1, 0, "127.0.0.1", UnpooledByteBufAllocator.DEFAULT);
        return ((Action.Respond) router.place(new Action.Publish(command), request)).response();
    }

    private static JsonNode body(FullHttpResponse response) throws Exception {
        try {
            return new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }
}
