package dev.pyper.model;

import dev.pyper.spi.PipelineExecutor;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An executor under test: how to make a fresh one, what the generator may use on it, and which
 * of its platform threads may stay alive between runs.
 *
 * @param name for reports
 * @param executors makes a fresh executor for each batch of cases
 * @param capabilities what the generator may use
 * @param idleThreadNames names of the executor's own threads that may outlive a run while idle
 *     (rule 4.5); every other live thread whose name starts with {@code pyper-} is busy
 * @param concurrentRuns how many cases run at the same time on one executor (rule 1.2: runs share
 *     no state), 1 or more
 */
record Target(String name, Supplier<PipelineExecutor> executors, Capabilities capabilities, Set<String> idleThreadNames,
        int concurrentRuns) {

    /** A target that runs one case at a time. */
    Target(String name, Supplier<PipelineExecutor> executors, Capabilities capabilities, Set<String> idleThreadNames) {
        this(name, executors, capabilities, idleThreadNames, 1);
    }

    /** The same target, running {@code n} cases at a time. */
    Target concurrently(int n) {
        return new Target(name + "-x" + n, executors, capabilities, idleThreadNames, n);
    }
}
