package dev.pyper.spi;

import dev.pyper.DeadLetter;
import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.TaskTimeoutException;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The failures a task survives (section 9): its {@link Option.Retry retry}, its
 * {@link Option.Timeout timeout} and what a failure does once it is out of retries
 * ({@link Option.OnFailure}). Part of the {@link TaskSpec}; {@link #NONE} for a task without
 * these options, which then runs exactly as before them.
 *
 * <p>{@link #invoke} is the one place where every executor applies the policy, around its own way
 * of making one attempt, so that the rules hold alike on all of them: the executor calls it where it
 * would call the function, in the worker that owns {@code counter}.
 *
 * @param retry the task's retry, or null
 * @param timeout the task's timeout, or null
 * @param onFailure what a failure out of retries does, or null to fail the run
 */
public record FailurePolicy(Option.Retry retry, Option.Timeout timeout, Option.OnFailure onFailure) implements Serializable {

    /** No retry, no timeout, the first failure ends the run (section 4). */
    public static final FailurePolicy NONE = new FailurePolicy(null, null, null);

    /** Skips and dead letters of one task are logged at most once in this many nanoseconds. */
    static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(FailurePolicy.class.getName());

    /**
     * The policy of these options; {@link #NONE} if all are null.
     *
     * @param retry the retry, or null
     * @param timeout the timeout, or null
     * @param onFailure what a failure out of retries does, or null
     * @return the policy
     */
    public static FailurePolicy of(Option.Retry retry, Option.Timeout timeout, Option.OnFailure onFailure) {
        return retry == null && timeout == null && onFailure == null ? NONE : new FailurePolicy(retry, timeout, onFailure);
    }

    /**
     * Whether this policy changes nothing: no option of section 9 was given.
     *
     * @return true for {@link #NONE}
     */
    public boolean isNone() {
        return retry == null && timeout == null && onFailure == null;
    }

    /**
     * One attempt of an invocation, the executor's own way: in this thread, or in a worker process.
     */
    @FunctionalInterface
    public interface Attempt {

        /**
         * Invokes the function once.
         *
         * @param input the input
         * @param out where its outputs go
         * @throws Exception whatever the invocation threw
         */
        void call(Object input, Emitter<Object> out) throws Exception;

        /**
         * Gets ready for the next attempt, before its time starts (rule 9.4): opens what the last
         * attempt lost, such as a worker process that died, so that a new JVM's start never counts
         * against the timeout. Called before every attempt; does nothing by default.
         *
         * @throws Exception if it cannot get ready; the invocation then fails with it
         */
        default void prepare() throws Exception {
        }
    }

    /**
     * Makes one invocation of {@code task} under this policy, in the calling thread (rules 9.2 to
     * 9.6): {@code attempt} once, and again after a backoff while the failure is worth retrying,
     * nothing was emitted and retries are left; each attempt interrupted past the timeout; a failure
     * out of retries skipped, dead-lettered or thrown. A cancellation of the run (an interrupt the
     * timeout did not cause, a {@link CancellationException}, or an output that {@code out} refused)
     * is thrown at once, never retried nor skipped; so is an {@code Error}.
     *
     * @param task the task
     * @param input the input
     * @param out where the outputs go
     * @param attempt how to make one attempt
     * @param counter the calling worker's counter, for retries, timeouts, skips and dead letters
     * @throws Exception the failure that ends the invocation, or what the dead-letter sink threw
     */
    public void invoke(TaskSpec task, Object input, Emitter<Object> out, Attempt attempt, CallCounter counter) throws Exception {
        if (isNone()) {
            attempt.call(input, out);
            return;
        }
        CountingEmitter counting = new CountingEmitter(out);
        for (int attempts = 1; ; attempts++) {
            Throwable failure;
            try {
                attemptTimed(task, input, counting, attempt, counter);
                return;
            } catch (Throwable t) {
                failure = t;
            }
            if (counting.refused || isCancellation(failure) || failure instanceof Error) {
                throw sneaky(failure);
            }
            if (retry != null && attempts <= retry.retries() && counting.count == 0 && retry.retries(failure)) {
                counter.retried();
                long wait = retry.waitBefore(attempts, ThreadLocalRandom.current().nextDouble()).toNanos();
                PolicyClock.current().sleep(wait); // an interrupt here is the run's cancellation (rule 9.7's clock)
                continue;
            }
            if (onFailure == null) {
                throw sneaky(failure);
            }
            if (onFailure.sink() == null) {
                counter.skipped();
                Noted.of(task.name()).note("skipped", input, failure);
                return;
            }
            try {
                onFailure.sink().accept(new DeadLetter(task.name(), input, failure, attempts, counting.count));
            } catch (Exception | Error sinkFailed) {
                sinkFailed.addSuppressed(failure);
                throw sneaky(sinkFailed);
            }
            counter.deadLettered();
            Noted.of(task.name()).note("dead-lettered", input, failure);
            return;
        }
    }

    /** One attempt, interrupted past the timeout; its failure then becomes a {@link TaskTimeoutException}. */
    private void attemptTimed(TaskSpec task, Object input, Emitter<Object> out, Attempt attempt, CallCounter counter)
            throws Exception {
        attempt.prepare();
        if (timeout == null) {
            attempt.call(input, out);
            return;
        }
        Watchdog dog = new Watchdog(Thread.currentThread());
        dog.arm(timeout.limit().toNanos());
        Throwable failure = null;
        try {
            attempt.call(input, out);
        } catch (Throwable t) {
            failure = t;
        }
        if (dog.disarm()) {
            counter.timedOut();
            TaskTimeoutException timedOut = new TaskTimeoutException(task.name(), Abbreviation.of(input), timeout.limit());
            if (failure == null) {
                return; // it ignored the interrupt and completed all the same: its outputs stand
            }
            timedOut.initCause(failure);
            throw timedOut;
        }
        if (failure != null) {
            throw sneaky(failure);
        }
    }

    private static boolean isCancellation(Throwable t) {
        return t instanceof InterruptedException || t instanceof CancellationException || Thread.currentThread().isInterrupted();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** Passes outputs on, counting them; knows whether passing one on failed (the run is ending). */
    private static final class CountingEmitter implements Emitter<Object> {
        private final Emitter<Object> out;
        long count;
        boolean refused;

        CountingEmitter(Emitter<Object> out) {
            this.out = out;
        }

        @Override
        public void emit(Object value) {
            try {
                out.emit(value);
            } catch (RuntimeException | Error e) {
                refused = true;
                throw e;
            }
            count++;
        }
    }

    /**
     * Interrupts one attempt's thread once its time is up, unless the attempt ended first. The
     * attempt's thread never keeps an interrupt that the watchdog made: {@link #disarm()} waits for
     * a firing watchdog and clears it.
     */
    private static final class Watchdog implements Runnable {
        private static final int ARMED = 0;
        private static final int DISARMED = 1;
        private static final int FIRING = 2;
        private static final int FIRED = 3;

        private final Thread thread;
        private final AtomicInteger state = new AtomicInteger(ARMED);
        private Future<?> scheduled;

        Watchdog(Thread thread) {
            this.thread = thread;
        }

        void arm(long nanos) {
            scheduled = PolicyClock.current().schedule(this, nanos);
        }

        @Override
        public void run() {
            if (state.compareAndSet(ARMED, FIRING)) {
                thread.interrupt();
                state.set(FIRED);
            }
        }

        /** Ends the watch; true if it fired, in which case the thread's interrupt is cleared. */
        boolean disarm() {
            if (state.compareAndSet(ARMED, DISARMED)) {
                scheduled.cancel(false);
                return false;
            }
            while (state.get() != FIRED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return true;
        }
    }

    /** The rate-limited log of one task's skips and dead letters: the first at once, then one line per 10 s at most. */
    private static final class Noted {
        private static final Map<String, Noted> TASKS = new ConcurrentHashMap<>();

        private final String task;
        private final AtomicLong unlogged = new AtomicLong();
        private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());

        private Noted(String task) {
            this.task = task;
        }

        static Noted of(String task) {
            if (TASKS.size() > 10_000) {
                TASKS.clear(); // names made up per run: keep the map bounded; a line too many is the worst of it
            }
            return TASKS.computeIfAbsent(task, Noted::new);
        }

        void note(String what, Object input, Throwable failure) {
            unlogged.incrementAndGet();
            long due = nextLogAt.get();
            long now = System.nanoTime();
            if (now - due >= 0 && nextLogAt.compareAndSet(due, now + LOG_EVERY_NANOS)) {
                long logged = unlogged.getAndSet(0);
                LOG.log(System.Logger.Level.WARNING, "task ''{0}'' {1} {2} input(s) since its last such line; the latest,"
                        + " {3}: {4}", task, what, logged, Abbreviation.of(input), String.valueOf(failure));
            }
        }
    }
}
