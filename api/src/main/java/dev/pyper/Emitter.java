package dev.pyper;

import java.util.concurrent.CancellationException;

/**
 * Hands the outputs of a generator task to the next task, one at a time, as pyper's {@code yield}
 * does (rules 2.3, 1.8).
 *
 * <p>An emitter is valid only during the call of the generator that received it. {@link #emit}
 * may block while the task's output buffer is full ({@code throttle}, rule 2.6); when the run is
 * cancelled or has failed meanwhile it throws {@link CancellationException}, which the generator
 * should let pass, so that the run ends promptly (rule 4.4).
 *
 * @param <O> the output type
 */
public interface Emitter<O> {

    /**
     * Passes one output on to the next task (or to the caller, for the last task).
     *
     * @param output the output, which may be {@code null} (rule 2.2)
     * @throws CancellationException if the run was cancelled or failed while this call waited or
     *     before it; the thread's interrupt flag is kept
     */
    void emit(O output);
}
