package io.sweeplab.core.access;

import java.util.Optional;

/**
 * What a sign-in cookie names: the user and the session epoch it was made under, as {@code <user>:<epoch>} (a user
 * name never holds a colon). Moving the user's epoch on ends every cookie made before.
 */
public record SessionPrincipal(String username, int epoch) {

    public static String of(User u) {
        return u.username() + ":" + u.sessionEpoch();
    }

    public static Optional<SessionPrincipal> parse(String principal) {
        if (principal == null) {
            return Optional.empty();
        }
        int colon = principal.lastIndexOf(':');
        if (colon <= 0 || colon == principal.length() - 1 || principal.length() > 60) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SessionPrincipal(
                    principal.substring(0, colon), Integer.parseInt(principal.substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
