package dev.pyper.model;

/**
 * The model suite on {@link dev.pyper.process.ProcessExecutor}: a tenth of the tries, as every
 * worker of every case is a JVM.
 */
class ProcessExecutorModelTest extends ExecutorModelTest {

    @Override
    protected Target target() {
        return Targets.processes();
    }

    @Override
    protected int triesDivisor() {
        return 10;
    }
}
