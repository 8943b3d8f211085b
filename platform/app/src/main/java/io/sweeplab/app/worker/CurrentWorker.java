package io.sweeplab.app.worker;

import io.quarkus.security.identity.SecurityIdentity;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.queue.WorkerCredential;
import io.sweeplab.core.queue.WorkerRegistry;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;

/**
 * The remote worker making this request: the credential of its token, and the worker that credential registered,
 * proven by the key it was given at registration ({@value WorkerRegistry#KEY_HEADER}).
 */
@RequestScoped
public class CurrentWorker {

    private final SecurityIdentity identity;
    private final HttpServerRequest request;
    private final WorkerRegistry registry;

    public CurrentWorker(SecurityIdentity identity, HttpServerRequest request, WorkerRegistry registry) {
        this.identity = identity;
        this.request = request;
        this.registry = registry;
    }

    /** The credential the request was made with. */
    public WorkerCredential credential() {
        WorkerCredential c = identity.getAttribute(WorkerCredential.ATTRIBUTE);
        if (c == null) {
            throw new ForbiddenException("the worker protocol needs a worker token");
        }
        return c;
    }

    /** The registered worker's id. */
    public String id() {
        return registry.authenticate(credential(), request.getHeader(WorkerRegistry.KEY_HEADER))
                .orElseThrow(() -> new ForbiddenException("register first (POST /api/worker/register) and send the key"
                        + " it answers in the " + WorkerRegistry.KEY_HEADER + " header; a key is valid only with the"
                        + " token that registered it"));
    }
}
