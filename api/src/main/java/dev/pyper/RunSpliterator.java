package dev.pyper;

import dev.pyper.spi.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * The caller's side of a run, as a {@link Spliterator}: starts the run on the first pull (so a
 * stream that is never used costs nothing) and closes it with the stream.
 *
 * <p>Used by one caller thread at a time, as streams are.
 */
final class RunSpliterator<O> implements Spliterator<O> {

    private final PipelineExecutor executor;
    private final Plan plan;
    private final Object input;
    private Run<O> run;
    private boolean closed;

    RunSpliterator(PipelineExecutor executor, Plan plan, Object input) {
        this.executor = executor;
        this.plan = plan;
        this.input = input;
    }

    @Override
    public boolean tryAdvance(Consumer<? super O> action) {
        return started().next(action);
    }

    @Override
    public void forEachRemaining(Consumer<? super O> action) {
        started().forEachRemaining(action);
    }

    private Run<O> started() {
        if (closed) {
            throw new IllegalStateException("the output stream of " + plan + " is closed");
        }
        if (run == null) {
            run = executor.start(plan, input);
        }
        return run;
    }

    void close() {
        closed = true;
        if (run != null) {
            run.close();
        }
    }

    @Override
    public Spliterator<O> trySplit() {
        return null;
    }

    @Override
    public long estimateSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int characteristics() {
        return ORDERED;
    }
}
