package dev.pyper.context;

import dev.pyper.spi.ContextPropagator;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pyper's context propagation (rule 8.8) through Micrometer's context-propagation library: found
 * by {@link java.util.ServiceLoader} as the {@link ContextPropagator} of every executor once this
 * module is on the class path, with nothing to configure.
 *
 * <p>When a run starts, it takes a {@link ContextSnapshot} of the starting thread with
 * <ul>
 *   <li>SLF4J's whole MDC (context-propagation's {@code Slf4jThreadLocalAccessor}, key
 *       {@value #MDC_KEY}), if SLF4J is on the class path;
 *   <li>OpenTelemetry's current {@code Context}, key {@value #OPENTELEMETRY_KEY}, if OpenTelemetry's
 *       API is on the class path, so that spans started in a function are children of the caller's
 *       span;
 *   <li>every {@code ThreadLocalAccessor} registered with {@link ContextRegistry#getInstance()},
 *       at any time (those found by {@code ServiceLoader} included).
 * </ul>
 * Each invocation of the run runs with that snapshot's thread-locals set, and with every other
 * accessor's cleared; they are put back as they were when the invocation returns.
 *
 * <p>To another JVM (a worker process, a remote Flink cluster) go the values whose key is a
 * {@code String} and that are {@code Serializable}, each serialized on its own (the MDC is a map
 * of strings), and OpenTelemetry's context as its W3C {@code traceparent}, {@code tracestate} and
 * {@code baggage} headers. There, each is restored through the accessor of the same key in that
 * JVM's registry: one registered by code that runs only in the caller's JVM is unknown there, so
 * register such an accessor for {@code ServiceLoader}
 * ({@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}).
 */
public final class PyperContextPropagator implements ContextPropagator {

    /** The key of the MDC in a snapshot: context-propagation's {@code Slf4jThreadLocalAccessor.KEY}, {@value}. */
    public static final String MDC_KEY = "cp.slf4j";
    /** The key of OpenTelemetry's context in a snapshot: {@value}. */
    public static final String OPENTELEMETRY_KEY = OpenTelemetryAccessor.KEY;

    private final Registries registries;

    /** The propagator with the accessors of {@link ContextRegistry#getInstance()}: what {@code ServiceLoader} makes. */
    public PyperContextPropagator() {
        this(ContextRegistry.getInstance());
    }

    /**
     * A propagator with the accessors of {@code registry} besides the MDC's and OpenTelemetry's.
     *
     * @param registry the registry whose thread-locals are carried
     */
    public PyperContextPropagator(ContextRegistry registry) {
        this.registries = new Registries(registry);
    }

    @Override
    public Captured capture() {
        Registries.State state = registries.current();
        List<ThreadLocalAccessor<?>> accessors = state.registry().getThreadLocalAccessors();
        Object[] values = new Object[accessors.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = accessors.get(i).getValue(); // what the snapshot below takes, on the same thread
        }
        return new Snapshot(state.factory().captureAll(), accessors, Arrays.asList(values)); // nulls: no value
    }

    @Override
    public Captured fromCarried(byte[] carried) {
        Registries.State state = registries.current();
        return new Snapshot(state.factory().captureFrom(Carried.read(carried)), null, null);
    }

    @Override
    public String toString() {
        return "context propagation through Micrometer's ContextRegistry";
    }

    /**
     * A captured context: a snapshot of context-propagation's, whose factory clears the accessors
     * it holds no value for; and, when captured in this JVM, each accessor's value then (null for
     * none), which {@link #isCurrent()} compares with the thread's.
     */
    private record Snapshot(ContextSnapshot snapshot, List<ThreadLocalAccessor<?>> accessors, List<Object> values)
            implements Captured {

        @Override
        public Scope restore() {
            return snapshot.setThreadLocals()::close;
        }

        /**
         * Reads each accessor once: an MDC read is a copy of a small map, against the three copies
         * and two writes of a restore and its close. Unknown for a context carried from another JVM.
         */
        @Override
        public boolean isCurrent() {
            if (accessors == null) {
                return false;
            }
            for (int i = 0; i < values.size(); i++) {
                ThreadLocalAccessor<?> accessor = accessors.get(i);
                Object captured = values.get(i);
                Object now = accessor.getValue();
                if (!Objects.equals(captured, now)
                        && !(MDC_KEY.equals(accessor.key()) && isEmpty(captured) && isEmpty(now))) {
                    return false;
                }
            }
            return true;
        }

        /** No MDC: SLF4J's adapters give a cleared MDC as null or as an empty map, and it reads the same either way. */
        private static boolean isEmpty(Object mdc) {
            return mdc == null || mdc instanceof Map<?, ?> map && map.isEmpty();
        }

        @Override
        public byte[] carried() {
            return snapshot.updateContext(new Carried()).bytes();
        }
    }
}
