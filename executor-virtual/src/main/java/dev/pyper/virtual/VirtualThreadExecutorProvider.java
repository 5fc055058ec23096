package dev.pyper.virtual;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.ExecutorProvider;

/**
 * Registers {@link VirtualThreadExecutor} with {@link java.util.ServiceLoader} under the name
 * {@value VirtualThreadExecutor#NAME} (rule 2.8). When the threads executor is also on the class
 * path, that one is the default unless {@code pyper.executor=virtual} says otherwise.
 */
public final class VirtualThreadExecutorProvider implements ExecutorProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public VirtualThreadExecutorProvider() {}

    @Override
    public String name() {
        return VirtualThreadExecutor.NAME;
    }

    @Override
    public PipelineExecutor create() {
        return new VirtualThreadExecutor();
    }

    @Override
    public int priority() {
        return 90;
    }
}
