package dev.pyper.process;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;
import dev.pyper.tck.Tck;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit against {@link ProcessExecutor}: every task's invocations in worker
 * processes, watched by the kit through its shared-memory fixtures: the whole kit; the rule 2.9
 * tests that start 80 and about 260 worker JVMs at once run in the scale profile
 * ({@code -Pscale}, {@link ManyWorkerJvms}).
 */
@ExtendWith(ManyWorkerJvms.class)
class ProcessExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        // the kit's waits inside functions run in the workers: they get the same timeout scale
        return ProcessExecutor.builder()
                .systemProperty(Tck.TIMEOUT_SCALE, Double.toString(Tck.scale()))
                .build();
    }
}
