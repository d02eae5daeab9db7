package org.wishengine.wish.http;

import java.util.Map;
import org.wishengine.wish.core.Command;

/** Campaigns: list, one, publish (organiser), its claim ledger (organiser), its fair-start draw, and the totals. */
final class CampaignEndpoints {

    private CampaignEndpoints() {
    }

    static void register(Map<Route, Endpoint> endpoints) {
        endpoints.put(Route.LIST_CAMPAIGNS, r -> new Action.Publish(new Command.ListCampaigns(r.now())));
        endpoints.put(Route.GET_CAMPAIGN, r -> new Action.Publish(new Command.GetCampaign(r.id(), r.now())));
        endpoints.put(Route.CREATE_CAMPAIGN,
                r -> new Action.Publish(new Command.CreateCampaign(ApiContext.PARSER.campaign(r.body(), r.now()), r.now())));
        endpoints.put(Route.CAMPAIGN_CLAIMS, r -> new Action.Publish(new Command.CampaignClaims(r.id(), r.now()),
                "csv".equalsIgnoreCase(r.param("format"))));
        endpoints.put(Route.CAMPAIGN_DRAW, r -> new Action.Publish(new Command.GetDraw(r.id(), r.now())));
        endpoints.put(Route.STATS, r -> new Action.Publish(new Command.GetStats(r.param("campaign"), r.now())));
    }
}
