package dev.pyper.tck;

import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * The kit's one source of time, and bounded waits built on it.
 *
 * <p>Every wait in the kit is bounded by {@link #timeout()}: 10 seconds times the system property
 * {@code pyper.tck.timeoutScale} (default 1), so that a slow machine can scale them all at once.
 * A test that would hang on a broken executor fails instead. No wait in the kit is a sleep used as
 * synchronisation: where the kit checks that something does <em>not</em> happen, it watches for
 * {@link #quietPeriod()} and says so.
 */
public final class Tck {

    /** The system property that scales every timeout of the kit. */
    public static final String TIMEOUT_SCALE = "pyper.tck.timeoutScale";

    /** How often {@link #eventually} and {@link #never} look: often enough to be prompt, rarely enough to leave the cores to the workers. */
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** The system property that makes every test run this many times. */
    public static final String REPEAT = "tck.repeat";

    private Tck() {}

    /** The timeout scale from {@value #TIMEOUT_SCALE}. */
    public static double scale() {
        String value = System.getProperty(TIMEOUT_SCALE, "1");
        try {
            double scale = Double.parseDouble(value.isBlank() ? "1" : value);
            if (scale <= 0) {
                throw new NumberFormatException("not positive");
            }
            return scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT_SCALE + " must be a positive number, was '" + value + "'", e);
        }
    }

    /** How often every test runs, from {@value #REPEAT}. */
    public static int repeat() {
        String value = System.getProperty(REPEAT, "1");
        try {
            int n = Integer.parseInt(value.isBlank() ? "1" : value.strip());
            if (n < 1) {
                throw new NumberFormatException("less than 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    REPEAT + " must be a whole number of at least 1, was '" + value + "'", e);
        }
    }

    /** The bound of every wait for something that must happen: 10 s, scaled. */
    public static Duration timeout() {
        return Duration.ofMillis((long) (10_000 * scale()));
    }

    /** How long a test watches for something that must not happen: 300 ms, scaled. */
    public static Duration quietPeriod() {
        return Duration.ofMillis((long) (300 * scale()));
    }

    /** The bound of a whole test, after which the watchdog dumps threads and interrupts it: 60 s, scaled. */
    public static Duration testTimeout() {
        return Duration.ofMillis((long) (60_000 * scale()));
    }

    /**
     * Calls {@code action} on a thread of the kit and waits for it {@link #timeout()} at most, so
     * that a run that does not end fails its test at once, naming {@code what} was expected, rather
     * than holding it until the watchdog. An action that does not end in time is interrupted (a
     * pull of an interrupted caller cancels its run, rule 4.4) and waited for, bounded, so that the
     * executor's close finds nothing of it running.
     *
     * @param what what should have ended the action, for the failure's message
     * @param action the action, typically reading a run to its end
     * @param <T> its result type
     * @return what the action returned; what it threw is thrown again (a checked exception wrapped
     *     in an {@link AssertionError})
     */
    public static <T> T within(String what, Callable<T> action) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = Thread.ofPlatform()
                .name(LeakCensus.KIT_THREAD_PREFIX + "bounded")
                .start(() -> {
                    try {
                        result.set(action.call());
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                });
        try {
            thread.join(timeout().toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(timeout().toMillis());
                throw new AssertionError("not ended within " + timeout() + ": " + what
                        + (thread.isAlive() ? "; interrupted, it still waits" : ""));
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for: " + what, e);
        }
        Throwable t = thrown.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new AssertionError(t);
        }
        return result.get();
    }

    /**
     * Waits for a latch, failing the test if it does not open within {@link #timeout()}.
     *
     * @param latch the latch
     * @param what what the latch stands for, for the failure message
     */
    public static void await(SharedLatch latch, String what) {
        try {
            if (!latch.await(timeout())) {
                Assertions.fail(
                        "Timed out after " + timeout() + " waiting for " + what + " (" + latch.getCount() + " to go)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what, e);
        }
    }

    /**
     * Waits for a latch from inside a task's function: returns whether it opened within
     * {@link #timeout()}, and lets an interrupt through as the exception a function would throw.
     *
     * @param latch the latch
     * @return whether it opened in time
     * @throws InterruptedException if the worker is interrupted (by cancellation)
     */
    public static boolean awaitInTask(SharedLatch latch) throws InterruptedException {
        return latch.await(timeout());
    }

    /**
     * Arrives at a barrier from inside a task's function and waits for the other parties,
     * bounded by {@link #timeout()}.
     *
     * @param barrier the barrier
     * @throws TimeoutException if the other parties did not come in time
     * @throws InterruptedException if the worker is interrupted
     */
    public static void awaitInTask(SharedBarrier barrier) throws InterruptedException, TimeoutException {
        barrier.arriveAndAwait();
    }

    /**
     * Waits until {@code condition} holds, checking it often, failing the test after
     * {@link #timeout()}.
     *
     * @param condition what must come true
     * @param what a description for the failure message
     */
    public static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                Assertions.fail("Timed out after " + timeout() + " waiting until " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Watches {@code condition} for {@link #quietPeriod()} and fails the test if it comes true:
     * the kit's check that something does not happen.
     *
     * @param condition what must not come true
     * @param what a description for the failure message
     */
    public static void never(BooleanSupplier condition, String what) {
        never(condition, () -> what);
    }

    /**
     * Watches {@code condition} for {@link #quietPeriod()} and fails the test if it comes true,
     * with a description made when it does (so that it can show the values seen).
     *
     * @param condition what must not come true
     * @param what makes the description for the failure message
     */
    public static void never(BooleanSupplier condition, Supplier<String> what) {
        long end = System.nanoTime() + quietPeriod().toNanos();
        while (System.nanoTime() - end < 0) {
            if (condition.getAsBoolean()) {
                Assertions.fail("Expected never, but it happened: " + what.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * The plan that an executor would be given for {@code pipeline}: its tasks as plain data, as
     * the options made them (rules 1.2, 1.7). Nothing is run: the plan is taken from a recording
     * executor that starts no run.
     *
     * @param pipeline any pipeline whose producer is valid (rule 1.4)
     * @return the plan
     */
    public static Plan planOf(Pipeline<?, ?> pipeline) {
        PlanRecorder recorder = new PlanRecorder();
        try (PipelineRun<?> run = pipeline.on(recorder).start(null)) {
            return recorder.plan;
        }
    }

    /** An executor that records the plan it is given and starts a run with no outputs. */
    private static final class PlanRecorder implements PipelineExecutor {
        private Plan plan;

        @Override
        public String name() {
            return "plan-recorder";
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            this.plan = plan;
            return new Run<>() {
                @Override
                public boolean next(Consumer<? super O> action) {
                    return false;
                }

                @Override
                public RunMetrics metrics() {
                    // one entry per task, as every run has (rule 8.5): nothing ran
                    List<TaskMetrics> tasks = plan.tasks().stream()
                            .map(t -> new TaskMetrics(
                                    t.name(), t.workers(), 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO))
                            .toList();
                    return new RunMetrics(tasks, Duration.ZERO, true);
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    /**
     * Checks that a run's failure carries the user's own exception (rule 4.1): the same object,
     * or, where the function ran in another process (section 6), a copy of it: the same class and
     * message, as serialization brings it back.
     *
     * @param expected the exception the function threw
     * @param actual the {@code PipelineException}'s cause
     */
    public static void assertUsersException(Throwable expected, Throwable actual) {
        if (expected == actual) {
            return;
        }
        Assertions.assertNotNull(actual, () -> "expected the user's " + expected + " as the cause, found none");
        Assertions.assertEquals(
                expected.getClass(), actual.getClass(), () -> "expected the user's " + expected + ", found " + actual);
        Assertions.assertEquals(
                expected.getMessage(),
                actual.getMessage(),
                () -> "expected the user's " + expected + ", found " + actual);
    }
}
