package io.sweeplab.core.access;

import java.util.Locale;

/** What an API token may do. */
public enum TokenScope {
    /** Read what its user may read. */
    READ,
    /** Everything its user may do. */
    WRITE,
    /** Only the worker protocol: claim jobs and report on them. Created by admins. */
    WORKER;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the scope (the name in any case), or null when the name is none of read, write, worker */
    public static TokenScope parse(String name) {
        for (TokenScope s : values()) {
            if (s.jsonName().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
