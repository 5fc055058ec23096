package dev.pyper.spi;

import dev.pyper.PipelineExecutor;

/**
 * Makes an executor known to {@link java.util.ServiceLoader} (rule 2.8).
 *
 * <p>Register an implementation in
 * {@code META-INF/services/dev.pyper.spi.ExecutorProvider}. When several executors are on the
 * class path and the system property {@code pyper.executor} names none of them, the one with the
 * highest {@link #priority()} becomes the default.
 */
public interface ExecutorProvider {

    /**
     * The name of the executors this provider makes, as given by {@link PipelineExecutor#name()}.
     *
     * @return a short lower-case name such as {@code threads}
     */
    String name();

    /**
     * Makes a new executor with default settings, for {@link PipelineExecutor#create} and for the
     * JVM's shared default executor ({@link PipelineExecutor#shared()}).
     *
     * <p>The caller of {@code create} closes its executor; the shared one is never closed (its
     * {@code close()} is refused), so the executor's idle workers must end by themselves: threads
     * that end after a keep-alive and are daemon threads, so that they never keep the JVM from
     * exiting, and worker processes that end with the JVM (rules 2.8, 4.5).
     *
     * @return the executor
     */
    PipelineExecutor create();

    /**
     * The preference for this executor as the JVM's default executor when the system property
     * {@code pyper.executor} names none (rule 2.8); higher wins.
     *
     * <p>The built-in executors: {@code threads} 100, {@code virtual} 90, {@code process} 10,
     * {@code flink} 5. A new executor picks a priority below 5 (the default, 0, is fine) unless it
     * means to become the default of every JVM that has it on its class path; users choose it
     * anyway with {@code -Dpyper.executor=<name>}, {@link PipelineExecutor#create} or
     * {@code Pipeline.on(executor)}.
     *
     * @return the priority; 0 by default
     */
    default int priority() {
        return 0;
    }
}
