package dev.pyper.engine;

/**
 * Runs the invocations of {@code multiprocess} tasks in worker processes, for every in-JVM
 * executor (rule 6.1). The process executor module registers one implementation for
 * {@link java.util.ServiceLoader}; without it, a pipeline with a {@code multiprocess} task is
 * refused before it starts, naming the artifact to add.
 */
public interface MultiprocessSupport {

    /**
     * Opens the process side of one executor: the invokers of its {@code multiprocess} tasks,
     * and whatever worker processes they keep warm between runs (rule 6.2).
     *
     * @return the invokers, closed when the executor closes; closing ends every worker process
     */
    ProcessInvokers open();

    /** The invokers of one executor's {@code multiprocess} tasks; {@link #close()} ends their processes. */
    interface ProcessInvokers extends InvokerFactory, AutoCloseable {

        /** Ends every worker process, waiting for them (rule 4.5). */
        @Override
        void close();
    }
}
