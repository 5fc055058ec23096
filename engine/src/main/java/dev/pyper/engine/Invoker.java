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

    /**
     * Calls the function once for {@code input}, like {@link #invoke(Object, Emitter)}, knowing the
     * inputs that this worker has already taken and will pass to its next calls, in order. An
     * invoker may start on those ahead (a worker process computes the next input while this one's
     * outputs travel back); it must still emit each call's outputs during that call, in order, and
     * fail each call with that input's own failure (rules 3.1, 4.1). If the run ends first, the
     * following calls do not come, and {@link #close()} must end what was started ahead (rule 4.2).
     * The default ignores {@code next}.
     *
     * @param input one input, not a join's stream
     * @param out where outputs go, at once, in order
     * @param next the inputs of the following calls; valid only during this call
     * @throws Exception whatever the function threw, or why the call could not be made
     */
    default void invoke(Object input, Emitter<Object> out, Lookahead next) throws Exception {
        invoke(input, out);
    }

    /** The inputs that a worker has taken and will invoke next, in order (see {@link #invoke(Object, Emitter, Lookahead)}). */
    interface Lookahead {

        /** No following inputs: a call made on its own. */
        Lookahead NONE = new Lookahead() {
            @Override
            public int size() {
                return 0;
            }

            @Override
            public Object get(int i) {
                throw new IndexOutOfBoundsException("no input follows; asked for " + i);
            }
        };

        /**
         * How many inputs follow the current one.
         *
         * @return 0 or more
         */
        int size();

        /**
         * One of the following inputs.
         *
         * @param i 0 for the input of the next call
         * @return that input
         */
        Object get(int i);
    }

    /**
     * Whether this invoker can make another call after its last one failed: false when what it
     * holds is lost (a worker process that died, or that did not answer in time). A task that
     * retries (rule 9.2) then closes it and makes its next attempt on a new one.
     *
     * @return true by default
     */
    default boolean usable() {
        return true;
    }

    /**
     * Whether an invocation always ends soon after its thread is interrupted, whatever the function
     * does: true for a call in a worker process, which is killed if it does not answer (see
     * {@link dev.pyper.spi.FailurePolicy.Attempt#endsWhenInterrupted()}, rule 9.4).
     *
     * @return false by default
     */
    default boolean endsWhenInterrupted() {
        return false;
    }

    /** Ends what this invoker holds (a worker process, say). */
    @Override
    default void close() throws Exception {}
}
