package io.sweeplab.core.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of users, memberships and API tokens. */
public interface UserStore {

    /** @throws io.sweeplab.core.error.ConflictException if the user name is taken */
    User create(String username, String displayName, String passwordHash, boolean admin);

    Optional<User> find(String username);

    Optional<User> find(long id);

    List<User> list();

    boolean anyAdmin();

    /** Also ends the user's sign-in sessions. */
    void setPassword(long userId, String passwordHash);

    /** Ends every sign-in session of the user (its cookies, copies included, stop working). */
    void endSessions(long userId);

    /** The user a single sign-on identity is bound to. */
    Optional<Long> boundUser(String issuer, String subject);

    /** Binds a single sign-on identity to a user; false when the user is bound to another identity of that issuer. */
    boolean bind(String issuer, String subject, long userId);

    void setDisabled(long userId, boolean disabled);

    /** The user's role in each of their teams, by team slug. */
    Map<String, Role> roles(long userId);

    List<Member> members(String team);

    /** Adds the user to the team or changes their role. */
    void setRole(String team, long userId, Role role);

    /** @return whether the user was a member */
    boolean removeMember(String team, long userId);

    /** @param team the team of a team's worker token (its slug), or null */
    ApiToken createToken(long userId, String name, TokenScope scope, byte[] hash, String prefix, String team);

    /** A token that is not revoked, by the hash of its secret, with the user it acts for. */
    Optional<TokenOwner> activeToken(byte[] hash);

    /** Tokens of one user, or every worker token and all tokens when {@code userId} is null; newest first. */
    List<ApiToken> tokens(Long userId);

    Optional<ApiToken> token(long id);

    /** @return whether it was active */
    boolean revokeToken(long id);

    /** Records a use; the store may skip writes closer together than a minute. */
    void touchToken(long id, Instant at);

    /** @param teamId the id of the token's team, or null */
    record TokenOwner(ApiToken token, User user, Long teamId) {}

    /**
     * The launch whose worker token this is, while the launch has not ended ({@code worker_launches}): a worker the
     * platform started through a launcher.
     */
    default Optional<LaunchToken> activeLaunchToken(byte[] hash) {
        return Optional.empty();
    }

    /** A launch's worker token: the launch, its launcher, and the team whose runs alone it may claim (or null). */
    record LaunchToken(long launch, String launcher, Long teamId) {

        /** The credential id a launch's worker registers under: what {@code workers.credential} holds. */
        public static String credential(long launch) {
            return "launch:" + launch;
        }
    }
}
