package dev.pyper.process;

/**
 * A worker process ended while it ran an invocation, or could not be started (rule 6.4). It is
 * the cause of the run's {@code PipelineException}, whose message names the task and the input;
 * this message says how the process ended.
 */
public final class WorkerProcessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long pid;
    private final Integer exitCode;

    WorkerProcessException(String message, long pid, Integer exitCode, Throwable cause) {
        super(message, cause);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * The worker's process id.
     *
     * @return the pid, or -1 if no process was started
     */
    public long pid() {
        return pid;
    }

    /**
     * How the process ended: its exit code, 128 + the signal's number when a signal killed it.
     *
     * @return the exit code, or {@code null} if the process had not ended or was never started
     */
    public Integer exitCode() {
        return exitCode;
    }
}
