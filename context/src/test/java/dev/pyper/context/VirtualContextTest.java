package dev.pyper.context;

import dev.pyper.PipelineExecutor;

/** Rule 8.8 on the virtual-thread executor: a new thread per worker, so nothing to reuse, but the context still travels. */
class VirtualContextTest extends ContextPropagationContract {

    @Override
    PipelineExecutor newExecutor() {
        return PipelineExecutor.create("virtual");
    }

    @Override
    boolean reusesWorkers() {
        return false;
    }
}
