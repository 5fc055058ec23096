package dev.pyper.examples;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * {@code %traceId} in a Logback pattern: the trace id of the OpenTelemetry span current where the
 * line is written, {@code -} if none. {@code pyper-context} puts no trace id in the MDC: it
 * restores OpenTelemetry's {@code Context} itself around each invocation (in a worker JVM, from the
 * W3C {@code traceparent} it carried there), so {@code Span.current()} inside a pipeline's function
 * is the request's span or its child, and this converter prints its trace.
 *
 * <p>It reads the span when the line is formatted, which a console or file appender does on the
 * thread that logs. An {@code AsyncAppender} formats later, on its own thread: there, copy the
 * trace id into each event's MDC instead (OpenTelemetry's {@code opentelemetry-logback-mdc-1.0}
 * instrumentation does that).
 */
public final class TraceIdConverter extends ClassicConverter {

    /** Made by Logback, for {@code <conversionRule conversionWord="traceId" …>}. */
    public TraceIdConverter() {}

    @Override
    public String convert(ILoggingEvent event) {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? span.getTraceId() : "-";
    }
}
