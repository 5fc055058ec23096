package dev.pyper.spi;

import dev.pyper.Emitter;
import dev.pyper.TaskTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One attempt under a timeout, made in this JVM on a virtual thread of its own (rule 9.4), so that
 * an attempt that ignores its interrupt can be written off instead of holding its worker for ever.
 *
 * <p>The invariant: every output is passed on by the worker's own thread, one at a time, while the
 * attempt's thread waits for it to be taken; so {@code emit}'s back-pressure, its order and its
 * refusals are exactly those of an attempt made in the worker's thread. The attempt's thread is the
 * only one ever interrupted by the timeout; once the attempt is written off or abandoned, its
 * outputs are refused.
 *
 * <p>Past the limit the attempt's thread is interrupted. An attempt that ends within the grace that
 * follows (the limit again, at most {@link #MAX_GRACE_NANOS}, on the {@link PolicyClock}) ends as it
 * would have in the worker's thread: its failure becomes a {@link TaskTimeoutException}, or, if it
 * completed all the same, its outputs stand. One still running after the grace is written off: a
 * {@code WARNING} line names the task, the input and the thread left running, and the attempt fails
 * with a {@link TaskTimeoutException}; the worker goes on. The same grace bounds the wait when the
 * run is cancelled while an attempt runs.
 *
 * <p>The limit and the grace count the attempt's own time: while the worker's thread passes an
 * output on, the timer is cancelled and what is left of the limit (or the grace) is kept; it runs on
 * once the output has been taken, so a slow consumer never times out its producer (rule 9.4).
 */
final class TimedAttempt implements Emitter<Object> {

    /** The longest wait, past the limit, for an interrupted attempt to end before it is written off. */
    static final long MAX_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final System.Logger LOG = System.getLogger(FailurePolicy.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TaskSpec task;
    private final Object input;
    private final long limitNanos;
    private final long graceNanos;
    private Thread thread;
    /** Guarded by {@code lock}, as are the fields below. */
    private Object output;

    private boolean outputWaiting;
    /** Outputs handed over by the attempt, and those the worker has passed on (or failed to). */
    private long handed;

    private long passed;
    private Throwable emitFailure;
    private boolean finished;
    private Throwable failure;
    private boolean timedOut;
    private boolean graceOver;
    /** Written off or abandoned: its outputs are refused from now on. */
    private boolean disowned;

    /** The limit's time, then the grace's, on the clock of the JVM when the attempt began. */
    private final PausableTimer time = new PausableTimer(lock, this::timeUp);
    /** Which of the two is running (or paused): the grace, once the limit was up or the run cancelled. */
    private boolean inGrace;
    /** The worker has stopped waiting for the attempt. */
    private boolean closed;

    private TimedAttempt(TaskSpec task, Object input, long limitNanos) {
        this.task = task;
        this.input = input;
        this.limitNanos = limitNanos;
        this.graceNanos = Math.min(limitNanos, MAX_GRACE_NANOS);
    }

    /**
     * Makes one attempt on a thread of its own and passes its outputs to {@code out} in this thread.
     *
     * An attempt past its limit is counted on {@code counter}, whether it then completed all the
     * same (its outputs stand), failed or was written off.
     *
     * @throws Exception the attempt's failure; a {@link TaskTimeoutException} if it ran past its
     *     limit and failed or was written off; an {@link InterruptedException} if this thread was
     *     interrupted (the run's cancellation)
     */
    static void run(
            TaskSpec task,
            Object input,
            Emitter<Object> out,
            FailurePolicy.Attempt attempt,
            Duration limit,
            CallCounter counter)
            throws Exception {
        TimedAttempt timed = new TimedAttempt(task, input, limit.toNanos());
        try {
            timed.run(out, attempt);
        } finally {
            if (timed.timedOut) { // read after the worker's last hold of the lock, past which no timer writes it
                counter.timedOut();
            }
        }
    }

    private void run(Emitter<Object> out, FailurePolicy.Attempt attempt) throws Exception {
        Thread worker = Thread.currentThread();
        thread = Thread.ofVirtual().name(worker.getName() + "-attempt").unstarted(() -> {
            Throwable thrown = null;
            try {
                attempt.call(input, this);
            } catch (Throwable t) {
                thrown = t;
            }
            finish(thrown);
        });
        boolean ended;
        lock.lock();
        try {
            thread.start();
            time.start(limitNanos);
            passOutputsUntilEnd(out);
        } finally {
            closed = true; // the timers change nothing from now on
            ended = finished;
            time.pause();
            lock.unlock();
        }
        if (!ended) {
            writeOff("its timeout");
            throw new TaskTimeoutException(task.name(), Abbreviation.of(input), Duration.ofNanos(limitNanos));
        }
        Uninterruptibly.join(thread); // it has finished: its thread ends now, and no run outlives it
        if (failure == null) {
            return; // if it ran past its limit, it ignored the interrupt and completed all the same: its outputs stand
        }
        if (timedOut) {
            TaskTimeoutException e =
                    new TaskTimeoutException(task.name(), Abbreviation.of(input), Duration.ofNanos(limitNanos));
            e.initCause(failure);
            throw e;
        }
        throw FailurePolicy.sneaky(failure);
    }

    /** The worker's loop, holding the lock: passes each output on until the attempt ends or is written off. */
    private void passOutputsUntilEnd(Emitter<Object> out) throws InterruptedException {
        while (true) {
            if (outputWaiting) {
                Object value = output;
                output = null;
                outputWaiting = false;
                boolean paused = time.pause(); // the wait for room is the consumer's time, not the attempt's
                lock.unlock();
                Throwable refused = null;
                try {
                    out.emit(value);
                } catch (Throwable t) {
                    refused = t;
                }
                lock.lock();
                if (paused) {
                    time.resume();
                }
                emitFailure = refused;
                passed++;
                changed.signalAll();
            } else if (finished) {
                return;
            } else if (graceOver) {
                disowned = true;
                return;
            } else {
                try {
                    changed.await();
                } catch (InterruptedException cancelled) {
                    abandon();
                    throw cancelled;
                }
            }
        }
    }

    /** The run is cancelled while the attempt runs: interrupts it and waits out the grace at most for it to end. */
    private void abandon() {
        disowned = true;
        changed.signalAll(); // an output handed over is refused
        thread.interrupt();
        if (!inGrace) {
            inGrace = true;
            time.start(graceNanos);
        }
        while (!finished && !graceOver) {
            changed.awaitUninterruptibly();
        }
        if (finished) {
            Uninterruptibly.join(thread);
        } else {
            writeOff("the run's cancellation");
        }
    }

    private void writeOff(String interrupt) {
        LOG.log(
                System.Logger.Level.WARNING,
                "task ''{0}'': an attempt on input {1} ignored the interrupt of {2} for {3};"
                        + " its thread ''{4}'' is written off, left running, and its outputs are refused (rule 9.4)",
                task.name(),
                Abbreviation.of(input),
                interrupt,
                Duration.ofNanos(graceNanos),
                thread.getName());
    }

    /**
     * The time's end, holding the lock: at the limit, interrupts the attempt's thread and starts
     * the grace; at the grace's end, lets the worker write the attempt off.
     */
    private void timeUp() {
        if (closed) {
            return;
        }
        if (inGrace) {
            graceOver = true;
            changed.signalAll();
        } else if (!finished) {
            timedOut = true;
            thread.interrupt();
            inGrace = true;
            time.start(graceNanos);
        }
    }

    private void finish(Throwable thrown) {
        lock.lock();
        try {
            finished = true;
            failure = thrown;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The attempt's emit: hands the output to the worker's thread and waits until it has been
     * passed on, so that back-pressure and refusals reach the function as they would in the worker.
     */
    @Override
    @SuppressWarnings("WaitNotInLoop") // the wait is in Uninterruptibly.until's loop, which rechecks
    public void emit(Object value) {
        lock.lock();
        try {
            while (outputWaiting && !disowned) {
                changed.awaitUninterruptibly(); // another thread of the function's emits first
            }
            refuseIfDisowned();
            output = value;
            outputWaiting = true;
            long ticket = ++handed;
            changed.signalAll();
            // a timeout's interrupt does not stop the wait: the output is being passed on; the function sees it next
            Uninterruptibly.until(() -> {
                if (passed >= ticket || disowned) {
                    return true;
                }
                changed.await();
                return false;
            });
            if (passed < ticket) {
                refuseIfDisowned();
            }
            Throwable refused = emitFailure;
            emitFailure = null;
            if (refused != null) {
                throw FailurePolicy.<RuntimeException>sneaky(refused);
            }
        } finally {
            lock.unlock();
        }
    }

    private void refuseIfDisowned() {
        if (disowned) {
            throw new CancellationException(
                    "this attempt was written off or abandoned (rule 9.4): its outputs are refused");
        }
    }
}
