package io.sweeplab.core.access;

import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.NotFoundException;
import java.util.Map;
import java.util.Set;

/**
 * Who is asking, as every service sees it: a signed-in user (by password, session or token) with their team roles.
 * Services check every read and write against it, so the views and the REST API cannot forget to; another team's
 * objects are reported as missing (404), never as forbidden, so that ids cannot be probed.
 *
 * @param userId the user's id
 * @param name the user name, as the audit log records it
 * @param admin a platform administrator: sees and manages every team
 * @param teams the user's role in each team, by team slug
 * @param readOnly signed in with a {@code read} token: may not change anything
 * @param via how the caller signed in: {@code password}, {@code session} or {@code token:<name>}
 */
public record Caller(long userId, String name, boolean admin, Map<String, Role> teams, boolean readOnly, String via) {

    /** The attribute of a Quarkus security identity that holds its Caller. */
    public static final String ATTRIBUTE = "sweeplab.caller";

    public Caller {
        teams = Map.copyOf(teams);
    }

    /** The platform itself (start-up tasks): an administrator that is nobody. */
    public static Caller system() {
        return new Caller(0, "system", true, Map.of(), false, "system");
    }

    public boolean sees(String team) {
        return admin || teams.containsKey(team);
    }

    /** The teams whose work this caller sees; null means all of them (an administrator). */
    public Set<String> visibleTeams() {
        return admin ? null : teams.keySet();
    }

    /** Whether the caller has at least {@code role} in {@code team} (administrators have every role everywhere). */
    public boolean hasRole(String team, Role role) {
        return admin || (teams.containsKey(team) && teams.get(team).includes(role));
    }

    /**
     * @param what how to name the object in the 404, for example {@code "no run 12"}
     * @throws NotFoundException when the caller does not see the team
     */
    public void requireRead(String team, String what) {
        if (!sees(team)) {
            throw new NotFoundException(what);
        }
    }

    /**
     * @throws NotFoundException when the caller does not see the team
     * @throws ForbiddenException when it sees it but its role (or a read-only token) does not allow the change
     */
    public void require(String team, Role role, String what) {
        requireRead(team, what);
        requireWritable();
        if (!hasRole(team, role)) {
            throw new ForbiddenException("this needs the role " + role.jsonName() + " in team '" + team + "'; " + name
                    + " is " + teams.get(team).jsonName());
        }
    }

    /** @throws ForbiddenException unless the caller is an administrator (with a writable credential) */
    public void requireAdmin() {
        if (!admin) {
            throw new ForbiddenException("only a platform administrator may do this");
        }
        requireWritable();
    }

    /** @throws ForbiddenException when signed in with a read-only token */
    public void requireWritable() {
        if (readOnly) {
            throw new ForbiddenException("this token has the scope read; changes need a write token");
        }
    }
}
