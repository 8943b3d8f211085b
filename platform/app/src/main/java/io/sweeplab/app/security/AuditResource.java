package io.sweeplab.app.security;

import io.sweeplab.app.problem.Bodies;
import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.error.InvalidInputException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
@RolesAllowed("admin")
public class AuditResource {

    private final AuditLog audit;
    private final CurrentCaller caller;

    public AuditResource(AuditLog audit, CurrentCaller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "The audit log, newest first (administrators)",
            description = "?limit=1..500 (default 100); ?before=<id> pages back")
    public List<AuditLog.Entry> list(@QueryParam("before") String before, @QueryParam("limit") String limit) {
        if (!caller.get().admin()) {
            throw new io.sweeplab.core.error.ForbiddenException("only a platform administrator may read the audit log");
        }
        int n = 100;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 500) {
                throw new InvalidInputException("limit", "must be a whole number from 1 to 500");
            }
        }
        return audit.entries(Bodies.queryId("before", before), n);
    }
}
