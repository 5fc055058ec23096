package dev.pyper.virtual;

import dev.pyper.spi.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;

/** The conformance kit against {@link VirtualThreadExecutor} (rule 7.1). */
class VirtualThreadExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new VirtualThreadExecutor();
    }
}
