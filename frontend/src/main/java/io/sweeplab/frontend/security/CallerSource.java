package io.sweeplab.frontend.security;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.UserService;
import java.util.function.Supplier;

/**
 * The user of a page as they are now. A page outlives the request that opened it: its handlers run in later
 * requests and its live refreshes on a timer, outside any request, while administrators and owners change roles,
 * remove members and disable users. So a page keeps who its user is (captured once, when it is opened) and reads
 * the user's roles again from the services every time it acts or refreshes.
 */
public final class CallerSource implements Supplier<Caller> {

    private final UserService users;
    private final Caller opened;
    private final Integer sessionEpoch;

    /** @param opened the caller of the request that opened the page: who the user is, and with which credential */
    public CallerSource(UserService users, Caller opened) {
        this(users, opened, null);
    }

    /** @param sessionEpoch the sign-in session the page was opened in: the page ends with it */
    public CallerSource(UserService users, Caller opened, Integer sessionEpoch) {
        this.users = users;
        this.opened = opened;
        this.sessionEpoch = sessionEpoch;
    }

    /**
     * @return the caller with the roles the user has now
     * @throws SignedOutException when the user was deleted or disabled, or the session ended, since the page was
     *     opened
     */
    @Override
    public Caller get() {
        return users.current(opened, sessionEpoch).orElseThrow(SignedOutException::new);
    }

    /** The user's name, which does not change while the page is open. */
    public String name() {
        return opened.name();
    }
}
