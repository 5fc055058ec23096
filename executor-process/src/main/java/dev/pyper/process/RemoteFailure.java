package dev.pyper.process;

/**
 * Stands in for an exception thrown in a worker process that could not be serialized back:
 * carries its class name, message and the worker's stack trace as text (rule 4.1).
 */
public final class RemoteFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteClass;
    private final String remoteStackTrace;

    RemoteFailure(String remoteClass, String message, String remoteStackTrace) {
        super(remoteClass + ": " + message + " (thrown in a worker process; it could not be serialized back)");
        this.remoteClass = remoteClass;
        this.remoteStackTrace = remoteStackTrace;
    }

    /**
     * The class of the exception that the function threw.
     *
     * @return its binary name
     */
    public String remoteClass() {
        return remoteClass;
    }

    /**
     * The stack trace of the exception in the worker process, as {@code printStackTrace} wrote it.
     *
     * @return the text
     */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
