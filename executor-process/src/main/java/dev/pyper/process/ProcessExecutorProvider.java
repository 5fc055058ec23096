package dev.pyper.process;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.ExecutorProvider;

/**
 * Registers {@link ProcessExecutor} with {@link java.util.ServiceLoader} under the name
 * {@value ProcessExecutor#NAME} (rule 2.8). Its priority is below the thread executors', so that
 * adding this module for {@code multiprocess} tasks does not move a whole application into
 * processes; choose it with {@code -Dpyper.executor=process} or {@code Pipeline.on}.
 */
public final class ProcessExecutorProvider implements ExecutorProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public ProcessExecutorProvider() {}

    @Override
    public String name() {
        return ProcessExecutor.NAME;
    }

    @Override
    public PipelineExecutor create() {
        return new ProcessExecutor();
    }

    @Override
    public int priority() {
        return 10;
    }
}
