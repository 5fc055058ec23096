package dev.pyper.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Rule 8.8 for a remote Flink cluster, without one: the run's reference as the executor ships it
 * (serialized, as Flink ships a job's functions) carries what can be carried of the caller's
 * context, and an operator that resolves it in another JVM restores that context around its
 * invocations. In a test of the context module, in the Flink executor's package, to reach its
 * package-private {@link RunRef}.
 */
class RemoteRunContextTest {

    static String same(String s) {
        return s;
    }

    @Test
    @SuppressWarnings("try")
    void aShippedRunCarriesTheCallersMdcAndTraceContext() throws Exception {
        Plan plan = new Plan(List.of(new TaskSpec(
                "same",
                TaskSpec.Kind.TASK,
                (ThrowingFunction<String, String>) RemoteRunContextTest::same,
                1,
                0,
                false,
                false)));
        SpanContext span = SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        RunRef shipped;
        try (MDC.MDCCloseable request = MDC.putCloseable("request", "remote-1");
                Scope scope = Span.wrap(span).storeInContext(Context.root()).makeCurrent()) {
            ContextPropagator.Captured context = ContextPropagator.installed().capture(); // as FlinkExecutor.start does
            shipped = RunRef.shipped("run-1", plan, "input", context.carried());
        }
        RunRef arrived = (RunRef) copy(shipped); // what a TaskManager deserializes
        RunScope scope = arrived.resolve();
        assertNull(MDC.get("request"));
        try (ContextPropagator.Scope restored = scope.context().restore()) {
            assertEquals("remote-1", MDC.get("request"));
            SpanContext seen = Span.current().getSpanContext();
            assertEquals(span.getTraceId(), seen.getTraceId());
            assertEquals(span.getSpanId(), seen.getSpanId());
        }
        assertNull(MDC.get("request"));
        assertEquals(SpanContext.getInvalid(), Span.current().getSpanContext());
    }

    private static Object copy(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
