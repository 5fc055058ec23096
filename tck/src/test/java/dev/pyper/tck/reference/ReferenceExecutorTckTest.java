package dev.pyper.tck.reference;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;

/** The whole kit against the reference executor: it must pass every rule but section 6, which it declares. */
class ReferenceExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new ReferenceExecutor();
    }
}
