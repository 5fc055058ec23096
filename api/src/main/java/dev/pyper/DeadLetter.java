package dev.pyper;

/**
 * An input whose invocation failed for good, handed to the task's {@link DeadLetterSink}
 * (rule 9.5): the failure did not end the run, and the input is accounted for in the task's
 * {@link TaskMetrics#deadLettered()}.
 *
 * @param task the name of the task whose invocation failed (rule 1.7)
 * @param input the input it was invoked with
 * @param error what the last attempt threw; a {@link TaskTimeoutException} if it ran out of time
 * @param attempts how many times the function was invoked with this input, at least 1
 * @param outputs how many outputs the invocations passed on before the failure (a branch's or a
 *     generator's first ones; they are not taken back)
 */
public record DeadLetter(String task, Object input, Throwable error, int attempts, long outputs) {}
