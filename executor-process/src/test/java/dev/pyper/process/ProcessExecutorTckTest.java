package dev.pyper.process;

import dev.pyper.spi.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The conformance kit against {@link ProcessExecutor}: every task's invocations in worker processes.
 *
 * <p>Off by default, on with {@code -Dpyper.tck.process=true}: many of the kit's tests watch their
 * functions through objects of the test's own JVM (latches, barriers, flags and counters captured
 * by lambdas, exceptions compared by identity), which a function running in a worker process
 * cannot reach; they fail here although the executor meets the rule. They will pass once the kit
 * observes functions in a way that crosses processes.
 */
@EnabledIfSystemProperty(named = "pyper.tck.process", matches = "true")
class ProcessExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new ProcessExecutor();
    }
}
