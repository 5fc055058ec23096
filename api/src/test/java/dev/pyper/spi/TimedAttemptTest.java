package dev.pyper.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Task;
import dev.pyper.TaskTimeoutException;
import dev.pyper.spi.CallCounter.Totals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule 9.4 in the JVM: an attempt under a timeout runs on a thread of its own, its outputs passed
 * on by the worker's thread, and one that ignores its interrupt is written off after its grace. The
 * timers run on a clock the test moves by hand, so nothing here waits on real time.
 */
class TimedAttemptTest {

    private static final Duration LIMIT = Duration.ofMinutes(1);
    private static final long WAIT_SECONDS = 30;

    private final ManualClock clock = new ManualClock();
    private final List<Object> passedOn = new CopyOnWriteArrayList<>();
    private final List<Thread> passingThreads = new CopyOnWriteArrayList<>();
    /** Counted down when the first output reaches the consumer. */
    private final CountDownLatch emitting = new CountDownLatch(1);
    /** Counted down by an attempt once it has looked for an interrupt after its output was taken. */
    private final CountDownLatch checked = new CountDownLatch(1);
    /** When set, the consumer takes the first output only once it is counted down. */
    private volatile CountDownLatch holdFirstOutput;

    private final CallCounter counter = new CallCounter(new TimeHistogram());
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger log = Logger.getLogger(FailurePolicy.class.getName());
    private AutoCloseable clockInUse;

    @BeforeEach
    void useTheManualClock() {
        clockInUse = PolicyClock.use(clock);
        log.addHandler(handler);
    }

    @AfterEach
    void putTheClockBack() throws Exception {
        log.removeHandler(handler);
        clockInUse.close();
    }

    @Test
    void outputsArePassedOnByTheWorkersThreadInOrder() throws Exception {
        Worker worker = start(policy(null), (input, out) -> {
            out.emit(1);
            out.emit(2);
            out.emit(3);
        });
        assertNull(worker.outcome());
        assertEquals(List.of(1, 2, 3), passedOn);
        assertTrue(passingThreads.stream().allMatch(t -> t == worker.thread), () -> "passed on by " + passingThreads);
        assertEquals(0, Totals.NONE.plus(counter).timeouts());
    }

    @Test
    void anAttemptThatCompletesAfterItsInterruptWithinTheGraceStands() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Worker worker = start(policy(null), (input, out) -> {
            entered.countDown();
            awaitIgnoringInterrupts(go, interrupted);
            out.emit("late but whole");
        });
        await(entered);
        clock.awaitTimer();
        clock.advance(LIMIT);
        await(interrupted);
        go.countDown();
        assertNull(worker.outcome());
        assertEquals(List.of("late but whole"), passedOn);
        assertEquals(1, Totals.NONE.plus(counter).timeouts());
        assertTrue(warnings.isEmpty(), () -> "nothing written off: " + messages());
    }

    @Test
    void anAttemptThatIgnoresItsInterruptIsWrittenOffNamedInAWarningAndItsOutputsRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> lateEmit = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Worker worker = start(policy(null), (input, out) -> {
            entered.countDown();
            awaitIgnoringInterrupts(go, interrupted);
            try {
                out.emit("too late");
            } catch (Throwable t) {
                lateEmit.set(t);
            } finally {
                ended.countDown();
            }
        });
        await(entered);
        clock.awaitTimer();
        clock.advance(LIMIT);
        await(interrupted);
        clock.advance(Duration.ofSeconds(1)); // the grace: the limit, at most one second
        TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, worker.outcome());
        assertEquals("deaf", e.task());
        assertEquals(LIMIT, e.limit());
        assertEquals(1, Totals.NONE.plus(counter).timeouts());
        assertEquals(1, warnings.size(), this::messages);
        String line = messages();
        assertTrue(
                line.contains("'deaf'")
                        && line.contains("input 42")
                        && line.contains("written off")
                        && line.contains(worker.thread.getName() + "-attempt"),
                line);

        go.countDown(); // the written-off attempt ends at last: what it emits now goes nowhere
        await(ended);
        assertInstanceOf(CancellationException.class, lateEmit.get());
        assertTrue(passedOn.isEmpty(), () -> "passed on: " + passedOn);
    }

    @Test
    void aWrittenOffAttemptIsRetriedOnANewThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> attemptThreads = new CopyOnWriteArrayList<>();
        Worker worker = start(policy(Task.retry(1).backoff(Duration.ZERO, Duration.ZERO)), (input, out) -> {
            attemptThreads.add(Thread.currentThread());
            if (attemptThreads.size() == 1) {
                entered.countDown();
                awaitIgnoringInterrupts(go, interrupted);
                return;
            }
            out.emit("second attempt");
        });
        await(entered);
        clock.awaitTimer();
        clock.advance(LIMIT);
        await(interrupted);
        clock.advance(Duration.ofSeconds(1));
        assertNull(worker.outcome());
        assertEquals(List.of("second attempt"), passedOn);
        assertEquals(2, attemptThreads.size());
        assertNotSame(attemptThreads.get(0), attemptThreads.get(1));
        assertTrue(attemptThreads.get(0).isAlive(), "the first is written off, still running");
        assertEquals(1, Totals.NONE.plus(counter).timeouts());
        assertEquals(1, Totals.NONE.plus(counter).retries());
        go.countDown();
        attemptThreads.get(0).join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }

    @Test
    void theRunsCancellationInterruptsTheAttemptAndIsNeverRetried() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Worker worker = start(policy(Task.retry(3).backoff(Duration.ZERO, Duration.ZERO)), (input, out) -> {
            entered.countDown();
            new CountDownLatch(1).await(); // ends with the interrupt
        });
        await(entered);
        worker.thread.interrupt();
        assertInstanceOf(InterruptedException.class, worker.outcome());
        assertEquals(0, Totals.NONE.plus(counter).retries());
    }

    @Test
    void anInterruptInAFailuresCausesIsTheRunsCancellationNotAFailureToSkip() throws Exception {
        Option.OnFailure skip = (Option.OnFailure) Task.skipFailures();
        FailurePolicy policy = FailurePolicy.of(Task.retry(3).backoff(Duration.ZERO, Duration.ZERO), null, skip);
        Worker worker = start(policy, (input, out) -> {
            throw new IllegalStateException("a worker process's start was interrupted", new InterruptedException());
        });
        assertInstanceOf(IllegalStateException.class, worker.outcome());
        assertEquals(0, Totals.NONE.plus(counter).retries());
        assertEquals(0, Totals.NONE.plus(counter).skipped());
    }

    @Test
    void theTimeAnOutputWaitsToBeTakenDoesNotCountAgainstTheLimit() throws Exception {
        holdFirstOutput = new CountDownLatch(1);
        CountDownLatch hang = new CountDownLatch(1);
        AtomicReference<Boolean> interruptedInEmit = new AtomicReference<>();
        Worker worker = start(policy(null), (input, out) -> {
            out.emit("held");
            interruptedInEmit.set(Thread.interrupted());
            checked.countDown();
            hang.await(); // ends with the timeout's interrupt
        });
        await(emitting);
        clock.advance(LIMIT.multipliedBy(3)); // the consumer holds the output three limits long
        holdFirstOutput.countDown();
        await(checked);
        clock.awaitTimer(); // the limit runs on once the output is taken
        clock.advance(LIMIT);
        TaskTimeoutException timedOut = assertInstanceOf(TaskTimeoutException.class, worker.outcome());
        assertEquals(Boolean.FALSE, interruptedInEmit.get(), "not interrupted while its output waited");
        assertInstanceOf(InterruptedException.class, timedOut.getCause());
        assertEquals(List.of("held"), passedOn);
        assertEquals(1, Totals.NONE.plus(counter).timeouts());
    }

    @Test
    void aCallThatEndsWhenInterruptedDoesNotCountItsWaitsInEmitEither() throws Exception {
        holdFirstOutput = new CountDownLatch(1);
        CountDownLatch hang = new CountDownLatch(1);
        AtomicReference<Boolean> interruptedInEmit = new AtomicReference<>();
        Worker worker = start(policy(null), new FailurePolicy.Attempt() {
            @Override
            public void call(Object input, Emitter<Object> out) throws Exception {
                out.emit("held");
                interruptedInEmit.set(Thread.currentThread().isInterrupted());
                checked.countDown();
                hang.await();
            }

            @Override
            public boolean endsWhenInterrupted() {
                return true; // made in the worker's own thread, as a worker process's call is
            }
        });
        await(emitting);
        clock.advance(LIMIT.multipliedBy(3));
        holdFirstOutput.countDown();
        await(checked);
        clock.awaitTimer();
        clock.advance(LIMIT);
        TaskTimeoutException timedOut = assertInstanceOf(TaskTimeoutException.class, worker.outcome());
        assertEquals(Boolean.FALSE, interruptedInEmit.get(), "not interrupted while its output waited");
        assertInstanceOf(InterruptedException.class, timedOut.getCause());
        assertTrue(passingThreads.stream().allMatch(t -> t == worker.thread), () -> "passed on by " + passingThreads);
        assertEquals(1, Totals.NONE.plus(counter).timeouts());
    }

    @Test
    void whatIsLeftOfTheLimitIsKeptAcrossOutputs() throws Exception {
        holdFirstOutput = new CountDownLatch(1);
        CountDownLatch hang = new CountDownLatch(1);
        Worker worker = start(policy(null), (input, out) -> {
            out.emit(1);
            out.emit(2);
            checked.countDown();
            hang.await();
        });
        await(emitting);
        clock.advance(LIMIT.multipliedBy(2));
        holdFirstOutput.countDown();
        await(checked);
        clock.advance(LIMIT.minusSeconds(1)); // not yet: the output's wait did not count
        assertTrue(clock.hasPending(), "the limit still runs, one second of it left");
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(TaskTimeoutException.class, worker.outcome());
        assertEquals(List.of(1, 2), passedOn);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static FailurePolicy policy(Option.Retry retry) {
        return FailurePolicy.of(retry, (Option.Timeout) Task.timeout(LIMIT), null);
    }

    /** Waits for {@code go}, ignoring interrupts on purpose but noting the first in {@code interrupted}. */
    private static void awaitIgnoringInterrupts(CountDownLatch go, CountDownLatch interrupted) {
        while (true) {
            try {
                if (!go.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("never let go");
                }
                return;
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        CountDownLatch noted = new CountDownLatch(1);
        awaitIgnoringInterrupts(latch, noted);
        if (noted.getCount() == 0) {
            throw new AssertionError("the thread passing an output on was interrupted");
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting");
    }

    private String messages() {
        List<String> lines = new ArrayList<>();
        for (LogRecord r : warnings) {
            lines.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
        }
        return String.join("\n", lines);
    }

    /** Invokes the policy on a worker thread of its own, as an executor would. */
    private Worker start(FailurePolicy policy, FailurePolicy.Attempt attempt) {
        TaskSpec task = new TaskSpec("deaf", TaskSpec.Kind.GENERATOR, "f", 1, 0, false, false, policy);
        Emitter<Object> out = value -> {
            passingThreads.add(Thread.currentThread());
            emitting.countDown();
            if (holdFirstOutput != null && passedOn.isEmpty()) {
                awaitUninterruptibly(holdFirstOutput); // a consumer with no room yet
            }
            passedOn.add(value);
        };
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("test-worker").start(() -> {
            try {
                policy.invoke(task, 42, out, attempt, counter);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        return new Worker(thread, outcome);
    }

    private record Worker(Thread thread, CompletableFuture<Throwable> result) {
        Throwable outcome() throws Exception {
            return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** A clock whose timers fire when the test moves it; sleeps (backoffs) return at once. */
    private static final class ManualClock implements PolicyClock {
        private final List<Timer> timers = new ArrayList<>();
        private long now;

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {}

        synchronized boolean hasPending() {
            return timers.stream().anyMatch(t -> !t.isDone());
        }

        @Override
        public synchronized Future<?> schedule(Runnable action, long nanos) {
            Timer timer = new Timer(now + nanos, action);
            timers.add(timer);
            notifyAll();
            return timer;
        }

        /** Waits, bounded, until a timer is pending: the attempt's limit is set just after its thread starts. */
        synchronized void awaitTimer() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (timers.stream().allMatch(CompletableFuture::isDone)) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "no timer was set");
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** Moves time on, running every timer that falls due (timers set by timers included), in this thread. */
        void advance(Duration by) {
            long until;
            synchronized (this) {
                until = now + by.toNanos();
            }
            while (true) {
                Timer due;
                synchronized (this) {
                    due = timers.stream()
                            .filter(t -> !t.isDone() && t.at <= until)
                            .min((a, b) -> Long.compare(a.at, b.at))
                            .orElse(null);
                    if (due == null) {
                        now = until;
                        return;
                    }
                    now = Math.max(now, due.at);
                    timers.remove(due);
                }
                due.run();
            }
        }

        private static final class Timer extends CompletableFuture<Void> implements Runnable {
            final long at;
            final Runnable action;

            Timer(long at, Runnable action) {
                this.at = at;
                this.action = action;
            }

            @Override
            public void run() {
                if (!isDone()) {
                    action.run();
                    complete(null);
                }
            }
        }
    }
}
