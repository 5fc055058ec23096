package dev.pyper.engine;

import dev.pyper.Emitter;

/**
 * Calls a task's function for one worker: in this JVM ({@link LocalInvoker}), or in a worker
 * process for a {@code multiprocess} task (rule 6.1). One invoker serves one worker thread.
 */
public interface Invoker extends AutoCloseable {

    /**
     * Calls the function once and emits its outputs.
     *
     * @param input one input; for a join task, the {@code Stream} of the previous task's outputs
     * @param out where outputs go, at once, in order
     * @throws Exception whatever the function threw, or why the call could not be made
     */
    void invoke(Object input, Emitter<Object> out) throws Exception;

    /** Ends what this invoker holds (a worker process, say). */
    @Override
    default void close() throws Exception {
    }
}
