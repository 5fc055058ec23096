package dev.pyper.engine;

import dev.pyper.spi.TaskSpec;

/**
 * Makes the {@link Invoker} for each worker of a task: the seam through which a process executor
 * runs invocations elsewhere while the engine keeps the queues, ordering and errors (section 0).
 */
@FunctionalInterface
public interface InvokerFactory {

    /**
     * Opens an invoker for one worker, on that worker's thread.
     *
     * @param task the task
     * @param worker the worker's number, from 1
     * @return the invoker, which the engine closes when the worker ends
     * @throws Exception if it cannot be opened; the run fails naming the task
     */
    Invoker open(TaskSpec task, int worker) throws Exception;
}
