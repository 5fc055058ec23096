package dev.pyper.model;

/** The model suite on {@link dev.pyper.threads.ThreadExecutor}. */
class ThreadExecutorModelTest extends ExecutorModelTest {

    @Override
    protected Target target() {
        return Targets.threads();
    }
}
