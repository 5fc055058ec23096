package dev.pyper;

import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * The caller's side of a run, as a {@link Spliterator} over a run that has started: closing the
 * stream closes the run.
 *
 * <p>Pulled by one thread at a time, as streams are; {@link #close()} may come from another
 * thread to cancel the run under a blocked pull.
 */
final class RunSpliterator<O> implements Spliterator<O> {

    private final Plan plan;
    private final Run<O> run;
    private volatile boolean closed;

    RunSpliterator(Plan plan, Run<O> run) {
        this.plan = plan;
        this.run = run;
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
        return run;
    }

    void close() {
        closed = true;
        run.close();
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
