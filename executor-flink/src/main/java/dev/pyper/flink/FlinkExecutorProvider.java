package dev.pyper.flink;

import dev.pyper.PipelineExecutor;
import dev.pyper.spi.ExecutorProvider;

/**
 * Registers {@link FlinkExecutor} for {@link java.util.ServiceLoader} as {@value FlinkExecutor#NAME}
 * (rule 2.8), with priority 5: below the in-JVM executors, so that having it on the class path
 * never makes it the default; choose it with {@code -Dpyper.executor=flink}.
 */
public final class FlinkExecutorProvider implements ExecutorProvider {

    /** For {@link java.util.ServiceLoader}. */
    public FlinkExecutorProvider() {}

    /** {@value FlinkExecutor#NAME}. */
    @Override
    public String name() {
        return FlinkExecutor.NAME;
    }

    /** A Flink executor configured by the system properties listed on {@link FlinkExecutor.Builder}. */
    @Override
    public PipelineExecutor create() {
        return FlinkExecutor.builder().build();
    }

    /** 5: below the process executor's 10 and the thread executors'. */
    @Override
    public int priority() {
        return 5;
    }
}
