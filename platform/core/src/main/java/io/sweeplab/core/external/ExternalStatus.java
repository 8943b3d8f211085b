package io.sweeplab.core.external;

import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.run.RunStatus;
import java.util.Locale;

/** MLflow's run statuses and Sweeplab's: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED. */
public final class ExternalStatus {

    private ExternalStatus() {}

    public static String mlflow(RunStatus s) {
        return switch (s) {
            case QUEUED -> "SCHEDULED";
            case RUNNING -> "RUNNING";
            case SUCCEEDED -> "FINISHED";
            case FAILED -> "FAILED";
            case STOPPED, CANCELLED -> "KILLED";
        };
    }

    /** @throws InvalidInputException naming {@code field} for anything but MLflow's five statuses */
    public static RunStatus sweeplab(String field, String mlflow) {
        return switch (mlflow == null ? "" : mlflow.toUpperCase(Locale.ROOT)) {
            case "SCHEDULED" -> RunStatus.QUEUED;
            case "RUNNING" -> RunStatus.RUNNING;
            case "FINISHED" -> RunStatus.SUCCEEDED;
            case "FAILED" -> RunStatus.FAILED;
            case "KILLED" -> RunStatus.CANCELLED;
            default ->
                throw new InvalidInputException(
                        field, "must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED, not '" + mlflow + "'");
        };
    }
}
