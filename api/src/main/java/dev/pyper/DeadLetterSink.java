package dev.pyper;

import java.io.Serializable;

/**
 * Where a task's inputs go whose invocations failed for good ({@link Task#deadLetters(DeadLetterSink)},
 * rule 9.5): a queue, a table, a file of failed records to look at or run again.
 *
 * <p>The sink is called in the task's worker, once per failed input, from as many threads at once
 * as the task has workers: it must be safe for that. It runs where the task's worker runs, which for
 * the Flink executor on a remote cluster is a TaskManager. A sink that throws fails the run with
 * what it threw (rule 9.5): a failed input is never lost silently.
 */
@FunctionalInterface
public interface DeadLetterSink extends Serializable {

    /**
     * Takes one failed input.
     *
     * @param letter the task, the input, the failure and the attempts
     * @throws Exception if the input could not be kept; the run then fails
     */
    void accept(DeadLetter letter) throws Exception;
}
