package dev.pyper.process;

import dev.pyper.spi.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import dev.pyper.tck.Tck;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit against {@link ProcessExecutor}: every task's invocations in worker
 * processes, watched by the kit through its shared-memory fixtures. The one test that would start
 * about 260 worker JVMs is skipped with its reason ({@link TooManyWorkerJvms});
 * {@code -Dpyper.tck.process=all} runs it too.
 */
@ExtendWith(TooManyWorkerJvms.class)
class ProcessExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        // the kit's waits inside functions run in the workers: they get the same timeout scale
        return ProcessExecutor.builder().systemProperty(Tck.TIMEOUT_SCALE, Double.toString(Tck.scale())).build();
    }
}
