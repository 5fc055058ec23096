package dev.pyper.spi;

import java.util.Map;

/**
 * Runs pipelines: the service that an executor module provides (rule 2.8).
 *
 * <p>An executor sees a pipeline as a {@link Plan}: plain data. It may keep idle workers warm
 * between runs, bounded and named as its own, and ends them all on {@link #close()}, after which
 * the JVM's live threads and child processes are back where they were (rule 4.5).
 *
 * <p>Third-party executors implement this interface, register an {@link ExecutorProvider} for
 * {@link java.util.ServiceLoader}, and prove themselves with the conformance kit
 * ({@code dev.pyper:pyper-tck}, section 7).
 */
public interface PipelineExecutor extends AutoCloseable {

    /**
     * The executor's name, as used by the system property {@code pyper.executor} (rule 2.8).
     *
     * @return a short lower-case name such as {@code threads}
     */
    String name();

    /**
     * Starts a run of {@code plan} on {@code input}. The run may start working at once or on the
     * first pull; either way it is lazy: outputs flow while the producer still runs (rule 2.1).
     *
     * @param plan the checked plan
     * @param input the input that the producer is called with
     * @param <O> the output type of the last task
     * @return the run, which the caller must close
     * @throws IllegalArgumentException if the plan asks for something this executor cannot do,
     *     before any user function is called
     * @throws IllegalStateException if the executor is closed
     */
    <O> Run<O> start(Plan plan, Object input);

    /**
     * The rules of the specification that this executor does not meet, each with the reason
     * (rule 7.2). The conformance kit skips their tests and reports the reason. Keys are rule
     * numbers ({@code "2.6"}) or whole sections ({@code "6"}).
     *
     * @return rule number to reason; empty for an executor that meets every rule
     */
    default Map<String, String> unsupportedRules() {
        return Map.of();
    }

    /**
     * Ends every worker that this executor keeps, waiting for them (rule 4.5). Runs still going
     * are cancelled. Idempotent.
     */
    @Override
    void close();
}
