package io.sweeplab.core.queue;

/**
 * The credential a remote worker proves itself with: a worker token, or the worker token from configuration.
 * A worker registered under one credential is never reachable with another.
 *
 * @param id what the credential is, stable for its lifetime: {@code token:<id>} or {@code configured}
 * @param label how it is shown (the token's name)
 * @param team the only team whose runs it may claim, or null for any team (tokens made by administrators)
 */
public record WorkerCredential(String id, String label, Long team) {

    /** The attribute of a security identity that holds it. */
    public static final String ATTRIBUTE = "sweeplab.worker-credential";
}
