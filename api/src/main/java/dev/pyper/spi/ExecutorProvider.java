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
     * Makes a new executor with default settings.
     *
     * @return the executor; the caller closes it
     */
    PipelineExecutor create();

    /**
     * The preference for this executor as the default; higher wins.
     *
     * @return the priority; 0 by default
     */
    default int priority() {
        return 0;
    }
}
