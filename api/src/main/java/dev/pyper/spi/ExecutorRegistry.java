package dev.pyper.spi;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds executors with {@link ServiceLoader} (rule 2.8).
 *
 * <p>The default executor is the one that the system property {@code pyper.executor} names, or,
 * where it is unset, the registered executor with the highest priority. Each default executor is
 * made once per JVM and shared by every run that does not bind one with {@code Pipeline.on}; its
 * idle workers end by themselves after a while, so it needs no closing.
 */
public final class ExecutorRegistry {

    /** The system property that names the default executor. */
    public static final String PROPERTY = "pyper.executor";

    private static final String ARTIFACTS =
            "dev.pyper:pyper-executor-threads (platform threads) or dev.pyper:pyper-executor-virtual (virtual threads)";

    private static final Map<String, PipelineExecutor> SHARED = new ConcurrentHashMap<>();

    private ExecutorRegistry() {
    }

    /**
     * The names of the executors on the class path.
     *
     * @return the names, in the order {@link ServiceLoader} finds them
     */
    public static List<String> available() {
        return providers().stream().map(ExecutorProvider::name).toList();
    }

    /**
     * The shared default executor (rule 2.8).
     *
     * @return the executor named by {@code pyper.executor}, or the one with the highest priority
     * @throws IllegalStateException if no executor is on the class path, or the property names one
     *     that is not
     */
    public static PipelineExecutor defaultExecutor() {
        String wanted = System.getProperty(PROPERTY);
        List<ExecutorProvider> providers = providers();
        if (providers.isEmpty()) {
            throw new IllegalStateException("No Pyper executor is on the class path: add " + ARTIFACTS
                    + " to the dependencies, or bind one with Pipeline.on(executor)");
        }
        ExecutorProvider chosen;
        if (wanted != null && !wanted.isBlank()) {
            chosen = providers.stream()
                    .filter(p -> p.name().equals(wanted.strip()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("The system property " + PROPERTY + " names executor '"
                            + wanted + "', which is not on the class path; available: "
                            + providers.stream().map(ExecutorProvider::name).collect(Collectors.joining(", "))));
        } else {
            chosen = providers.get(0);
            for (ExecutorProvider p : providers) {
                if (p.priority() > chosen.priority()) {
                    chosen = p;
                }
            }
        }
        ExecutorProvider provider = chosen;
        return SHARED.computeIfAbsent(provider.name(), name -> provider.create());
    }

    /**
     * Makes a new executor of the given name with default settings.
     *
     * @param name the executor's name, such as {@code threads}
     * @return a new executor, which the caller closes
     * @throws IllegalArgumentException if no executor of that name is on the class path
     */
    public static PipelineExecutor create(String name) {
        return providers().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No executor named '" + name + "' is on the class path; available: "
                        + String.join(", ", available())))
                .create();
    }

    private static List<ExecutorProvider> providers() {
        return ServiceLoader.load(ExecutorProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
