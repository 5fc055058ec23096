package dev.pyper.context;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry spans of pipeline runs: optional, and only for the executors it wraps.
 *
 * <pre>{@code
 * PyperTracing tracing = PyperTracing.create(openTelemetry).invocationSpans("fetch", 0.01);
 * PipelineExecutor traced = tracing.trace(PipelineExecutor.create("threads"));
 * pipeline.on(traced).toList(input);
 * }</pre>
 *
 * <p>Every run on a traced executor gets a span, {@value #RUN_SPAN}, a child of the span current
 * on the thread that starts the run, from the start to the end of the run (the last output read,
 * the failure thrown, or the run closed). It says the pipeline's shape when it starts and its
 * totals when it ends, as attributes whose values are arrays in task order:
 * <ul>
 *   <li>{@code pyper.pipeline} (the tasks by name, {@code [produce | parse | total]}),
 *       {@code pyper.executor}, {@code pyper.tasks}, {@code pyper.task.kinds},
 *       {@code pyper.task.workers};
 *   <li>{@code pyper.task.items_in}, {@code pyper.task.items_out}, {@code pyper.task.failed},
 *       {@code pyper.task.retries}, {@code pyper.task.skipped}, {@code pyper.task.dead_lettered},
 *       and {@code pyper.outputs}, the outputs of the last task (rules 8.5, 9.6).
 * </ul>
 * A failed run records its failure as an {@code exception} event (with {@code pyper.task}), each
 * later failure too (rule 4.3), and ends with status {@code ERROR}; a run closed or interrupted
 * before its end gets a {@value #CANCELLED_EVENT} event with a {@code pyper.reason}.
 *
 * <p>The run's span is current while the run starts, so the run's context (rule 8.8) carries it:
 * spans that functions start are its children. Spans of single invocations, {@value #INVOCATION_SPAN},
 * are made only for the tasks named with {@link #invocationSpans}, for a sample of their
 * invocations; in a worker JVM they go to that JVM's {@code GlobalOpenTelemetry}.
 *
 * <p>Instances are immutable; each method that configures returns a new one.
 */
public final class PyperTracing {

    /** The instrumentation scope of the spans: {@value}. */
    public static final String INSTRUMENTATION = "dev.pyper";
    /** The name of a run's span: {@value}. */
    public static final String RUN_SPAN = "pyper.run";
    /** The name of an invocation's span: {@value}. */
    public static final String INVOCATION_SPAN = "pyper.invocation";
    /** The event of a run closed or interrupted before its end: {@value}. */
    public static final String CANCELLED_EVENT = "pyper.cancelled";

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    /** Task name to the share of its invocations that get a span, 0 to 1. */
    private final Map<String, Double> invocations;

    private PyperTracing(OpenTelemetry openTelemetry, Map<String, Double> invocations) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.invocations = Map.copyOf(invocations);
    }

    /**
     * Tracing that makes its spans with {@code openTelemetry}'s tracer; no invocation spans.
     *
     * @param openTelemetry the application's OpenTelemetry (its SDK, or {@code GlobalOpenTelemetry.get()})
     * @return the tracing
     * @throws IllegalArgumentException if {@code openTelemetry} is null
     */
    public static PyperTracing create(OpenTelemetry openTelemetry) {
        if (openTelemetry == null) {
            throw new IllegalArgumentException("create: openTelemetry is null");
        }
        return new PyperTracing(openTelemetry, Map.of());
    }

    /**
     * The same tracing, with a span for a sample of the invocations of the task named {@code task}
     * in every pipeline traced: each invocation gets one with probability {@code sampleRatio}
     * (and the tracer's own sampler decides as usual). Its span covers the function's call (an
     * async function's until its stage completes; a generator's with its emits), records what the
     * function threw, and is the parent of the spans the function starts.
     *
     * @param task a task's name (rule 1.7: {@code named("…")})
     * @param sampleRatio the share of invocations with a span, more than 0 and at most 1
     * @return the new tracing
     * @throws IllegalArgumentException if {@code task} is null or blank, or the ratio is out of range
     */
    public PyperTracing invocationSpans(String task, double sampleRatio) {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("invocationSpans: the task's name is blank");
        }
        if (!(sampleRatio > 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException(
                    "invocationSpans: the sample ratio must be more than 0 and at most 1, was " + sampleRatio
                            + " (task '" + task + "')");
        }
        Map<String, Double> more = new LinkedHashMap<>(invocations);
        more.put(task, sampleRatio);
        return new PyperTracing(openTelemetry, more);
    }

    /**
     * The executor {@code executor} with a span for each run: runs, names, rules and
     * {@code close()} are its own.
     *
     * @param executor the executor to trace
     * @return the traced executor
     * @throws IllegalArgumentException if {@code executor} is null
     */
    public PipelineExecutor trace(PipelineExecutor executor) {
        if (executor == null) {
            throw new IllegalArgumentException("trace: the executor is null");
        }
        return new TracedExecutor(executor, this);
    }

    Tracer tracer() {
        return tracer;
    }

    /** The plan with the invocation spans asked for; the plan itself if none of its tasks is named. */
    Plan instrument(Plan plan) {
        if (invocations.isEmpty()) {
            return plan;
        }
        List<TaskSpec> tasks = new ArrayList<>(plan.tasks().size());
        boolean changed = false;
        for (TaskSpec task : plan.tasks()) {
            Double ratio = invocations.get(task.name());
            if (ratio == null) {
                tasks.add(task);
            } else {
                tasks.add(task.withFunction(InvocationSpans.wrap(task, ratio, tracer), task.failurePolicy()));
                changed = true;
            }
        }
        return changed ? new Plan(tasks) : plan;
    }
}
