package io.sweeplab.core.queue;

/** A worker wrote for a job it no longer holds (its lease expired and the job moved on); it must stop. */
public class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(JobRef job) {
        super(
                "run " + job.run() + " attempt " + job.attempt() + " is no longer leased to this worker",
                null,
                false,
                false);
    }
}
