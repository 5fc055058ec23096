package dev.pyper.process;

import dev.pyper.engine.Invoker;
import dev.pyper.engine.MultiprocessSupport;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.TaskSpec;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes of one executor, and the invokers that run tasks in them (rules 6.1, 6.2).
 *
 * <h2>Pool</h2>
 * Any worker can run any task: the task's function is sent to it when an engine worker opens an
 * invoker (LOAD), so a process is started at most once per engine worker of a run and never per
 * item. A worker that last ran the same function is preferred, since its JIT has compiled that
 * code already. When the engine worker ends, a clean process goes back to the pool (at most
 * {@code maxIdleWorkers} of them) for the next run or task; a broken one is killed. An idle worker
 * ends by itself after the idle timeout, so a pool that is never closed (the shared default
 * executor's) does not keep processes for ever; one found dead when taken is replaced.
 *
 * <h2>State</h2>
 * {@code idle}, {@code all} and {@code closed} are guarded by {@code lock}; starting and killing
 * processes happen outside it. Every started process is in {@code all} until it has been killed,
 * so {@link #close()} can end every one of them (rule 4.5).
 *
 * <p>Async tasks cannot be multiprocess (rule 1.5): the engine runs them in the caller's JVM
 * itself, under the process executor too, and never asks this pool for them.
 */
final class WorkerPool implements MultiprocessSupport.ProcessInvokers {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final WorkerOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<WorkerProcess> idle = new ArrayDeque<>();
    private final Set<WorkerProcess> all = new HashSet<>();
    private boolean closed;

    WorkerPool(WorkerOptions options) {
        this.options = options;
    }

    @Override
    public Invoker open(TaskSpec task, int n) throws Exception {
        if (task.kind().isAsync()) {
            throw new IllegalArgumentException(
                    "An async task cannot run in a worker process (task '" + task.name() + "')");
        }
        String label = "task '" + task.name() + "' worker " + n;
        while (true) {
            WorkerProcess worker = takeIdle(codeOf(task));
            boolean fresh = worker == null;
            if (fresh) {
                worker = startWorker(label);
            }
            worker.label(label);
            worker.ranCode(codeOf(task));
            try {
                load(worker, task);
                return new ProcessInvoker(task, worker, this);
            } catch (ObjectStreamException e) {
                giveBack(worker, false);
                throw e;
            } catch (IOException e) {
                // A warm worker may have ended by its idle timeout just now: take another one.
                giveBack(worker, false);
                if (fresh) {
                    throw worker.died(task.name(), e);
                }
            } catch (Exception | Error e) {
                giveBack(worker, false);
                throw e;
            }
        }
    }

    /**
     * Sends the task's function, and the context that the worker restores around each of its
     * invocations until the next LOAD or RELEASE (rule 8.8): the calling thread's, which is the
     * run's (the engine opens invokers with the run's context restored). The worker answers READY,
     * or FAILED if it cannot load the function.
     */
    @SuppressWarnings("EnumOrdinal") // the wire format numbers the kinds by ordinal; both ends are this version
    private void load(WorkerProcess worker, TaskSpec task) throws Exception {
        FrameOut frame = new FrameOut()
                .begin(FrameType.LOAD)
                .putString(task.name())
                .putInt(task.kind().ordinal())
                .putBoolean(needsAcks(task));
        try {
            frame.putValue(task.function());
        } catch (FrameOut.NotSerializableValueException e) {
            throw task.notSerializable("in a worker process", e.getCause());
        }
        frame.putValue(ContextPropagator.installed().capture().carried()); // bytes, or null
        worker.link().send(frame.end());
        FrameIn reply = worker.link().receive();
        if (reply.type() == FrameType.FAILED) {
            Throwable failure = reply.getBoolean()
                    ? (Throwable) reply.getValue(loaderOf(task))
                    : new RemoteFailure(reply.getString(), reply.getString(), reply.getString());
            throw new IllegalStateException(
                    "Task '" + task.name() + "': the worker process (pid " + worker.pid()
                            + ") cannot load its function: " + failure,
                    failure);
        }
        if (reply.type() != FrameType.READY) {
            throw new IllegalStateException("Task '" + task.name() + "': unexpected frame "
                    + FrameType.name(reply.type()) + " from its worker process (pid " + worker.pid() + ")");
        }
    }

    /**
     * Takes an idle worker: one that last ran the same code if there is one (its JIT has compiled
     * that function already, which matters for CPU-bound work), else the most recently used.
     */
    private WorkerProcess takeIdle(String code) {
        List<WorkerProcess> dead = new ArrayList<>();
        WorkerProcess found = null;
        lock.lock();
        try {
            requireOpen();
            for (Iterator<WorkerProcess> it = idle.descendingIterator(); it.hasNext(); ) {
                WorkerProcess w = it.next();
                if (!w.isAlive()) {
                    it.remove();
                    dead.add(w);
                } else if (found == null || (!code.equals(found.lastCode()) && code.equals(w.lastCode()))) {
                    found = w;
                }
            }
            idle.remove(found);
        } finally {
            lock.unlock();
        }
        dead.forEach(this::kill);
        return found;
    }

    /** What identifies a task's code for {@link #takeIdle}: the class of its function (one per lambda or method reference). */
    private static String codeOf(TaskSpec task) {
        return task.function().getClass().getName();
    }

    private WorkerProcess startWorker(String label) throws IOException, InterruptedException {
        long started = System.nanoTime();
        WorkerProcess worker = WorkerProcess.start(options, label);
        LOG.debug(
                "Started worker process {} for {} in {} ms",
                worker.pid(),
                label,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        lock.lock();
        try {
            if (!closed) {
                all.add(worker);
                return worker;
            }
        } finally {
            lock.unlock();
        }
        worker.kill();
        throw new IllegalStateException("the executor was closed while a worker process started");
    }

    /** Takes a worker back from an invoker: keeps a clean one warm, kills any other (rule 4.5). */
    void giveBack(WorkerProcess worker, boolean clean) {
        if (clean && worker.isAlive()) {
            lock.lock();
            try {
                if (!closed && idle.size() < options.maxIdleWorkers() && release(worker)) {
                    idle.addLast(worker);
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
        kill(worker);
    }

    /** Tells the worker that it is idle, so that its idle timeout runs; false if it cannot be told. */
    private static boolean release(WorkerProcess worker) {
        try {
            worker.link().send(new FrameOut().begin(FrameType.RELEASE).end());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void kill(WorkerProcess worker) {
        worker.kill();
        forget(worker);
        LOG.debug("Killed worker process {} (last {})", worker.pid(), worker.label());
    }

    private void forget(WorkerProcess worker) {
        lock.lock();
        try {
            all.remove(worker);
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the process executor is closed");
        }
    }

    /** The worker processes alive now, busy or idle. */
    int size() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends every worker process and waits for them; later opens fail. Idempotent. Every worker is
     * idle by now (the executor has waited for its runs), so each is asked to end by itself, all at
     * once, and killed only if it does not.
     */
    @Override
    public void close() {
        List<WorkerProcess> toEnd;
        lock.lock();
        try {
            closed = true;
            toEnd = new ArrayList<>(all);
            idle.clear();
        } finally {
            lock.unlock();
        }
        toEnd.forEach(WorkerProcess::requestEnd);
        for (WorkerProcess worker : toEnd) {
            worker.awaitEnd();
            forget(worker);
            LOG.debug("Ended worker process {} (last {})", worker.pid(), worker.label());
        }
    }

    /** The loader that resolves a task's values: the one that loaded its function. */
    static ClassLoader loaderOf(TaskSpec task) {
        ClassLoader loader = task.function().getClass().getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    /** Whether each output waits for the parent's acknowledgement: only where the throttle can block the emit (rule 2.6). */
    static boolean needsAcks(TaskSpec task) {
        return task.throttle() > 0;
    }
}
