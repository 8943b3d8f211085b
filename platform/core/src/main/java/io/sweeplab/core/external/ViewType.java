package io.sweeplab.core.external;

/** Which lifecycle a search looks at, as MLflow names them. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL
}
