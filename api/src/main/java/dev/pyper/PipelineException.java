package dev.pyper;

/**
 * The failure of a pipeline run (rule 4.1).
 *
 * <p>Thrown to the caller by the next pull of a run's output after any invocation of any task
 * threw. Its {@linkplain #getCause() cause} is the user's own exception, unwrapped from any
 * {@code CompletionException} or {@code ExecutionException}; its message names the task and shows
 * the input, shortened. The first failure of a run is the cause; failures that happened after it
 * are attached as {@linkplain #getSuppressed() suppressed} exceptions (rule 4.3). It is also thrown
 * when the run ends for a reason of the executor's own, such as a worker process that died
 * (rule 6.4), or when the caller is interrupted while waiting (rule 4.4).
 */
public class PipelineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The failed task's name, or null when no task failed (see {@link #taskName()}). */
    private final String taskName;

    /**
     * Creates an exception for a failure of the named task.
     *
     * @param taskName the name of the task at fault, or {@code null} where no single task is
     * @param message the message, which should name the task and the input
     * @param cause the original exception
     */
    public PipelineException(String taskName, String message, Throwable cause) {
        super(message, cause);
        this.taskName = taskName;
    }

    /**
     * The name of the task whose invocation failed.
     *
     * @return the task's name, or {@code null} if the failure belongs to no single task
     */
    public String taskName() {
        return taskName;
    }
}
