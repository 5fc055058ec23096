package dev.pyper.flink.shipped;

/** An exception class of the application's own: the caller gets this class back from the cluster. */
public final class ShippedFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message the message */
    public ShippedFailure(String message) {
        super(message);
    }
}
