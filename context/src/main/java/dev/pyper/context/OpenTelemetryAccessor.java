package dev.pyper.context;

import io.micrometer.context.ThreadLocalAccessor;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenTelemetry's current {@link Context} (the span, the baggage, whatever instrumentation keeps
 * in it) as a {@link ThreadLocalAccessor} under {@value #KEY}: captured when it is not the root
 * context, made current with {@link Context#makeCurrent()}, and put back by closing that scope, as
 * OpenTelemetry requires (scopes close in reverse order, on the thread that opened them). Loaded
 * only when OpenTelemetry's API is on the class path.
 *
 * <p>For another JVM it becomes the W3C {@code traceparent}, {@code tracestate} and
 * {@code baggage} headers, through OpenTelemetry's own propagators, and is read back from them
 * there: the worker's spans are children of the caller's span (a remote parent).
 */
final class OpenTelemetryAccessor implements ThreadLocalAccessor<Context> {

    /** The key of OpenTelemetry's context in a snapshot: {@value}. */
    static final String KEY = "pyper.opentelemetry";

    private static final TextMapPropagator W3C =
            TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());

    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // TextMapGetter has no default for it: every getter implements it
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** The scopes this accessor opened on each thread and has not closed yet, innermost first. */
    private static final ThreadLocal<ArrayDeque<Scope>> SCOPES = new ThreadLocal<>();

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public Context getValue() {
        Context current = Context.current();
        return current == Context.root() ? null : current;
    }

    @Override
    @SuppressWarnings("MustBeClosedChecker") // open keeps the scope, which restore closes
    public void setValue(Context value) {
        open(value.makeCurrent());
    }

    @Override
    @SuppressWarnings("MustBeClosedChecker") // open keeps the scope, which restore closes
    public void setValue() {
        open(Context.root().makeCurrent());
    }

    @Override
    public void restore(Context previousValue) {
        close();
    }

    @Override
    public void restore() {
        close();
    }

    private static void open(Scope scope) {
        ArrayDeque<Scope> scopes = SCOPES.get();
        if (scopes == null) {
            scopes = new ArrayDeque<>(4);
            SCOPES.set(scopes);
        }
        scopes.push(scope);
    }

    private static void close() {
        ArrayDeque<Scope> scopes = SCOPES.get();
        if (scopes == null || scopes.isEmpty()) {
            return;
        }
        scopes.pop().close();
        if (scopes.isEmpty()) {
            SCOPES.remove(); // a pooled thread keeps nothing between runs
        }
    }

    /**
     * The W3C headers of a context, to carry to another JVM.
     *
     * @param context a {@link Context}
     * @return the headers; empty if the context holds no valid span and no baggage
     */
    static HashMap<String, String> headers(Object context) {
        HashMap<String, String> headers = new HashMap<>();
        W3C.inject((Context) context, headers, (carrier, key, value) -> carrier.put(key, value));
        return headers;
    }

    /**
     * The context that {@link #headers} describe, with the caller's span as a remote parent.
     *
     * @param headers the W3C headers
     * @return the context, or null if they hold nothing
     */
    static Context fromHeaders(Map<String, String> headers) {
        Context context = W3C.extract(Context.root(), headers, FROM_MAP);
        return context == Context.root() ? null : context;
    }
}
