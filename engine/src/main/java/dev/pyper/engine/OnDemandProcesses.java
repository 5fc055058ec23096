package dev.pyper.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker processes in which one executor's {@code multiprocess} tasks run (rules 6.1 to 6.4),
 * from the process module ({@value MultiprocessSupport#ARTIFACT}): opened when the first run or
 * invocation needs them, kept warm between runs (rule 6.2), ended by {@link #close()}. The engine
 * holds one for its executor; the Flink executor one for its embedded cluster, and each operator
 * on a remote cluster one of its own.
 *
 * <p>Thread-safe: opened under a lock. After {@link #close()}, which ends every worker process it
 * started and waits for them (rule 4.5), opening fails as a cancelled run would.
 */
public final class OnDemandProcesses implements InvokerFactory, AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();

    @GuardedBy("lock")
    private MultiprocessSupport.ProcessInvokers pool;

    @GuardedBy("lock")
    private boolean closed;

    /** Nothing is opened until a run or an invocation needs it. */
    public OnDemandProcesses() {}

    /**
     * Refuses a plan with a {@code multiprocess} task when the process module is not on the class
     * path, before anything starts (rule 1.5).
     *
     * @param plan the plan about to start
     * @throws IllegalArgumentException naming the first such task and the artifact to add
     */
    public static void check(Plan plan) {
        String task = firstMultiprocess(plan);
        if (task != null) {
            MultiprocessSupport.require(task);
        }
    }

    /**
     * Opens the process side now, on the calling thread (whose context class loader finds the
     * process module), if {@code plan} has a {@code multiprocess} task and it is not open yet.
     *
     * @param plan the plan about to start
     * @throws IllegalArgumentException as {@link #check(Plan)} does
     * @throws CancellationException if these processes have been closed
     */
    public void openFor(Plan plan) {
        String task = firstMultiprocess(plan);
        if (task != null) {
            pool(task); // refuses the plan as check(plan) does if there is no process module
        }
    }

    /** The name of the plan's first {@code multiprocess} task, or null if it has none. */
    private static String firstMultiprocess(Plan plan) {
        for (TaskSpec task : plan.tasks()) {
            if (task.multiprocess()) {
                return task.name();
            }
        }
        return null;
    }

    /**
     * Starts (or takes a warm) worker process for one worker of {@code task}; call on the thread
     * that will make that worker's invocations.
     *
     * @throws CancellationException if these processes have been closed: the run is ending
     */
    @Override
    public Invoker open(TaskSpec task, int worker) throws Exception {
        return pool(task.name()).open(task, worker);
    }

    private MultiprocessSupport.ProcessInvokers pool(String task) {
        lock.lock();
        try {
            if (closed) {
                throw new CancellationException("the run was cancelled or has failed");
            }
            if (pool == null) {
                pool = MultiprocessSupport.require(task).open();
            }
            return pool;
        } finally {
            lock.unlock();
        }
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
