package io.sweeplab.plugins.datasets;

/** The dataset cannot be had: the message says where it looked and how to fix it. */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
