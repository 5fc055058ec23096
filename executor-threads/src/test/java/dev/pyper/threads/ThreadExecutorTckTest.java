package dev.pyper.threads;

import dev.pyper.PipelineExecutor;
import dev.pyper.tck.PipelineExecutorVerification;

/** The conformance kit against {@link ThreadExecutor}. */
class ThreadExecutorTckTest extends PipelineExecutorVerification {

    @Override
    protected PipelineExecutor createExecutor() {
        return new ThreadExecutor();
    }
}
