package dev.pyper.micrometer;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A pipeline whose runs add up in one set of Micrometer meters: for a pipeline that runs again
 * and again (per request, per batch), also several times at once. Run it through this wrapper's
 * {@link #start}, {@link #stream}, {@link #toList} or {@link #forEach}, which behave as the
 * pipeline's own.
 *
 * <pre>{@code
 * MeteredPipeline<Path, Stats> stats = PyperMetrics.monitor(registry, pipeline, "stats");
 * Stats total = stats.toList(dir).get(0);                // counted into the meters
 * }</pre>
 *
 * <p>The meters are those that {@link PyperMetrics} lists, and mean the sum over the runs: the
 * counters and the call timer add up every run's counts, those of the runs going now included;
 * the gauges sum the active runs ({@code pyper.task.busy}, {@code pyper.task.buffered},
 * {@code pyper.task.workers}); {@code pyper.task.calls.p99} is the largest p99 of the active
 * runs, or that of the run that ended last; {@code pyper.runs} times the ended runs;
 * {@code pyper.run.elapsed} is the oldest active run's time, 0 when none. The task meters appear
 * with the first run, whose metrics name the tasks.
 *
 * <p>A run is held from its start until the wrapper sees it finished, then its final, exact
 * counts are added to the totals and it is let go: at the close of its output stream (which
 * {@link #toList} and {@link #forEach} do), or else at the next read of a meter or the next
 * start. The meters hold the wrapper's state only weakly. {@link #close()} removes the meters
 * from every registry; runs started after it are not counted, and the pipeline still runs.
 *
 * @param <I> the pipeline's input type
 * @param <O> the pipeline's output type
 */
public final class MeteredPipeline<I, O> implements MeterBinder, AutoCloseable {

    private final Pipeline<I, O> pipeline;
    private final ManyRuns runs = new ManyRuns();
    private final MeterBinding binding;

    /**
     * A wrapper of {@code pipeline} whose runs are counted from now on, and whose meters go to the
     * registries it is bound to with {@link #bindTo}.
     *
     * @param pipeline the pipeline to run
     * @param pipelineName the {@code pipeline} tag of every meter
     * @param tags more tags for every meter ({@code Tags.empty()} for none)
     * @throws IllegalArgumentException if an argument is null or the name is blank
     */
    public MeteredPipeline(Pipeline<I, O> pipeline, String pipelineName, Iterable<Tag> tags) {
        if (pipeline == null) {
            throw new IllegalArgumentException("MeteredPipeline: the pipeline is null (name '" + pipelineName + "')");
        }
        this.pipeline = pipeline;
        this.binding = new MeterBinding(runs, "MeteredPipeline", pipelineName, tags);
    }

    /**
     * The pipeline this wrapper runs.
     *
     * @return the pipeline; runs started on it directly are not counted
     */
    public Pipeline<I, O> pipeline() {
        return pipeline;
    }

    /**
     * Starts a run, as {@link Pipeline#start} does, and counts it.
     *
     * @param input the producer's input
     * @return the started run, which the caller closes
     * @throws IllegalArgumentException as {@link Pipeline#start} does
     * @throws IllegalStateException as {@link Pipeline#start} does
     */
    public PipelineRun<O> start(I input) {
        PipelineRun<O> run = pipeline.start(input);
        try {
            if (runs.add(run)) {
                binding.tasksKnown();
            }
        } catch (RuntimeException e) { // a registry refused a task meter: the caller never gets the run to close
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * Runs the pipeline, as {@link Pipeline#stream} does, and counts the run; closing the stream
     * ends the run and adds its final counts to the totals at once.
     *
     * @param input the producer's input
     * @return the outputs of the last task, a stream to close
     * @throws IllegalArgumentException as {@link Pipeline#stream} does
     * @throws IllegalStateException as {@link Pipeline#stream} does
     */
    public Stream<O> stream(I input) {
        ManyRuns counted = runs;
        return start(input).outputs().onClose(counted::letGoOfEnded);
    }

    /**
     * Runs the pipeline, as {@link Pipeline#toList} does, and counts the run.
     *
     * @param input the producer's input
     * @return the outputs, an unmodifiable list that may contain nulls
     * @throws PipelineException if the run failed
     */
    public List<O> toList(I input) {
        try (Stream<O> outputs = stream(input)) {
            return outputs.toList();
        }
    }

    /**
     * Runs the pipeline, as {@link Pipeline#forEach} does, and counts the run.
     *
     * @param input the producer's input
     * @param action what to do with each output
     * @throws IllegalArgumentException if {@code action} is null
     * @throws PipelineException if the run failed
     */
    public void forEach(I input, Consumer<? super O> action) {
        if (action == null) {
            throw new IllegalArgumentException("forEach: the action is null (pipeline " + pipeline + ")");
        }
        try (Stream<O> outputs = stream(input)) {
            outputs.forEach(action);
        }
    }

    /**
     * Registers the meters in {@code registry}, with the totals of every run counted so far;
     * binding to a registry it is already bound to does nothing.
     *
     * @param registry where the meters go
     * @throws IllegalArgumentException if {@code registry} is null
     * @throws IllegalStateException if this wrapper is closed, or another open binder has bound
     *     meters of the same pipeline name and tags to {@code registry}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        binding.bindTo(registry);
    }

    /**
     * Removes the meters from every registry this wrapper was bound to and stops counting: the
     * runs it held are let go (not closed), and later runs run uncounted. Idempotent.
     */
    @Override
    public void close() {
        binding.close();
    }

    /**
     * Names the pipeline, as the pipeline's own {@code toString} does.
     *
     * @return {@code Metered} and the pipeline's tasks
     */
    @Override
    public String toString() {
        return "Metered" + pipeline;
    }
}
