package dev.pyper.spi;

import java.util.function.Consumer;

/**
 * One run of a pipeline on one input, as the caller pulls its outputs (rules 2.1, 4.4, 4.5).
 *
 * <p>A run is used by one caller thread at a time. {@code Pipeline.stream} wraps it in a
 * {@code Stream} whose {@code close()} calls {@link #close()}.
 *
 * @param <O> the output type of the last task
 */
public interface Run<O> extends AutoCloseable {

    /**
     * Waits for the next output of the last task and hands it to {@code action}.
     *
     * <p>When the run has ended normally it returns {@code false}, and by then every worker of
     * the run has ended (rule 4.5). When the run failed it throws the {@code PipelineException}
     * (rules 4.1 to 4.3), after every worker of the run has ended (rule 4.2). When the calling
     * thread is interrupted it cancels the run and throws a {@code PipelineException} whose cause
     * is the {@code InterruptedException}, with the thread's interrupt flag set again (rule 4.4).
     *
     * @param action receives the output
     * @return whether there was an output
     * @throws dev.pyper.PipelineException if the run failed or the caller was interrupted
     */
    boolean next(Consumer<? super O> action);

    /**
     * Hands every remaining output to {@code action}; executors may override it to pass outputs
     * on in batches.
     *
     * @param action receives each output
     * @throws dev.pyper.PipelineException as {@link #next} does
     */
    default void forEachRemaining(Consumer<? super O> action) {
        while (next(action)) {
            // next() did the work
        }
    }

    /**
     * What the run has done so far, per task (see {@link dev.pyper.RunMetrics}); callable from any
     * thread at any time. Every executor keeps them (rule 8.5): one entry per task of the plan,
     * first to last.
     *
     * @return a snapshot; exact once the run has ended
     */
    dev.pyper.RunMetrics metrics();

    /**
     * Cancels the run if it is still going, and returns once every worker, thread or process, of
     * the run has ended (rules 4.4, 4.5). Idempotent; never throws for a failure of the run.
     */
    @Override
    void close();
}
