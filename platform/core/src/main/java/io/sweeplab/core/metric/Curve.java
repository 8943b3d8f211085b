package io.sweeplab.core.metric;

import java.util.List;

/**
 * One metric of one run as a chart draws it.
 *
 * @param metric the run's own name of the metric
 * @param axis what x counts: {@code epoch} (a trained run's per-epoch metrics) or {@code step} (a run logged from
 *     outside, as MLflow clients give the step)
 * @param total how many points the run holds of it
 * @param points at most the number asked for, thinned by {@link Thinning} when {@code total} is larger
 */
public record Curve(String metric, String axis, int total, List<Point> points) {

    public static final String EPOCH = "epoch";
    public static final String STEP = "step";

    /** A point: the value at an epoch or step. */
    public record Point(long x, double y) {}

    public Curve {
        points = List.copyOf(points);
    }

    public boolean thinned() {
        return points.size() < total;
    }
}
