package dev.pyper.flink;

import dev.pyper.engine.Invoker;
import dev.pyper.engine.InvokerFactory;
import dev.pyper.engine.MultiprocessSupport;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker processes in which a {@code multiprocess} task's invocations run (rules 6.1 to 6.4),
 * from the process module ({@value MultiprocessSupport#ARTIFACT}), found as the in-JVM executors
 * find it ({@link MultiprocessSupport#require}). Flink runs the task's operator as usual; each of
 * its subtasks (or, for an ordered task, each of its threads) hands its invocations to a worker
 * process of its own, which the process module starts, links, watches and ends.
 *
 * <p>Opened on first use, under a lock: on the embedded cluster the executor keeps one for all
 * its runs (warm between them, ended by its {@code close()}); on a remote cluster each operator
 * instance opens one in its TaskManager and closes it with the operator, as nothing of the
 * caller's JVM reaches there. {@link #close()} ends every worker process it started and waits for
 * them (rule 4.5); after it, opening a worker fails as a cancelled run would.
 */
final class WorkerProcesses implements InvokerFactory, AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    private MultiprocessSupport.ProcessInvokers pool;
    private boolean closed;

    /**
     * Refuses a plan with a {@code multiprocess} task when the process module is not on the class
     * path, before anything starts (rule 1.5).
     *
     * @throws IllegalArgumentException naming the first such task and the artifact to add
     */
    static void check(Plan plan) {
        for (TaskSpec task : plan.tasks()) {
            if (task.multiprocess()) {
                MultiprocessSupport.require(task.name());
                return;
            }
        }
    }

    /**
     * Starts (or takes a warm) worker process for one worker of {@code task}; call on the thread
     * that will make that worker's invocations.
     *
     * @throws CancellationException if these processes have been closed: the run is ending
     */
    @Override
    public Invoker open(TaskSpec task, int worker) throws Exception {
        MultiprocessSupport.ProcessInvokers invokers;
        lock.lock();
        try {
            if (closed) {
                throw new CancellationException("the run was cancelled or has failed");
            }
            if (pool == null) {
                pool = MultiprocessSupport.require(task.name()).open();
            }
            invokers = pool;
        } finally {
            lock.unlock();
        }
        return invokers.open(task, worker);
    }

    /** Ends every worker process started here, waiting for them. Idempotent. */
    @Override
    public void close() {
        MultiprocessSupport.ProcessInvokers opened;
        lock.lock();
        try {
            closed = true;
            opened = pool;
            pool = null;
        } finally {
            lock.unlock();
        }
        if (opened != null) {
            opened.close();
        }
    }
}
