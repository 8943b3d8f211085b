package io.sweeplab.core.external;

/** One point of a metric, as MLflow keeps it: the value at a step, with the client's timestamp (ms since 1970). */
public record MetricPoint(String key, double value, long timestamp, long step) {}
