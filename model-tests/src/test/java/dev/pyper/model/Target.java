package dev.pyper.model;

import dev.pyper.PipelineExecutor;
import java.util.List;
import java.util.function.Supplier;

/**
 * An executor under test: how to make a fresh one, what the generator may use on it, and which
 * of its platform threads may stay alive between runs.
 *
 * @param name for reports
 * @param executors makes a fresh executor for each batch of cases
 * @param capabilities what the generator may use
 * @param idleThreadPrefixes how the names of the executor's own threads that may outlive a run
 *     while idle begin (rule 4.5); every other live thread whose name starts with {@code pyper-}
 *     is busy
 * @param concurrentRuns how many cases run at the same time on one executor (rule 1.2: runs share
 *     no state), 1 or more
 */
record Target(
        String name,
        Supplier<PipelineExecutor> executors,
        Capabilities capabilities,
        List<String> idleThreadPrefixes,
        int concurrentRuns) {

    /** A target that runs one case at a time. */
    Target(
            String name,
            Supplier<PipelineExecutor> executors,
            Capabilities capabilities,
            List<String> idleThreadPrefixes) {
        this(name, executors, capabilities, idleThreadPrefixes, 1);
    }

    /** Whether a thread of this name is one of the executor's idle ones. */
    boolean idle(String threadName) {
        return idleThreadPrefixes.stream().anyMatch(threadName::startsWith);
    }

    /** The same target, running {@code n} cases at a time. */
    Target concurrently(int n) {
        return new Target(name + "-x" + n, executors, capabilities, idleThreadPrefixes, n);
    }
}
