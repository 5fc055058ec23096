package dev.pyper.process;

import dev.pyper.engine.MultiprocessSupport;

/**
 * Runs the {@code multiprocess} tasks of the in-JVM executors (threads, virtual threads) in worker
 * processes (rule 6.1): found by the engine with {@link java.util.ServiceLoader}. Each executor
 * gets a pool of its own, with the default worker options plus the system property
 * {@code pyper.process.jvmArgs}; the executor's {@code close()} ends its processes.
 */
public final class ProcessMultiprocessSupport implements MultiprocessSupport {

    /** Made by {@link java.util.ServiceLoader}. */
    public ProcessMultiprocessSupport() {}

    @Override
    public ProcessInvokers open() {
        return new WorkerPool(WorkerOptions.defaults());
    }
}
