package org.wishengine.wish.http;

import java.util.Map;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Command;

/**
 * Campaigns: list, one, publish (organiser), its claim ledger (organiser), its fair-start draw, and
 * the totals (of the district, a campaign, or an org's subtree).
 */
final class CampaignEndpoints {

    private CampaignEndpoints() {
    }

    static void register(Map<Route, Endpoint> endpoints) {
        endpoints.put(Route.LIST_CAMPAIGNS, r -> new Action.Publish(new Command.ListCampaigns(r.now())));
        endpoints.put(Route.GET_CAMPAIGN, r -> new Action.Publish(new Command.GetCampaign(r.id(), r.now())));
        // Organiser routes act within the token's org (null: the district administrator).
        endpoints.put(Route.CREATE_CAMPAIGN, CampaignEndpoints::create);
        endpoints.put(Route.CAMPAIGN_CLAIMS, r -> new Action.Publish(
                new Command.CampaignClaims(r.id(), r.actor().org(), r.now()), "csv".equalsIgnoreCase(r.param("format"))));
        endpoints.put(Route.CAMPAIGN_DRAW, r -> new Action.Publish(new Command.GetDraw(r.id(), r.now())));
        endpoints.put(Route.STATS, CampaignEndpoints::stats);
    }

    /**
     * {@code POST /api/campaigns}: a scoped organiser's campaign without {@code org} is published
     * under the token's own org (only the administrator publishes campaigns of no org).
     */
    private static Action create(ApiRequest r) throws BadRequest {
        Campaign draft = ApiContext.PARSER.campaign(r.body(), r.now());
        String scope = r.actor().org();
        if (draft.org() == null && scope != null) {
            draft = draft.withOrg(scope);
        }
        return new Action.Publish(new Command.CreateCampaign(draft, r.now(), 0, scope));
    }

    /**
     * {@code GET /api/stats}: public, like the wall. {@code ?campaign=} one campaign's totals,
     * {@code ?org=} an org's subtree with one row per child org, neither: the whole district.
     */
    private static Action stats(ApiRequest r) throws BadRequest {
        String org = r.param("org");
        if (org == null) {
            return new Action.Publish(new Command.GetStats(r.param("campaign"), r.now()));
        }
        if (r.param("campaign") != null) {
            throw new BadRequest("org", "ask for the statistics of a campaign or of an org, not both");
        }
        return new Action.Publish(new Command.OrgStats(org, null, r.now()));
    }
}
