package org.wishengine.wish.http;

import java.util.Map;
import org.wishengine.wish.core.Command;

/**
 * Claims after the grab: read, cancel and fulfil (the claimer or an organiser; the book decides
 * whose claim a user may touch), confirm with a rating (organiser), and a user's own claims and
 * fair-start entries.
 */
final class ClaimEndpoints {

    private ClaimEndpoints() {
    }

    static void register(Map<Route, Endpoint> endpoints) {
        // An organiser (userId null) acts within its token's org (null: the district administrator).
        endpoints.put(Route.GET_CLAIM, r -> new Action.Publish(
                new Command.GetClaim(r.id(), r.actor().userId(), r.actor().org(), r.now())));
        endpoints.put(Route.CANCEL_CLAIM, r -> new Action.Publish(
                new Command.Cancel(r.id(), r.actor().userId(), r.actor().org(), r.now())));
        endpoints.put(Route.FULFIL_CLAIM, r -> new Action.Publish(
                new Command.Fulfil(r.id(), r.actor().userId(), r.actor().org(), r.now())));
        endpoints.put(Route.CONFIRM_CLAIM, r -> {
            RequestParser.Confirmation confirmation = ApiContext.PARSER.confirmation(r.body());
            return new Action.Publish(new Command.Confirm(r.id(), confirmation.rating(), confirmation.comment(),
                    r.actor().org(), r.now()));
        });
        endpoints.put(Route.MY_CLAIMS, r -> new Action.Publish(new Command.UserClaims(r.actor().userId(), r.now())));
        endpoints.put(Route.MY_ENTRIES, r -> new Action.Publish(new Command.UserEntries(r.actor().userId(), r.now())));
    }
}
