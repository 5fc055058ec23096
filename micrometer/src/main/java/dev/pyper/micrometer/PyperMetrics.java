package dev.pyper.micrometer;

import dev.pyper.Pipeline;
import dev.pyper.PipelineRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Binds Pyper's run metrics (specification rule 8.5) to a Micrometer {@link MeterRegistry}: one
 * run with {@link #monitor(MeterRegistry, PipelineRun, String, Tag...)}, or every run of a
 * pipeline with {@link #monitor(MeterRegistry, Pipeline, String, Tag...)}.
 *
 * <pre>{@code
 * MeteredPipeline<Path, Stats> stats = PyperMetrics.monitor(registry, pipeline, "stats", Tag.of("app", "indexer"));
 * stats.forEach(dir, table::add);
 * }</pre>
 *
 * <p>The meters, each tagged {@code pipeline} with the name given and with the tags given; the
 * task meters also {@code task}, the task's name (rule 1.7; {@code named("…")} sets it, and a
 * name that two tasks share gets {@code #2}, {@code #3}, … from its second task on). No tag
 * comes from an input, so the number of time series is bounded by the tasks.
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>base unit</th><th>what</th></tr>
 *   <tr><td>{@code pyper.task.input}</td><td>function counter</td><td>items</td><td>inputs taken</td></tr>
 *   <tr><td>{@code pyper.task.output}</td><td>function counter</td><td>items</td><td>outputs passed on</td></tr>
 *   <tr><td>{@code pyper.task.calls}</td><td>function timer</td><td>seconds</td><td>calls of the function and
 *       the time spent in them (the sampled mean times the calls; never decreasing)</td></tr>
 *   <tr><td>{@code pyper.task.failed}</td><td>function counter</td><td>calls</td><td>calls that threw</td></tr>
 *   <tr><td>{@code pyper.task.calls.p99}</td><td>time gauge</td><td>seconds</td><td>99th percentile of a
 *       call's time</td></tr>
 *   <tr><td>{@code pyper.task.workers}</td><td>gauge</td><td>workers</td><td>the task's workers</td></tr>
 *   <tr><td>{@code pyper.task.busy}</td><td>gauge</td><td>workers</td><td>workers inside the function
 *       now</td></tr>
 *   <tr><td>{@code pyper.task.buffered}</td><td>gauge</td><td>items</td><td>outputs waiting in the task's
 *       output buffer now</td></tr>
 *   <tr><td>{@code pyper.task.retries}</td><td>function counter</td><td>attempts</td><td>attempts that failed
 *       and were made again (SPEC 9.2)</td></tr>
 *   <tr><td>{@code pyper.task.timeouts}</td><td>function counter</td><td>attempts</td><td>attempts that ran
 *       past the task's timeout (9.4)</td></tr>
 *   <tr><td>{@code pyper.task.skipped}</td><td>function counter</td><td>items</td><td>inputs dropped after
 *       they failed for good (9.5)</td></tr>
 *   <tr><td>{@code pyper.task.dead.lettered}</td><td>function counter</td><td>items</td><td>inputs handed to
 *       the dead-letter sink (9.5)</td></tr>
 *   <tr><td>{@code pyper.task.rate.waits}</td><td>function timer</td><td>seconds</td><td>attempts that waited
 *       for a token of the task's rate, and how long they waited (10.1)</td></tr>
 *   <tr><td>{@code pyper.task.key.waits}</td><td>function timer</td><td>seconds</td><td>inputs of a keyed task
 *       that waited for their key, busy with another input, and how long they waited (10.10)</td></tr>
 *   <tr><td>{@code pyper.runs.active}</td><td>gauge</td><td>runs</td><td>runs going now</td></tr>
 *   <tr><td>{@code pyper.runs}</td><td>function timer</td><td>seconds</td><td>runs ended, and their
 *       durations</td></tr>
 *   <tr><td>{@code pyper.run.elapsed}</td><td>time gauge</td><td>seconds</td><td>time since the run
 *       started (the oldest active run's, 0 when none)</td></tr>
 * </table>
 *
 * <p>Every meter is a function of the run metrics, read when the registry reads it: nothing is
 * counted twice and the runs' hot paths do no extra work. Counts read while a run goes may be a
 * few items behind, never ahead; a run's final counts are exact. Every meter holds what it reads
 * weakly, so a registry never keeps a run alive. Close every binder: that removes its meters. One
 * dropped without {@code close()} leaves them registered until it is collected (its gauges then
 * read NaN, as Micrometer's do) and the next binding of its name and tags replaces them.
 */
public final class PyperMetrics {

    private PyperMetrics() {}

    /**
     * Binds one run's metrics to {@code registry}.
     *
     * @param registry where the meters go
     * @param run the run, started and not yet closed
     * @param pipelineName the {@code pipeline} tag of every meter
     * @param tags more tags for every meter
     * @return the bound binder; closing it removes the meters
     * @throws IllegalArgumentException if an argument is null or the name is blank
     * @throws IllegalStateException if an open binder has bound meters of the same pipeline name
     *     and tags to {@code registry}
     */
    public static PipelineRunMetrics monitor(
            MeterRegistry registry, PipelineRun<?> run, String pipelineName, Iterable<Tag> tags) {
        PipelineRunMetrics metrics = new PipelineRunMetrics(run, pipelineName, tags);
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * Binds one run's metrics to {@code registry}.
     *
     * @param registry where the meters go
     * @param run the run, started and not yet closed
     * @param pipelineName the {@code pipeline} tag of every meter
     * @param tags more tags for every meter
     * @return the bound binder; closing it removes the meters
     * @throws IllegalArgumentException if an argument is null or the name is blank
     * @throws IllegalStateException if an open binder has bound meters of the same pipeline name
     *     and tags to {@code registry}
     */
    public static PipelineRunMetrics monitor(
            MeterRegistry registry, PipelineRun<?> run, String pipelineName, Tag... tags) {
        return monitor(registry, run, pipelineName, tagsOf(tags));
    }

    /**
     * Wraps {@code pipeline} so that every run started through the wrapper adds up in one set of
     * meters in {@code registry}.
     *
     * @param registry where the meters go
     * @param pipeline the pipeline
     * @param pipelineName the {@code pipeline} tag of every meter
     * @param tags more tags for every meter
     * @param <I> the pipeline's input type
     * @param <O> the pipeline's output type
     * @return the bound wrapper; closing it removes the meters
     * @throws IllegalArgumentException if an argument is null or the name is blank
     * @throws IllegalStateException if an open binder has bound meters of the same pipeline name
     *     and tags to {@code registry}
     */
    public static <I, O> MeteredPipeline<I, O> monitor(
            MeterRegistry registry, Pipeline<I, O> pipeline, String pipelineName, Iterable<Tag> tags) {
        MeteredPipeline<I, O> metered = new MeteredPipeline<>(pipeline, pipelineName, tags);
        metered.bindTo(registry);
        return metered;
    }

    /**
     * Wraps {@code pipeline} so that every run started through the wrapper adds up in one set of
     * meters in {@code registry}.
     *
     * @param registry where the meters go
     * @param pipeline the pipeline
     * @param pipelineName the {@code pipeline} tag of every meter
     * @param tags more tags for every meter
     * @param <I> the pipeline's input type
     * @param <O> the pipeline's output type
     * @return the bound wrapper; closing it removes the meters
     * @throws IllegalArgumentException if an argument is null or the name is blank
     * @throws IllegalStateException if an open binder has bound meters of the same pipeline name
     *     and tags to {@code registry}
     */
    public static <I, O> MeteredPipeline<I, O> monitor(
            MeterRegistry registry, Pipeline<I, O> pipeline, String pipelineName, Tag... tags) {
        return monitor(registry, pipeline, pipelineName, tagsOf(tags));
    }

    private static Tags tagsOf(Tag[] tags) {
        if (tags == null) {
            throw new IllegalArgumentException("PyperMetrics.monitor: the tags are null; pass none instead");
        }
        return Tags.of(tags);
    }
}
