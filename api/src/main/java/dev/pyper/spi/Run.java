package dev.pyper.spi;

import java.util.function.Consumer;

/**
 * One run of a pipeline on one input, as the caller pulls its outputs (rules 2.1, 4.4, 4.5).
 *
 * <p>The run is going from the moment {@link dev.pyper.PipelineExecutor#start} returns it, whether
 * or not anybody pulls (rule 8.1). {@link #next} and {@link #forEachRemaining} are called by one
 * caller thread at a time; {@link #metrics()} and {@link #close()} may be called from any thread at
 * any time, also while a pull waits (rules 8.5, 8.7). {@code Pipeline.stream} wraps the run in a
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
     * thread at any time, from the start of the run on. Every executor keeps them, always
     * (rule 8.5): one entry per task of the plan, first to last, with items in and out, failed
     * invocations, busy workers, buffered items and the function's time ({@link CallCounter} and
     * {@link TimeHistogram} count them cheaply enough).
     *
     * @return a snapshot; exact once the run has ended
     */
    dev.pyper.RunMetrics metrics();

    /**
     * Cancels the run if it is still going, and returns once every worker, thread or process, of
     * the run has ended (rules 4.4, 4.5). May come from another thread than the caller's: a pull
     * waiting meanwhile throws {@code PipelineException} (rule 8.7). Idempotent; never throws for
     * a failure of the run.
     */
    @Override
    void close();
}
