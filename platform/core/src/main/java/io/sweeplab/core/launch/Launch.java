package io.sweeplab.core.launch;

import io.sweeplab.plugin.api.WorkerRequest.Kind;
import java.time.Instant;

/**
 * A worker the platform asked a launcher to start, from the moment it is submitted to the moment the engine says
 * it ended (and its token is revoked).
 *
 * @param externalId the engine's id (the Slurm job id), null while it is being submitted
 * @param workerName the name it registers under, null while it is being submitted
 * @param detail the engine's word for its state, or why it ended
 */
public record Launch(
        long id,
        String launcher,
        Kind kind,
        String externalId,
        String workerName,
        LaunchState state,
        String detail,
        Instant createdAt,
        Instant endedAt) {

    /** The credential id its worker registers under: what {@code workers.credential} holds. */
    public static String credential(long id) {
        return io.sweeplab.core.access.UserStore.LaunchToken.credential(id);
    }
}
