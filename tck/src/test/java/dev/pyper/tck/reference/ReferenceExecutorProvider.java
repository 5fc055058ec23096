package dev.pyper.tck.reference;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.ExecutorProvider;

/** Registers the {@link ReferenceExecutor} for {@link java.util.ServiceLoader} on the kit's own test class path (rule 2.8). */
public final class ReferenceExecutorProvider implements ExecutorProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ReferenceExecutorProvider() {}

    @Override
    public String name() {
        return ReferenceExecutor.NAME;
    }

    @Override
    public PipelineExecutor create() {
        return new ReferenceExecutor();
    }
}
