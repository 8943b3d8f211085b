package io.sweeplab.plugin.api;

import java.util.List;

/**
 * What a {@link TrialScheduler} knows when it is asked about a trial: the objective, the trial with the epochs it
 * has done, the sweep's other trials and the epochs a trial trains at most. Methods added later will be default
 * methods.
 *
 * @since 1.3
 */
public interface SchedulerContext {

    Objective objective();

    /** The trial that just finished an epoch; its {@link Trial#history} ends with that epoch. */
    Trial trial();

    /** Every other trial of the sweep, finished or running, with the epochs they did. */
    List<Trial> others();

    /** The epochs the trial was asked to train. */
    int maxEpochs();
}
