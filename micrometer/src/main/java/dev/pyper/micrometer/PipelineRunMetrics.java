package dev.pyper.micrometer;

import dev.pyper.PipelineRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The metrics of one run of a pipeline, as Micrometer meters: per task, items in and out, calls
 * and their time, failed calls, workers, busy workers and buffered outputs; for the run, its
 * elapsed time and whether it is going. {@link PyperMetrics} lists the meters.
 *
 * <pre>{@code
 * try (PipelineRun<Stats> run = pipeline.start(corpus);
 *         PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "stats")) {
 *     run.outputs().forEach(table::add);
 * }   // the meters are removed from the registry
 * }</pre>
 *
 * <p>Every meter reads the run's {@linkplain PipelineRun#metrics() metrics} when the registry
 * reads it: live while the run goes, exact once it has ended. The binder holds the run until it
 * is closed; the meters hold the binder only weakly, so a registry never keeps a run alive.
 * {@link #close()} removes the meters from every registry the binder was bound to and lets the
 * run go.
 *
 * <p>One pipeline name and set of tags can be bound to a registry once at a time: meters of two
 * runs with one identity would be one meter. For a pipeline that runs again and again, or
 * several times at once, use {@link MeteredPipeline}, whose meters add up all its runs.
 */
public final class PipelineRunMetrics implements MeterBinder, AutoCloseable {

    private final MeterBinding binding;

    /**
     * A binder of {@code run}'s metrics, to be bound with {@link #bindTo}.
     *
     * @param run the run, started and not yet closed
     * @param pipelineName the {@code pipeline} tag of every meter: the same for every run of one
     *     pipeline, never a value that grows with the inputs
     * @param tags more tags for every meter ({@code Tags.empty()} for none)
     * @throws IllegalArgumentException if an argument is null or the name is blank
     */
    public PipelineRunMetrics(PipelineRun<?> run, String pipelineName, Iterable<Tag> tags) {
        if (run == null) {
            throw new IllegalArgumentException("PipelineRunMetrics: the run is null (pipeline '" + pipelineName + "')");
        }
        this.binding = new MeterBinding(new OneRun(run), "PipelineRunMetrics", pipelineName, tags);
    }

    /**
     * Registers the run's meters in {@code registry}; binding to a registry it is already bound
     * to does nothing.
     *
     * @param registry where the meters go
     * @throws IllegalArgumentException if {@code registry} is null
     * @throws IllegalStateException if this binder is closed, or another open binder has bound
     *     meters of the same pipeline name and tags to {@code registry}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        binding.bindTo(registry);
    }

    /**
     * Removes the meters from every registry this binder was bound to, and lets the run go. Does
     * not close the run. Idempotent.
     */
    @Override
    public void close() {
        binding.close();
    }
}
