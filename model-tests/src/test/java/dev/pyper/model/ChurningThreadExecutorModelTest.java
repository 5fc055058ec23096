package dev.pyper.model;

/** The model suite on a {@link dev.pyper.threads.ThreadExecutor} whose idle threads time out at once. */
class ChurningThreadExecutorModelTest extends ExecutorModelTest {

    @Override
    protected Target target() {
        return Targets.threadsChurning();
    }
}
