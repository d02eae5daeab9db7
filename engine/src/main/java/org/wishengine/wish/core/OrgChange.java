package org.wishengine.wish.core;

import java.util.List;

/**
 * The organiser tree's decision on one edit: the result, the org it concerns (after the edit;
 * for a refusal, the org at fault, or null), {@code detail} (the offending id of a refusal, e.g.
 * the unknown parent, or null) and every org the edit changed, each as it stands after it: what
 * the commit hands to the store. {@code changed} is empty for refusals and for edits that
 * changed nothing (renaming to the same name, retiring a retired org).
 */
public record OrgChange(OrgResult result, Org org, String detail, List<Org> changed) {

    public OrgChange {
        changed = List.copyOf(changed);
    }

    static OrgChange refused(OrgResult result, Org org, String detail) {
        return new OrgChange(result, org, detail, List.of());
    }

    /** True when the edit changed the tree, so it must be committed before it is answered. */
    public boolean changesState() {
        return !changed.isEmpty();
    }
}
