package dev.pyper.context;

import dev.pyper.PipelineException;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import dev.pyper.spi.Run;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A run whose span ends with it: when the last output has been read, when the run's failure is
 * thrown, or when it is closed before either; with the run's totals (rule 8.5) as attributes.
 */
final class TracedRun<O> implements Run<O> {

    static final AttributeKey<List<Long>> ITEMS_IN = AttributeKey.longArrayKey("pyper.task.items_in");
    static final AttributeKey<List<Long>> ITEMS_OUT = AttributeKey.longArrayKey("pyper.task.items_out");
    static final AttributeKey<List<Long>> FAILED = AttributeKey.longArrayKey("pyper.task.failed");
    static final AttributeKey<List<Long>> RETRIES = AttributeKey.longArrayKey("pyper.task.retries");
    static final AttributeKey<List<Long>> SKIPPED = AttributeKey.longArrayKey("pyper.task.skipped");
    static final AttributeKey<List<Long>> DEAD_LETTERED = AttributeKey.longArrayKey("pyper.task.dead_lettered");
    static final AttributeKey<Long> OUTPUTS = AttributeKey.longKey("pyper.outputs");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("pyper.reason");

    private final Run<O> run;
    private final Span span;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closing;

    TracedRun(Run<O> run, Span span) {
        this.run = run;
        this.span = span;
    }

    @Override
    public boolean next(Consumer<? super O> action) {
        boolean more;
        try {
            more = run.next(action);
        } catch (PipelineException e) {
            failed(e);
            throw e;
        }
        if (!more) {
            end();
        }
        return more;
    }

    @Override
    public void forEachRemaining(Consumer<? super O> action) {
        try {
            run.forEachRemaining(action);
        } catch (PipelineException e) {
            failed(e);
            throw e;
        }
        end();
    }

    @Override
    public RunMetrics metrics() {
        return run.metrics();
    }

    /** Closed before its end: a cancellation, recorded once the run's workers have ended. */
    @Override
    public void close() {
        closing = true;
        try {
            run.close();
        } finally {
            if (!ended.get()) {
                cancelled("closed before its end");
            }
        }
    }

    private void failed(PipelineException e) {
        if (closing) {
            cancelled("closed before its end");
        } else if (e.getCause() instanceof InterruptedException) {
            cancelled("the caller was interrupted");
        } else if (ended.compareAndSet(false, true)) {
            Attributes task =
                    e.taskName() == null ? Attributes.empty() : Attributes.of(InvocationSpans.TASK, e.taskName());
            span.recordException(e.getCause() != null ? e.getCause() : e, task);
            for (Throwable later : e.getSuppressed()) { // rule 4.3
                span.recordException(later);
            }
            span.setStatus(StatusCode.ERROR, e.getMessage());
            totalsAndEnd();
        }
    }

    private void cancelled(String reason) {
        if (ended.compareAndSet(false, true)) {
            span.addEvent(PyperTracing.CANCELLED_EVENT, Attributes.of(REASON, reason));
            totalsAndEnd();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            totalsAndEnd();
        }
    }

    private void totalsAndEnd() {
        try {
            RunMetrics metrics = run.metrics();
            List<TaskMetrics> tasks = metrics.tasks();
            span.setAttribute(ITEMS_IN, each(tasks, TaskMetrics::itemsIn));
            span.setAttribute(ITEMS_OUT, each(tasks, TaskMetrics::itemsOut));
            span.setAttribute(FAILED, each(tasks, TaskMetrics::failed));
            span.setAttribute(RETRIES, each(tasks, TaskMetrics::retries));
            span.setAttribute(SKIPPED, each(tasks, TaskMetrics::skipped));
            span.setAttribute(DEAD_LETTERED, each(tasks, TaskMetrics::deadLettered));
            if (!tasks.isEmpty()) {
                span.setAttribute(OUTPUTS, tasks.get(tasks.size() - 1).itemsOut());
            }
        } finally {
            span.end();
        }
    }

    private static List<Long> each(List<TaskMetrics> tasks, ToLongFunction<TaskMetrics> figure) {
        return tasks.stream().map(t -> figure.applyAsLong(t)).toList();
    }
}
