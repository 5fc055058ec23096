package dev.pyper;

import dev.pyper.spi.ExecutorProvider;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.List;
import java.util.Map;

/**
 * Runs pipelines: platform threads, virtual threads, worker processes, a cluster (rule 2.8).
 *
 * <p>Users make, name and close executors with the static methods here and bind a pipeline to one
 * with {@link Pipeline#on}; a pipeline bound to none runs on the {@linkplain #shared() shared}
 * default executor:
 *
 * <pre>{@code
 * try (PipelineExecutor virtual = PipelineExecutor.create("virtual")) {
 *     List<String> pages = crawl.on(virtual).toList(seed);
 * }
 * }</pre>
 *
 * <p>Executors implement {@link #name()}, {@link #start}, {@link #unsupportedRules()} and
 * {@link #close()}, register an {@link ExecutorProvider} for {@link java.util.ServiceLoader}, and
 * prove themselves with the conformance kit ({@code dev.pyper:pyper-tck}, section 7). An executor
 * sees a pipeline as a {@link Plan}: plain data. It may keep idle workers warm between runs,
 * bounded and named as its own, and ends them all on {@link #close()}, after which the JVM's live
 * threads and child processes are back where they were (rule 4.5).
 */
public interface PipelineExecutor extends AutoCloseable {

    /** The system property that names the default executor (rule 2.8). */
    String PROPERTY = "pyper.executor";

    /**
     * Makes a new executor of the given name with default settings; the caller closes it.
     *
     * @param name the executor's name, such as {@code threads}, {@code virtual}, {@code process}
     * @return a new executor
     * @throws IllegalArgumentException if no executor of that name is on the class path, naming
     *     those that are
     */
    static PipelineExecutor create(String name) {
        return Executors.create(name);
    }

    /**
     * The shared default executor of this JVM (rule 2.8): the one that the system property
     * {@value #PROPERTY} names, or else the one on the class path with the highest priority. It is
     * made once and used by every pipeline that is bound to no executor; its idle workers end by
     * themselves, so it needs no closing, and its {@code close()} is refused, so that no caller
     * can break it for the rest of the JVM.
     *
     * @return the shared executor
     * @throws IllegalStateException if no executor is on the class path, or the property names
     *     one that is not, naming the artifacts to add
     */
    static PipelineExecutor shared() {
        return Executors.shared();
    }

    /**
     * The names of the executors on the class path.
     *
     * @return the names, in the order {@link java.util.ServiceLoader} finds them
     */
    static List<String> available() {
        return Executors.available();
    }

    /**
     * The executor's name, as used by {@link #create} and the system property {@value #PROPERTY}
     * (rule 2.8).
     *
     * @return a short lower-case name such as {@code threads}
     */
    String name();

    /**
     * Starts a run of {@code plan} on {@code input}; called by {@link Pipeline#start} and
     * {@link Pipeline#stream}, not by users. The run starts here, not at the first pull
     * (rule 8.1): its workers begin at once, the producer is called without waiting for the
     * caller, and the first outputs wait in the buffers; a run that is neither read to its end
     * nor closed keeps going. Its outputs flow while the producer still runs (rule 2.1), and its
     * {@linkplain Run#metrics() metrics} are kept from the start (rule 8.5).
     *
     * @param plan the checked plan
     * @param input the input that the producer is called with
     * @param <O> the output type of the last task
     * @return the run, which the caller must close
     * @throws IllegalArgumentException if the plan asks for something this executor cannot do,
     *     before any user function is called
     * @throws IllegalStateException if the executor is closed (rule 8.7)
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
     * are ended, their next pull throwing {@link PipelineException} (rule 8.7). Idempotent.
     *
     * @throws UnsupportedOperationException for the {@linkplain #shared() shared} executor
     */
    @Override
    void close();
}
