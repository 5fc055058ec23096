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
 */
record Target(String name, Supplier<PipelineExecutor> executors, Capabilities capabilities, Set<String> idleThreadNames) {
}
