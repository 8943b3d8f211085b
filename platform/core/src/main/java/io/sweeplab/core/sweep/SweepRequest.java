package io.sweeplab.core.sweep;

import java.util.List;
import java.util.Map;

/**
 * A sweep as a client asks for it.
 *
 * @param base a run request without {@code experiment}: what every cell shares
 * @param grid request path to the values it takes, for example {@code "params.filters": [[16, 16], [32, 32]]}
 */
public record SweepRequest(Long experiment, String name, Map<String, Object> base, Map<String, List<Object>> grid) {}
