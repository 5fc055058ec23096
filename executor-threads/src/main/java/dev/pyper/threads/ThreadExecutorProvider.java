package dev.pyper.threads;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.ExecutorProvider;

/**
 * Registers {@link ThreadExecutor} with {@link java.util.ServiceLoader} under the name
 * {@value ThreadExecutor#NAME} (rule 2.8). It is the preferred default executor.
 */
public final class ThreadExecutorProvider implements ExecutorProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public ThreadExecutorProvider() {}

    @Override
    public String name() {
        return ThreadExecutor.NAME;
    }

    @Override
    public PipelineExecutor create() {
        return new ThreadExecutor();
    }

    @Override
    public int priority() {
        return 100;
    }
}
