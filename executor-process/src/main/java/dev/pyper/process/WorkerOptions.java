package dev.pyper.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How worker processes are started and kept: JVM options, class path, and the bounds of the warm
 * pool.
 *
 * @param jvmArgs options passed to each worker's {@code java} before the main class
 * @param classPath the worker's class path: see {@link #classPathOf(ClassLoader)}
 * @param maxIdleWorkers how many idle workers the pool keeps warm for later invocations
 * @param idleTimeout how long an idle worker waits in the pool before it ends by itself
 * @param startTimeout how long a worker may take to start and connect
 */
record WorkerOptions(
        List<String> jvmArgs, String classPath, int maxIdleWorkers, Duration idleTimeout, Duration startTimeout) {

    /** The system property whose value (options separated by spaces) is added to every worker's JVM options. */
    static final String JVM_ARGS_PROPERTY = "pyper.process.jvmArgs";

    /** Options that make a worker JVM start fast without changing how fast user code runs. */
    static final List<String> BASE_JVM_ARGS = List.of("-Xshare:auto", "-XX:-UsePerfData");

    /** Idle workers kept warm by default: enough for a few tasks with a few workers each. */
    static final int DEFAULT_MAX_IDLE = 8;

    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    WorkerOptions {
        jvmArgs = List.copyOf(jvmArgs);
    }

    /**
     * The defaults, plus whatever {@value #JVM_ARGS_PROPERTY} adds: what {@code multiprocess} tasks
     * use. The class path is the calling thread's (see {@link #classPathOf(ClassLoader)}).
     */
    static WorkerOptions defaults() {
        return of(List.of(), DEFAULT_MAX_IDLE, DEFAULT_IDLE_TIMEOUT, DEFAULT_START_TIMEOUT);
    }

    /**
     * Options with the base JVM options, then those of {@value #JVM_ARGS_PROPERTY}, then
     * {@code jvmArgs}, and the calling thread's class path (see {@link #classPathOf(ClassLoader)}).
     */
    static WorkerOptions of(List<String> jvmArgs, int maxIdleWorkers, Duration idleTimeout, Duration startTimeout) {
        List<String> args = new ArrayList<>(BASE_JVM_ARGS);
        args.addAll(fromProperty());
        args.addAll(jvmArgs);
        return new WorkerOptions(
                args,
                classPathOf(Thread.currentThread().getContextClassLoader()),
                maxIdleWorkers,
                idleTimeout,
                startTimeout);
    }

    /**
     * The class path on which a worker finds the same classes as code that runs with
     * {@code loader}: this JVM's class path, then the jars and folders of every
     * {@link URLClassLoader} between {@code loader} and the system class loader. Where user code
     * is loaded by a class loader of its own (a Flink TaskManager's user-code loader, an
     * application server's), its jars are not on {@code java.class.path}, yet the worker must
     * deserialize its functions.
     *
     * @param loader the class loader of the code whose tasks the workers run; null for the system one
     * @return entries separated by {@link File#pathSeparator}, without duplicates
     */
    static String classPathOf(ClassLoader loader) {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        List<String> loaded = new ArrayList<>();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        for (ClassLoader l = loader; l != null && l != system; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                List<String> own = new ArrayList<>();
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            own.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException notAFile) {
                            // not a local path: a worker could not use it either
                        }
                    }
                }
                loaded.addAll(0, own); // parents first, as they are searched first
            }
        }
        entries.addAll(loaded);
        return String.join(File.pathSeparator, entries);
    }

    static List<String> fromProperty() {
        String value = System.getProperty(JVM_ARGS_PROPERTY, "").strip();
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }
}
