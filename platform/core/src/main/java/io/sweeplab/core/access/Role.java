package io.sweeplab.core.access;

import java.util.Locale;

/** A user's role in a team; each includes the ones before it. */
public enum Role {
    /** Reads the team's work. */
    VIEWER,
    /** Launches, cancels and deletes the team's work. */
    MEMBER,
    /** Also manages the team's members. */
    OWNER;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** @return the role (the name in any case), or null when the name is none of owner, member, viewer */
    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.jsonName().equalsIgnoreCase(name)) {
                return r;
            }
        }
        return null;
    }
}
