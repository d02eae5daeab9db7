package org.wishengine.wish.core;

/**
 * One node of the organiser tree (district, town, community, service point...): its id (the
 * alphabet of {@link CampaignRules#ID}), a display name of 1..{@value #MAX_NAME} UTF-16 chars of
 * any text, its parent's id (null for a root) and whether it is retired (it keeps its campaigns
 * and claims, and gets no new campaign or child). Immutable; the edge checks ids and names
 * before a command is made, so an invalid one here is a bug (IllegalArgumentException).
 */
public record Org(String id, String name, String parent, boolean retired) {

    public static final int MAX_NAME = 200;

    public Org {
        if (id == null || !CampaignRules.validId(id)) {
            throw new IllegalArgumentException("not an org id: " + id);
        }
        if (!validName(name)) {
            throw new IllegalArgumentException("an org name has 1.." + MAX_NAME + " chars");
        }
        if (parent != null && !CampaignRules.validId(parent)) {
            throw new IllegalArgumentException("not an org id: " + parent);
        }
    }

    /** A live org. */
    public Org(String id, String name, String parent) {
        this(id, name, parent, false);
    }

    public static boolean validName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME;
    }

    Org renamed(String newName) {
        return new Org(id, newName, parent, retired);
    }

    Org retiredNow() {
        return new Org(id, name, parent, true);
    }
}
