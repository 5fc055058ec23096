package dev.pyper.context;

import dev.pyper.PipelineExecutor;

/**
 * Rule 8.8 on the process executor: the MDC, the tenant (a registered, serializable value) and the
 * W3C trace context cross to the worker JVMs, which are kept warm and serve the next run.
 */
class ProcessContextTest extends ContextPropagationContract {

    @Override
    PipelineExecutor newExecutor() {
        return PipelineExecutor.create("process");
    }

    @Override
    int runsAtOnce() {
        return 2; // six worker JVMs a run
    }

    @Override
    boolean functionsRunHere() {
        return false;
    }
}
