package dev.pyper.context;

import dev.pyper.PipelineExecutor;

/** Rule 8.8 on the platform-thread executor, whose pooled threads serve one run after another. */
class ThreadsContextTest extends ContextPropagationContract {

    @Override
    PipelineExecutor newExecutor() {
        return PipelineExecutor.create("threads");
    }
}
