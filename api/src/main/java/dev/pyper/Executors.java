package dev.pyper;

import dev.pyper.spi.ExecutorProvider;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds executors with {@link ServiceLoader} for {@link PipelineExecutor}'s static methods
 * (rule 2.8), and keeps the shared default ones: one per executor name per JVM, whose
 * {@code close()} is refused.
 */
final class Executors {

    private static final String ARTIFACTS =
            "dev.pyper:pyper-executor-threads (platform threads) or dev.pyper:pyper-executor-virtual (virtual threads)";

    private static final Map<String, PipelineExecutor> SHARED = new ConcurrentHashMap<>();

    private Executors() {}

    static List<String> available() {
        return providers().stream().map(ExecutorProvider::name).toList();
    }

    static PipelineExecutor create(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("PipelineExecutor.create: the name is "
                    + (name == null ? "null" : "blank") + "; available: " + String.join(", ", available()));
        }
        return provider(name.strip(), "PipelineExecutor.create names executor").create();
    }

    static PipelineExecutor shared() {
        String wanted = System.getProperty(PipelineExecutor.PROPERTY);
        Chosen last = lastChosen;
        if (last != null && java.util.Objects.equals(last.wanted(), wanted)) {
            return last.executor(); // the common case, without a ServiceLoader scan per run
        }
        PipelineExecutor executor = choose(wanted);
        lastChosen = new Chosen(wanted, executor);
        return executor;
    }

    /** The shared executor chosen for a value of the system property. */
    private record Chosen(String wanted, PipelineExecutor executor) {}

    private static volatile Chosen lastChosen;

    private static PipelineExecutor choose(String wanted) {
        List<ExecutorProvider> providers = providers();
        if (providers.isEmpty()) {
            throw new IllegalStateException("No Pyper executor is on the class path: add " + ARTIFACTS
                    + " to the dependencies, or bind one with Pipeline.on(executor)");
        }
        ExecutorProvider chosen;
        if (wanted != null && !wanted.isBlank()) {
            try {
                chosen = provider(
                        wanted.strip(), "The system property " + PipelineExecutor.PROPERTY + " names executor");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        } else {
            chosen = providers.get(0);
            for (ExecutorProvider p : providers) {
                if (p.priority() > chosen.priority()) {
                    chosen = p;
                }
            }
        }
        ExecutorProvider provider = chosen;
        return SHARED.computeIfAbsent(provider.name(), name -> new Shared(provider.create()));
    }

    private static ExecutorProvider provider(String name, String what) {
        List<ExecutorProvider> providers = providers();
        return providers.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        what + " '" + name + "', which is not on the class path; available: "
                                + providers.stream().map(ExecutorProvider::name).collect(Collectors.joining(", "))));
    }

    private static List<ExecutorProvider> providers() {
        return ServiceLoader.load(ExecutorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    /**
     * The JVM's shared executor of one name: runs on the executor it wraps and refuses
     * {@code close()}, so that one caller cannot break every later run of the JVM. Its idle
     * workers end by themselves.
     */
    private record Shared(PipelineExecutor delegate) implements PipelineExecutor {

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            return delegate.start(plan, input);
        }

        @Override
        public Map<String, String> unsupportedRules() {
            return delegate.unsupportedRules();
        }

        @Override
        public void close() {
            throw new UnsupportedOperationException("The shared executor '" + delegate.name()
                    + "' belongs to the whole JVM and cannot be closed; make one of your own with PipelineExecutor.create(\""
                    + delegate.name() + "\") and close that");
        }

        @Override
        public String toString() {
            return "shared " + delegate.name() + " executor";
        }
    }
}
