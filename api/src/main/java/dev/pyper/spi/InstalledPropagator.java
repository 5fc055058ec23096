package dev.pyper.spi;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the {@link ContextPropagator} of this JVM once, for {@link ContextPropagator#installed()}. */
final class InstalledPropagator {

    private static volatile ContextPropagator found;

    private InstalledPropagator() {}

    static ContextPropagator get() {
        ContextPropagator propagator = found;
        if (propagator == null) {
            propagator = load();
            found = propagator;
        }
        return propagator;
    }

    private static ContextPropagator load() {
        if ("none"
                .equalsIgnoreCase(
                        System.getProperty(ContextPropagator.PROPERTY, "").strip())) {
            return ContextPropagator.NONE;
        }
        try {
            return ServiceLoader.load(ContextPropagator.class).findFirst().orElse(ContextPropagator.NONE);
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            // a broken implementation (its library missing) must not break every run: say so, carry nothing
            System.getLogger(ContextPropagator.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "No context propagation: the installed ContextPropagator cannot be loaded: " + e,
                            e);
            return ContextPropagator.NONE;
        }
    }
}
