package dev.pyper.process;

import dev.pyper.spi.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit against {@link ProcessExecutor}: every task's invocations in worker processes.
 * The kit's tests that watch functions through objects of this JVM are skipped with their reason
 * ({@link KitObservesInThisJvm}); {@code -Dpyper.tck.process=all} runs them too.
 */
@ExtendWith(KitObservesInThisJvm.class)
class ProcessExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new ProcessExecutor();
    }
}
