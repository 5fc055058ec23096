package dev.pyper;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * An invocation ran longer than its task's {@link Task#timeout(Duration) timeout} (rule 9.4). It is
 * a failure like any other: retried, skipped, dead-lettered or the end of the run, as the task's
 * options say.
 */
public final class TaskTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /** The name of the task whose invocation ran out of time. */
    private final String task;
    /** The task's limit. */
    private final Duration limit;

    /**
     * A timeout of one invocation.
     *
     * @param task the task's name
     * @param input the input, as shown in messages (shortened)
     * @param limit the task's limit
     */
    public TaskTimeoutException(String task, String input, Duration limit) {
        super("task '" + task + "' ran longer than its timeout of " + limit + " on input " + input);
        this.task = task;
        this.limit = limit;
    }

    /**
     * The task whose invocation ran out of time.
     *
     * @return its name
     */
    public String task() {
        return task;
    }

    /**
     * The limit it exceeded.
     *
     * @return the task's timeout
     */
    public Duration limit() {
        return limit;
    }
}
