package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.wishengine.wish.core.CampaignRules;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Org;

/**
 * The organiser tree (API.md section 6.17): the public listing, and the edits an organiser makes
 * within its token's org (the district administrator anywhere; loading a whole tree is the
 * administrator's alone). The book decides scope, parents and cycles; this only reads the bodies.
 */
final class OrgEndpoints {

    private OrgEndpoints() {
    }

    static void register(Map<Route, Endpoint> endpoints) {
        endpoints.put(Route.LIST_ORGS, r -> new Action.Publish(new Command.ListOrgs(null, r.now())));
        endpoints.put(Route.CREATE_ORG, r -> {
            Org org = ApiContext.PARSER.org(r.body());
            return new Action.Publish(new Command.CreateOrg(org.id(), org.name(), org.parent(), r.actor().org(), r.now()));
        });
        endpoints.put(Route.RENAME_ORG, r -> CampaignRules.validId(r.id())
                ? new Action.Publish(new Command.RenameOrg(r.id(), ApiContext.PARSER.orgName(r.body()), r.actor().org(),
                        r.now()))
                : noSuchOrg(r));
        endpoints.put(Route.RETIRE_ORG, r -> CampaignRules.validId(r.id())
                ? new Action.Publish(new Command.RetireOrg(r.id(), r.actor().org(), r.now()))
                : noSuchOrg(r));
        endpoints.put(Route.LOAD_ORGS, r -> new Action.Publish(
                new Command.LoadOrgs(ApiContext.PARSER.orgs(r.body()), r.actor().org(), r.now())));
    }

    /** A path id no org can have (the path allows {@code .} and any length; org ids do not). */
    private static Action noSuchOrg(ApiRequest r) {
        return new Action.Respond(ApiResponses.error(r.alloc(), HttpResponseStatus.NOT_FOUND, "not_found",
                "no org with id " + r.id()));
    }
}
