package io.sweeplab.core.external;

/** A param or tag of an external run or experiment. */
public record KeyValue(String key, String value) {}
