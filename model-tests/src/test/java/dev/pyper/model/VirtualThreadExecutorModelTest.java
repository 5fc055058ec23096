package dev.pyper.model;

/** The model suite on {@link dev.pyper.virtual.VirtualThreadExecutor}. */
class VirtualThreadExecutorModelTest extends ExecutorModelTest {

    @Override
    protected Target target() {
        return Targets.virtual();
    }
}
