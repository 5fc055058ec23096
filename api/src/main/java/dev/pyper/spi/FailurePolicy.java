package dev.pyper.spi;

import dev.pyper.DeadLetter;
import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.TaskTimeoutException;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What happens around each invocation of a task: the failures it survives (section 9), its
 * {@link Option.Retry retry}, its {@link Option.Timeout timeout} and what a failure does once it
 * is out of retries ({@link Option.OnFailure}); and how often its attempts may start, its
 * {@link Option.Rate rate} (section 10). Part of the {@link TaskSpec}; {@link #NONE} for a task
 * without these options, which then runs exactly as before them.
 *
 * <p>{@link #invoke} is the one place where every executor applies the policy, around its own way
 * of making one attempt, so that the rules hold alike on all of them: the executor calls it where it
 * would call the function, in the worker that owns {@code counter}, with the run's
 * {@link TokenBucket} of the task, shared by the task's workers.
 *
 * @param retry the task's retry, or null
 * @param timeout the task's timeout, or null
 * @param onFailure what a failure out of retries does, or null to fail the run
 * @param rate how often the task's attempts may start (rule 10.1), or null for no limit
 */
public record FailurePolicy(Option.Retry retry, Option.Timeout timeout, Option.OnFailure onFailure, Option.Rate rate)
        implements Serializable {

    /** No retry, no timeout, no rate, the first failure ends the run (section 4). */
    public static final FailurePolicy NONE = new FailurePolicy(null, null, null, null);

    /** Skips and dead letters of one task are logged at most once in this many nanoseconds. */
    static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(FailurePolicy.class.getName());

    /**
     * A policy without a rate (section 9 alone).
     *
     * @param retry the retry, or null
     * @param timeout the timeout, or null
     * @param onFailure what a failure out of retries does, or null
     */
    public FailurePolicy(Option.Retry retry, Option.Timeout timeout, Option.OnFailure onFailure) {
        this(retry, timeout, onFailure, null);
    }

    /**
     * The policy of these options, without a rate; {@link #NONE} if all are null.
     *
     * @param retry the retry, or null
     * @param timeout the timeout, or null
     * @param onFailure what a failure out of retries does, or null
     * @return the policy
     */
    public static FailurePolicy of(Option.Retry retry, Option.Timeout timeout, Option.OnFailure onFailure) {
        return of(retry, timeout, onFailure, null);
    }

    /**
     * The policy of these options; {@link #NONE} if all are null.
     *
     * @param retry the retry, or null
     * @param timeout the timeout, or null
     * @param onFailure what a failure out of retries does, or null
     * @param rate how often attempts may start, or null
     * @return the policy
     */
    public static FailurePolicy of(
            Option.Retry retry, Option.Timeout timeout, Option.OnFailure onFailure, Option.Rate rate) {
        return retry == null && timeout == null && onFailure == null && rate == null
                ? NONE
                : new FailurePolicy(retry, timeout, onFailure, rate);
    }

    /**
     * Whether this policy changes nothing: no option of section 9 or 10 was given, and an executor
     * may call the function directly instead of through {@link #invoke} or {@link #invokeAsync}.
     *
     * @return true for {@link #NONE}
     */
    public boolean isNone() {
        return retry == null && timeout == null && onFailure == null && rate == null;
    }

    /** Refuses a call without the run's bucket for a task that has a rate: it would not be kept (rule 10.1). */
    private void requireNoRate(TaskSpec task) {
        if (rate != null) {
            throw new IllegalStateException(
                    "task '" + task.name() + "' has " + rate + ": its invocations need the run's"
                            + " TokenBucket of the task (FailurePolicy.invoke with a bucket, rule 10.1)");
        }
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
        default void prepare() throws Exception {}

        /**
         * Whether an attempt always ends soon after its thread is interrupted, whatever the
         * function does: a call in a worker process, whose process is killed if it does not answer
         * (rule 9.4). Such an attempt under a timeout runs in the calling thread; any other runs on
         * a virtual thread of its own, so that one that ignores the interrupt can be written off.
         * False by default.
         *
         * @return true if an interrupted attempt ends by itself
         */
        default boolean endsWhenInterrupted() {
            return false;
        }

        /**
         * Whether the last attempt cost its worker process: the process died (an exit, a signal)
         * or was given up as unsound (an {@code OutOfMemoryError} in it), and the next attempt runs
         * on a new one. Such a failure is always worth retrying (rule 9.2), whatever its type,
         * unless it is an {@code Error} of the function's own (not a {@code VirtualMachineError}).
         * False by default.
         *
         * @return true if the last attempt lost its worker process
         */
        default boolean lostItsWorker() {
            return false;
        }
    }

    /**
     * Makes one invocation of {@code task} under this policy, in the calling thread (rules 9.2 to
     * 9.6): {@code attempt} once, and again after a backoff while the failure is worth retrying,
     * nothing was emitted and retries are left; each attempt interrupted past the timeout; a failure
     * out of retries skipped, dead-lettered or thrown. A cancellation of the run (an interrupt the
     * timeout did not cause, a {@link CancellationException}, or an output that {@code out} refused)
     * is thrown at once, never retried nor skipped; so is an {@code Error}. For a task without a
     * rate (section 10); see {@link #invoke(TaskSpec, Object, Emitter, Attempt, CallCounter, TokenBucket)}.
     *
     * @param task the task
     * @param input the input
     * @param out where the outputs go
     * @param attempt how to make one attempt
     * @param counter the calling worker's counter, for retries, timeouts, skips and dead letters
     * @throws Exception the failure that ends the invocation, or what the dead-letter sink threw
     * @throws IllegalStateException if the task has a rate, which needs the run's bucket
     */
    public void invoke(TaskSpec task, Object input, Emitter<Object> out, Attempt attempt, CallCounter counter)
            throws Exception {
        invoke(task, input, out, attempt, counter, TokenBucket.NONE);
    }

    /**
     * Makes one invocation of {@code task} under this policy, in the calling thread, as
     * {@link #invoke(TaskSpec, Object, Emitter, Attempt, CallCounter)} does, and takes a token of
     * {@code tokens} before each attempt, after {@link Attempt#prepare()} and before the attempt's
     * time starts, waiting for it in this thread if none is left (rules 10.1, 10.3). A wait
     * interrupted is the run's cancellation (rule 10.4), thrown at once.
     *
     * @param task the task
     * @param input the input
     * @param out where the outputs go
     * @param attempt how to make one attempt
     * @param counter the calling worker's counter, for retries, timeouts, skips and dead letters
     * @param tokens the run's bucket of the task, shared by its workers; {@link TokenBucket#NONE} without a rate
     * @throws Exception the failure that ends the invocation, or what the dead-letter sink threw
     * @throws IllegalStateException if the task has a rate and {@code tokens} is {@link TokenBucket#NONE}
     */
    public void invoke(
            TaskSpec task, Object input, Emitter<Object> out, Attempt attempt, CallCounter counter, TokenBucket tokens)
            throws Exception {
        if (isNone()) {
            attempt.call(input, out);
            return;
        }
        if (tokens.isNone()) {
            requireNoRate(task);
        }
        CountingEmitter counting = new CountingEmitter(out);
        for (int attempts = 1; ; attempts++) {
            Throwable failure;
            try {
                attemptTimed(task, input, counting, attempt, counter, tokens);
                return;
            } catch (Throwable t) {
                failure = t;
            }
            boolean lost = attempt.lostItsWorker();
            // an Error is the function's own and never retried, but for the JVM's (out of heap) in a worker process
            // lost with it
            boolean fatal = failure instanceof Error && !(lost && failure instanceof VirtualMachineError);
            if (counting.refused || isCancellation(failure) || fatal) {
                throw sneaky(failure);
            }
            if (retry != null
                    && attempts <= retry.retries()
                    && counting.count == 0
                    && (lost || retry.retries(failure))) {
                counter.retried();
                long wait = retry.waitBefore(
                                attempts, ThreadLocalRandom.current().nextDouble())
                        .toNanos();
                PolicyClock.current().sleep(wait); // an interrupt here is the run's cancellation (rule 9.7's clock)
                continue;
            }
            giveUp(task, input, failure, attempts, counting.count, counter);
            return;
        }
    }

    /** A failure out of retries: thrown, or skipped or dead-lettered and counted (rule 9.5). */
    private void giveUp(TaskSpec task, Object input, Throwable failure, int attempts, long outputs, CallCounter counter)
            throws Exception {
        if (onFailure == null || failure instanceof Error || failure instanceof CancellationException) {
            throw sneaky(failure);
        }
        if (onFailure.sink() == null) {
            counter.skipped();
            Noted.of(task.name()).note("skipped", input, failure);
            return;
        }
        try {
            onFailure.sink().accept(new DeadLetter(task.name(), input, failure, attempts, outputs));
        } catch (Exception | Error sinkFailed) {
            sinkFailed.addSuppressed(failure);
            throw sneaky(sinkFailed);
        }
        counter.deadLettered();
        Noted.of(task.name()).note("dead-lettered", input, failure);
    }

    /**
     * One attempt of an async invocation: calls the function, which starts the work and returns
     * its stage.
     */
    @FunctionalInterface
    public interface AsyncAttempt {

        /**
         * Starts one attempt.
         *
         * @param input the input
         * @return the attempt's stage
         * @throws Exception whatever the function threw
         */
        CompletionStage<?> start(Object input) throws Exception;
    }

    /**
     * Makes one invocation of an async task under this policy, with no thread waiting (rules 5.1,
     * 9.2 to 9.4): {@code attempt} once, and again, after a backoff on the {@link PolicyClock}'s
     * timer, while its failure is worth retrying and retries are left; an attempt whose stage has
     * not completed within the timeout is cancelled and fails with {@link TaskTimeoutException}.
     * An async task emits nothing before its stage completes, so rule 9.3 never stops a retry.
     *
     * <p>The future completes with the {@link AsyncOutcome}, a value or a failure out of retries,
     * which the executor hands to {@link #complete} in the worker that passes outputs on. Cancelling
     * the future (the run is ending) cancels the attempt's stage and any retry not yet started.
     *
     * <p>For a task without a rate (section 10); see
     * {@link #invokeAsync(TaskSpec, Object, AsyncAttempt, TokenBucket)}.
     *
     * @param task the async task
     * @param input the input
     * @param attempt how to start one attempt
     * @return the invocation's outcome, once it has one
     * @throws IllegalStateException if the task has a rate, which needs the run's bucket
     */
    public CompletableFuture<AsyncOutcome> invokeAsync(TaskSpec task, Object input, AsyncAttempt attempt) {
        return invokeAsync(task, input, attempt, TokenBucket.NONE);
    }

    /**
     * Makes one invocation of an async task under this policy, as
     * {@link #invokeAsync(TaskSpec, Object, AsyncAttempt)} does, each attempt's start taking a
     * token of {@code tokens} first (rules 10.1, 10.3): an attempt whose token is not yet due is
     * started on the {@link TokenBucket#clock() clock}'s timer once it is, no thread waiting.
     * Cancelling the future cancels such a start too (rule 10.4).
     *
     * @param task the async task
     * @param input the input
     * @param attempt how to start one attempt
     * @param tokens the run's bucket of the task; {@link TokenBucket#NONE} without a rate
     * @return the invocation's outcome, once it has one
     * @throws IllegalStateException if the task has a rate and {@code tokens} is {@link TokenBucket#NONE}
     */
    public CompletableFuture<AsyncOutcome> invokeAsync(
            TaskSpec task, Object input, AsyncAttempt attempt, TokenBucket tokens) {
        if (tokens.isNone()) {
            requireNoRate(task);
        }
        AsyncInvocation invocation = new AsyncInvocation(task, input, attempt, tokens);
        invocation.attempt(1);
        return invocation.result;
    }

    /**
     * Ends an async invocation made by {@link #invokeAsync}, in the worker that passes the task's
     * outputs on: counts its retries and timeouts on {@code counter}; returns its value, or, for a
     * failure out of retries, {@link AsyncOutcome#NOTHING} once it was skipped or dead-lettered
     * (rule 9.5), or throws it.
     *
     * @param task the task
     * @param input the input
     * @param outcome what {@link #invokeAsync} completed with
     * @param counter the calling worker's counter
     * @return the stage's value, or {@link AsyncOutcome#NOTHING} if there is no output
     * @throws Exception the failure that ends the run, or what the dead-letter sink threw
     */
    public Object complete(TaskSpec task, Object input, AsyncOutcome outcome, CallCounter counter) throws Exception {
        for (int i = 0; i < outcome.attempts() - 1; i++) {
            counter.retried();
        }
        for (int i = 0; i < outcome.timeouts(); i++) {
            counter.timedOut();
        }
        counter.rateWaited(outcome.rateDelayed(), outcome.rateWaitNanos());
        if (outcome.failure() == null) {
            return outcome.value();
        }
        giveUp(task, input, outcome.failure(), outcome.attempts(), 0, counter);
        return AsyncOutcome.NOTHING;
    }

    /**
     * What an async invocation came to: the value of its last attempt's stage, or the failure that
     * ended its attempts; with how many attempts it made and how many of them timed out.
     *
     * @param value the stage's value, if it completed
     * @param failure the last attempt's failure, or null if it completed
     * @param attempts the attempts made, at least 1
     * @param timeouts the attempts that timed out
     * @param rateDelayed the attempts whose start waited for a token of the task's rate (rule 10.3)
     * @param rateWaitNanos how long they waited in all, in nanoseconds of the {@link PolicyClock}
     */
    public record AsyncOutcome(
            Object value, Throwable failure, int attempts, int timeouts, int rateDelayed, long rateWaitNanos) {

        /**
         * An outcome without a rate's waits.
         *
         * @param value the stage's value, if it completed
         * @param failure the last attempt's failure, or null if it completed
         * @param attempts the attempts made, at least 1
         * @param timeouts the attempts that timed out
         */
        public AsyncOutcome(Object value, Throwable failure, int attempts, int timeouts) {
            this(value, failure, attempts, timeouts, 0, 0);
        }

        /** What {@link #complete} returns for an input that has no output: skipped or dead-lettered. */
        public static final Object NOTHING = new Object() {
            @Override
            public String toString() {
                return "nothing (skipped or dead-lettered)";
            }
        };
    }

    /** The attempts of one async invocation, chained by callbacks and timers: no thread waits. */
    private final class AsyncInvocation {
        final CompletableFuture<AsyncOutcome> result = new CompletableFuture<>();
        private final TaskSpec task;
        private final Object input;
        private final AsyncAttempt attempt;
        private final TokenBucket tokens;
        private final AtomicInteger timeouts = new AtomicInteger();
        /** Attempts whose start waited for a token, and how long in all: written before the start they delay. */
        private final AtomicInteger rateDelayed = new AtomicInteger();

        private final AtomicLong rateWaitNanos = new AtomicLong();
        private volatile CompletableFuture<?> stage;
        private volatile Future<?> timer;

        // whenComplete's stage: a callback of ours, which handles its own errors; nobody waits on it
        @SuppressWarnings("FutureReturnValueIgnored")
        AsyncInvocation(TaskSpec task, Object input, AsyncAttempt attempt, TokenBucket tokens) {
            this.task = task;
            this.input = input;
            this.attempt = attempt;
            this.tokens = tokens;
            result.whenComplete((outcome, error) -> {
                if (result.isCancelled()) { // the run is ending: stop what is pending
                    Future<?> t = timer;
                    if (t != null) {
                        t.cancel(false);
                    }
                    CompletableFuture<?> s = stage;
                    if (s != null) {
                        s.cancel(true);
                    }
                }
            });
        }

        /** Attempt {@code n}, once its token is due (rule 10.3): now, or on the clock's timer. */
        void attempt(int n) {
            if (result.isDone()) {
                return;
            }
            long wait = tokens.reserve();
            if (wait > 0) {
                rateDelayed.incrementAndGet();
                rateWaitNanos.addAndGet(wait);
                timer = tokens.clock().schedule(() -> start(n), wait);
                if (result.isCancelled()) {
                    timer.cancel(false);
                }
                return;
            }
            start(n);
        }

        @SuppressWarnings("FutureReturnValueIgnored") // a callback of ours on the stage; nobody waits on its result
        private void start(int n) {
            if (result.isDone()) {
                return;
            }
            CompletableFuture<?> started;
            try {
                CompletionStage<?> returned = attempt.start(input);
                if (returned == null) {
                    throw new IllegalStateException(
                            "async task '" + task.name() + "' returned null instead of a CompletionStage");
                }
                started = returned.toCompletableFuture();
            } catch (Throwable t) {
                failed(n, t);
                return;
            }
            stage = started;
            AtomicInteger timedOut = new AtomicInteger();
            Future<?> watch = timeout == null
                    ? null
                    : PolicyClock.current()
                            .schedule(
                                    () -> {
                                        if (!started.isDone() && timedOut.compareAndSet(0, 1)) {
                                            started.cancel(true); // rule 9.4: the stage is cancelled
                                        }
                                    },
                                    timeout.limit().toNanos());
            if (result.isCancelled()) {
                started.cancel(true); // the run ended while this attempt started
            }
            started.whenComplete((value, error) -> {
                if (watch != null) {
                    watch.cancel(false);
                }
                if (timedOut.get() == 1) {
                    timeouts.incrementAndGet();
                    TaskTimeoutException e =
                            new TaskTimeoutException(task.name(), Abbreviation.of(input), timeout.limit());
                    failed(n, error == null ? e : e.initCause(error));
                } else if (error != null) {
                    failed(
                            n,
                            error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause()
                                    : error);
                } else {
                    result.complete(outcome(value, null, n));
                }
            });
        }

        private AsyncOutcome outcome(Object value, Throwable failure, int n) {
            return new AsyncOutcome(value, failure, n, timeouts.get(), rateDelayed.get(), rateWaitNanos.get());
        }

        private void failed(int n, Throwable failure) {
            if (result.isDone()) {
                return;
            }
            boolean worthRetrying;
            try {
                worthRetrying = retry != null
                        && n <= retry.retries()
                        && !(failure instanceof Error)
                        && !(failure instanceof CancellationException)
                        && retry.retries(failure);
            } catch (RuntimeException | Error filterFailed) { // the user's when(...) threw: that ends the invocation
                filterFailed.addSuppressed(failure);
                result.complete(outcome(null, filterFailed, n));
                return;
            }
            if (!worthRetrying) {
                result.complete(outcome(null, failure, n));
                return;
            }
            long wait = retry.waitBefore(n, ThreadLocalRandom.current().nextDouble())
                    .toNanos();
            if (wait <= 0) {
                attempt(n + 1);
                return;
            }
            timer = PolicyClock.current().schedule(() -> attempt(n + 1), wait);
            if (result.isCancelled()) {
                timer.cancel(false);
            }
        }
    }

    /** One attempt, interrupted past the timeout; its failure then becomes a {@link TaskTimeoutException}. */
    private void attemptTimed(
            TaskSpec task, Object input, Emitter<Object> out, Attempt attempt, CallCounter counter, TokenBucket tokens)
            throws Exception {
        attempt.prepare();
        long waited =
                tokens.take(); // rule 10.3: before the attempt's time starts; an interrupt is the run's cancellation
        if (waited > 0) {
            counter.rateWaited(1, waited);
        }
        if (timeout == null) {
            attempt.call(input, out);
            return;
        }
        if (!attempt.endsWhenInterrupted()) {
            TimedAttempt.run(task, input, out, attempt, timeout.limit(), counter);
            return;
        }
        Watchdog dog = new Watchdog(Thread.currentThread(), timeout.limit().toNanos());
        Throwable failure = null;
        try {
            attempt.call(input, dog.pausing(out));
        } catch (Throwable t) {
            failure = t;
        }
        if (dog.disarm()) {
            counter.timedOut();
            TaskTimeoutException timedOut =
                    new TaskTimeoutException(task.name(), Abbreviation.of(input), timeout.limit());
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

    /**
     * Whether a failure is the run's cancellation: this thread is interrupted, or the failure or one
     * of its causes is an interrupt or a cancellation (a worker process's start interrupted, say,
     * whose exception carries the interrupt while the flag is cleared). A timeout's own interrupt,
     * under a {@link TaskTimeoutException}, is not.
     */
    private static boolean isCancellation(Throwable t) {
        return Thread.currentThread().isInterrupted() || Throwables.causedByEnding(t);
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
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
     * Interrupts one attempt's thread once its time is up, unless the attempt ended first. Its time
     * stands still while the thread passes an output on (rule 9.4): the wait for room is the
     * consumer's. The attempt's thread never keeps an interrupt that the watchdog made:
     * {@link #disarm()} clears it.
     */
    private static final class Watchdog {
        private final ReentrantLock lock = new ReentrantLock();
        private final Thread thread;
        private final PausableTimer time = new PausableTimer(lock, this::fire);
        /** Guarded by {@code lock}. */
        private boolean fired;

        Watchdog(Thread thread, long nanos) {
            this.thread = thread;
            lock.lock();
            try {
                time.start(nanos);
            } finally {
                lock.unlock();
            }
        }

        /** {@code out}, with the watchdog's time paused while each output is passed on. */
        Emitter<Object> pausing(Emitter<Object> out) {
            return value -> {
                boolean paused = pause();
                try {
                    out.emit(value);
                } finally {
                    if (paused) {
                        resume();
                    }
                }
            };
        }

        /** The time is up, holding the lock. */
        private void fire() {
            fired = true;
            thread.interrupt();
        }

        private boolean pause() {
            lock.lock();
            try {
                return time.pause();
            } finally {
                lock.unlock();
            }
        }

        private void resume() {
            lock.lock();
            try {
                time.resume();
            } finally {
                lock.unlock();
            }
        }

        /** Ends the watch; true if it fired, in which case the thread's interrupt is cleared. */
        boolean disarm() {
            lock.lock();
            try {
                time.pause();
                if (!fired) {
                    return false;
                }
            } finally {
                lock.unlock();
            }
            Thread.interrupted(); // made under the lock: it is there by now
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
                LOG.log(
                        System.Logger.Level.WARNING,
                        "task ''{0}'' {1} {2} input(s) since its last such line; the latest," + " {3}: {4}",
                        task,
                        what,
                        logged,
                        Abbreviation.of(input),
                        String.valueOf(failure));
            }
        }
    }
}
