package dev.pyper;

import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A run that has started: its outputs, its live metrics, and its end. What
 * {@link Pipeline#start} returns; {@link Pipeline#stream} is {@code start(input).outputs()}.
 *
 * <pre>{@code
 * try (PipelineRun<Stats> run = pipeline.start(corpus)) {
 *     progress.watch(run::metrics);                  // from another thread, while it runs
 *     run.outputs().forEach(table::add);
 *     log.info("done: {}", run.metrics());          // exact, once the outputs have ended
 * }
 * }</pre>
 *
 * @param <O> the output type of the last task
 */
public final class PipelineRun<O> implements AutoCloseable {

    private final Run<O> run;
    private final RunSpliterator<O> outputs;
    private final Stream<O> stream;
    private final AtomicBoolean taken = new AtomicBoolean();

    PipelineRun(Plan plan, Run<O> run) {
        this.run = run;
        this.outputs = new RunSpliterator<>(plan, run);
        this.stream = StreamSupport.stream(outputs, false).onClose(outputs::close);
    }

    /**
     * The outputs of the last task, as a lazy stream (rule 2.1). Closing it closes the run.
     *
     * @return the stream; there is one per run
     * @throws IllegalStateException if called twice
     */
    public Stream<O> outputs() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("outputs() of a run can be taken once");
        }
        return stream;
    }

    /**
     * What the run has done so far, per task; safe to call from any thread at any time.
     *
     * @return a snapshot; exact once the outputs have ended
     */
    public RunMetrics metrics() {
        return run.metrics();
    }

    /** Cancels the run if it is still going and waits until nothing of it runs (rule 4.4). */
    @Override
    public void close() {
        outputs.close();
    }
}
