package dev.pyper.model;

/**
 * The model suite with three cases at a time on one churning {@link dev.pyper.threads.ThreadExecutor}:
 * runs of different pipelines share the executor's pool but no state (rule 1.2).
 */
class ConcurrentRunsModelTest extends ExecutorModelTest {

    @Override
    protected Target target() {
        return Targets.threadsChurning().concurrently(3);
    }
}
