package dev.pyper.flink;

import dev.pyper.spi.Abbreviation;

/**
 * How a failed invocation leaves a Flink operator: a plain {@code RuntimeException} that names the
 * task and the input and carries the user's exception as its cause (rule 4.1).
 *
 * <p>Wrapping keeps Flink from treating the user's {@code Error}s ({@code StackOverflowError},
 * say) as fatal to the TaskManager; the caller's run unwraps it into a
 * {@link dev.pyper.PipelineException}. It crosses to the client serialized, with its cause.
 */
final class TaskFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How much of an input's text a message shows. */
    private final String taskName;

    TaskFailure(String taskName, String message, Throwable cause) {
        super(message, cause);
        this.taskName = taskName;
    }

    /** The failure of {@code task} on {@code input}, or with no input (a join) when it is null. */
    static TaskFailure of(String task, Object input, boolean hasInput, Throwable cause) {
        return new TaskFailure(
                task,
                "Task '" + task + "' failed" + (hasInput ? " on input " + describe(input) : "") + ": " + cause,
                cause);
    }

    String taskName() {
        return taskName;
    }

    /** The input as a failure message shows it: its text, abbreviated (rule 4.1), never failing. */
    static String describe(Object input) {
        return Abbreviation.of(input);
    }
}
