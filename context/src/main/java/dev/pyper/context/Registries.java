package dev.pyper.context;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.List;

/**
 * The accessors that a run's context is captured with: SLF4J's MDC and OpenTelemetry's context
 * (where those libraries are on the class path), then every accessor of a global
 * {@link ContextRegistry} (the user's, {@link ContextRegistry#getInstance()} by default), which
 * win over the first two for the same key.
 *
 * <p>The MDC and OpenTelemetry accessors are this module's own and are not added to the global
 * registry: adding this module changes nothing for the rest of the application (Reactor's
 * automatic context propagation, say). The combined registry is rebuilt when the global one has
 * changed since the last capture, which is checked by identity, accessor by accessor.
 */
final class Registries {

    private final ContextRegistry global;
    private volatile State state;

    /** One combination of the global registry's accessors with this module's. */
    record State(List<ThreadLocalAccessor<?>> seen, ContextRegistry registry, ContextSnapshotFactory factory) {}

    Registries(ContextRegistry global) {
        this.global = global;
    }

    /** The combined registry as of now. */
    State current() {
        List<ThreadLocalAccessor<?>> now = global.getThreadLocalAccessors();
        State known = state;
        if (known != null && same(known.seen(), now)) {
            return known;
        }
        synchronized (this) {
            known = state;
            List<ThreadLocalAccessor<?>> seen = List.copyOf(now);
            if (known == null || !same(known.seen(), seen)) {
                known = combine(seen);
                state = known;
            }
            return known;
        }
    }

    private static State combine(List<ThreadLocalAccessor<?>> globalAccessors) {
        ContextRegistry registry = new ContextRegistry();
        if (Libraries.SLF4J) {
            registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor()); // the whole MDC
        }
        if (Libraries.OPENTELEMETRY) {
            registry.registerThreadLocalAccessor(new OpenTelemetryAccessor());
        }
        globalAccessors.forEach(registry::registerThreadLocalAccessor); // the same key replaces this module's
        registry.registerContextAccessor(new Carried.Accessor());
        // clearMissing: a restore also clears what the thread held that the run's context does not,
        // so that nothing of another run, or of the thread's own past, reaches an invocation
        ContextSnapshotFactory factory = ContextSnapshotFactory.builder()
                .contextRegistry(registry)
                .clearMissing(true)
                .build();
        return new State(globalAccessors, registry, factory);
    }

    private static boolean same(List<ThreadLocalAccessor<?>> a, List<ThreadLocalAccessor<?>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
