package dev.pyper.context;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;

/** An executor whose every run has a span ({@link PyperTracing}); all else is the wrapped executor's. */
final class TracedExecutor implements PipelineExecutor {

    static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("pyper.pipeline");
    static final AttributeKey<String> EXECUTOR = AttributeKey.stringKey("pyper.executor");
    static final AttributeKey<List<String>> TASKS = AttributeKey.stringArrayKey("pyper.tasks");
    static final AttributeKey<List<String>> KINDS = AttributeKey.stringArrayKey("pyper.task.kinds");
    static final AttributeKey<List<Long>> WORKERS = AttributeKey.longArrayKey("pyper.task.workers");

    private final PipelineExecutor executor;
    private final PyperTracing tracing;

    TracedExecutor(PipelineExecutor executor, PyperTracing tracing) {
        this.executor = executor;
        this.tracing = tracing;
    }

    @Override
    public String name() {
        return executor.name();
    }

    /**
     * Starts the run's span, then the run with the span current, so that the run's context
     * carries it into the invocations (rule 8.8).
     */
    @Override
    public <O> Run<O> start(Plan plan, Object input) {
        List<TaskSpec> tasks = plan.tasks();
        Span span = tracing.tracer()
                .spanBuilder(PyperTracing.RUN_SPAN)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(PIPELINE, plan.toString())
                .setAttribute(EXECUTOR, executor.name())
                .setAttribute(TASKS, tasks.stream().map(TaskSpec::name).toList())
                .setAttribute(KINDS, tasks.stream().map(t -> t.kind().name()).toList())
                .setAttribute(
                        WORKERS, tasks.stream().map(t -> (long) t.workers()).toList())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            return new TracedRun<>(executor.start(tracing.instrument(plan), input), span);
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, "the run could not start: " + e);
            span.end();
            throw e;
        }
    }

    @Override
    public Map<String, String> unsupportedRules() {
        return executor.unsupportedRules();
    }

    @Override
    public void close() {
        executor.close();
    }

    @Override
    public String toString() {
        return "traced " + executor;
    }
}
