package dev.pyper.engine;

import java.util.ServiceLoader;

/**
 * Runs the invocations of {@code multiprocess} tasks in worker processes, for every in-JVM
 * executor (rule 6.1). The process executor module registers one implementation for
 * {@link java.util.ServiceLoader}; without it, a pipeline with a {@code multiprocess} task is
 * refused before it starts, naming the artifact to add.
 */
public interface MultiprocessSupport {

    /** The artifact that registers the implementation: {@value}. */
    String ARTIFACT = "dev.pyper:pyper-executor-process";

    /**
     * Whether an implementation is on the class path (that of the calling thread's context class
     * loader), so that section 6 can hold.
     *
     * @return true if {@link #require(String)} would find one
     */
    static boolean available() {
        return ServiceLoader.load(MultiprocessSupport.class).findFirst().isPresent();
    }

    /**
     * The implementation on the class path, for a plan with a {@code multiprocess} task.
     *
     * @param task the name of the first {@code multiprocess} task, for the message
     * @return the implementation found with {@link ServiceLoader}
     * @throws IllegalArgumentException naming the task and {@link #ARTIFACT} if there is none
     *     (rule 1.5: refused before the run starts)
     */
    static MultiprocessSupport require(String task) {
        return ServiceLoader.load(MultiprocessSupport.class)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Task '" + task + "' is multiprocess, which needs the process executor: add " + ARTIFACT
                                + " to the dependencies"));
    }

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
