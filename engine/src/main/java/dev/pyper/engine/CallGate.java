package dev.pyper.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pyper.spi.TaskSpec;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts calls under way on threads the run does not own, until it is closed: then no call
 * enters, and {@link #awaitNone()} waits for those under way to return. An async task's retries
 * call its function on timer and completion threads (rule 9.8); the run ends only once they have
 * returned (rule 4.5). Public for the executors outside the engine that chain such retries.
 */
public final class CallGate {

    /** An open gate. */
    public CallGate() {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition none = lock.newCondition();

    @GuardedBy("lock")
    private int calls;

    @GuardedBy("lock")
    private boolean closed;

    /**
     * Starts one attempt of an async task through the gate (rule 9.8): {@link TaskSpec#startAsync}
     * counted while it runs, refused with a {@link CancellationException} once the gate is closed.
     *
     * @param task the async task
     * @param input the input
     * @return the stage the function returned
     * @throws Exception what the function threw, or the refusal
     */
    public CompletionStage<?> startAsync(TaskSpec task, Object input) throws Exception {
        if (!enter()) {
            throw new CancellationException("the run of task '" + task.name() + "' has ended");
        }
        try {
            return task.startAsync(input);
        } finally {
            exit();
        }
    }

    /** A call begins; false, and nothing counted, once the gate is closed. */
    public boolean enter() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            calls++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A call that {@link #enter()}ed has returned. */
    public void exit() {
        lock.lock();
        try {
            if (--calls == 0) {
                none.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** No call enters from now on. */
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no call is under way; keeps the thread's interrupt for after the wait. */
    public void awaitNone() {
        lock.lock();
        try {
            while (calls > 0) {
                none.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }
}
