package io.sweeplab.frontend.security;

/**
 * The user of an open page was deleted or disabled: the page shows nothing more and the browser goes to sign-in
 * ({@code Live} does so for refreshes; a request of such a user is already refused when it is authenticated).
 */
public final class SignedOutException extends RuntimeException {

    public SignedOutException() {
        super("the user of this page was deleted or disabled", null, false, false);
    }
}
