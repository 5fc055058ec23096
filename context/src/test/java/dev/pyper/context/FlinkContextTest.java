package dev.pyper.context;

import dev.pyper.PipelineExecutor;
import dev.pyper.flink.FlinkExecutor;

/** Rule 8.8 on the Flink executor's embedded cluster, whose TaskManager runs one job after another. */
class FlinkContextTest extends ContextPropagationContract {

    @Override
    PipelineExecutor newExecutor() {
        return FlinkExecutor.builder().embedded(1, 8).build();
    }

    @Override
    boolean reusesWorkers() {
        return false; // each job's subtasks get threads of their own
    }
}
