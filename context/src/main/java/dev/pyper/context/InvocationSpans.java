package dev.pyper.context;

import dev.pyper.Emitter;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.TaskSpec;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.Serializable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A task's function with a span around a sample of its invocations ({@link PyperTracing#invocationSpans}).
 * Serializable, as the function is, so that it runs in worker JVMs too: there it takes its tracer
 * from that JVM's {@link GlobalOpenTelemetry}, and its spans' parent from the run's context
 * (rule 8.8).
 */
final class InvocationSpans {

    static final AttributeKey<String> TASK = AttributeKey.stringKey("pyper.task");

    private InvocationSpans() {}

    /** The task's function, its invocations spanned with probability {@code ratio}. */
    static Serializable wrap(TaskSpec task, double ratio, Tracer tracer) {
        Spanning spanning = new Spanning(task.name(), ratio, task.kind().isAsync(), tracer);
        return switch (task.kind()) {
            case GENERATOR, JOIN_GENERATOR -> new SpannedGenerator(task.function(), spanning);
            case BATCH -> task.function(); // calls no function: no invocation to span
            default -> new SpannedFunction(task.function(), spanning);
        };
    }

    /** How one task's invocations are spanned. */
    static final class Spanning implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String task;
        private final double ratio;
        private final boolean async;
        /** The application's tracer in the caller's JVM; in another, that JVM's global one. */
        private transient Tracer tracer;

        Spanning(String task, double ratio, boolean async, Tracer tracer) {
            this.task = task;
            this.ratio = ratio;
            this.async = async;
            this.tracer = tracer;
        }

        /** A span for this invocation, or null if it is not in the sample. */
        Span start() {
            if (ratio < 1 && ThreadLocalRandom.current().nextDouble() >= ratio) {
                return null;
            }
            Tracer t = tracer;
            if (t == null) {
                t = GlobalOpenTelemetry.getTracer(PyperTracing.INSTRUMENTATION);
                tracer = t;
            }
            return t.spanBuilder(PyperTracing.INVOCATION_SPAN + " " + task)
                    .setAttribute(TASK, task)
                    .startSpan();
        }

        /** Ends the span of a call that returned {@code result}: an async one when its stage completes. */
        Object returned(Span span, Object result) {
            if (async && result instanceof CompletionStage<?> stage) {
                stage.whenComplete((value, error) -> {
                    if (error != null) {
                        failed(span, error);
                    }
                    span.end();
                });
            } else {
                span.end();
            }
            return result;
        }

        static void failed(Span span, Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, String.valueOf(error));
        }
    }

    /** A function (task, branch, join, async) with spans. */
    record SpannedFunction(Serializable function, Spanning spanning) implements ThrowingFunction<Object, Object> {

        @Override
        @SuppressWarnings("unchecked")
        public Object apply(Object input) throws Exception {
            Span span = spanning.start();
            if (span == null) {
                return ((ThrowingFunction<Object, Object>) function).apply(input);
            }
            Object result;
            try (Scope scope = span.makeCurrent()) {
                result = ((ThrowingFunction<Object, Object>) function).apply(input);
            } catch (Exception | Error e) {
                Spanning.failed(span, e);
                span.end();
                throw e;
            }
            return spanning.returned(span, result);
        }

        @Override
        public String toString() {
            return function.toString();
        }
    }

    /** A generator with spans: each covers the generator's call and its emits. */
    record SpannedGenerator(Serializable function, Spanning spanning) implements Generator<Object, Object> {

        @Override
        @SuppressWarnings("unchecked")
        public void generate(Object input, Emitter<Object> out) throws Exception {
            Span span = spanning.start();
            if (span == null) {
                ((Generator<Object, Object>) function).generate(input, out);
                return;
            }
            try (Scope scope = span.makeCurrent()) {
                ((Generator<Object, Object>) function).generate(input, out);
            } catch (Exception | Error e) {
                Spanning.failed(span, e);
                throw e;
            } finally {
                span.end();
            }
        }

        @Override
        public String toString() {
            return function.toString();
        }
    }
}
