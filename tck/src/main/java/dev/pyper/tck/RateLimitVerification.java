package dev.pyper.tck;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.rate;
import static dev.pyper.Task.retry;
import static dev.pyper.Task.timeout;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.PolicyClock;
import dev.pyper.tck.ErrorsVerification.UserException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/**
 * Section 10 of the specification, its rate limit: {@code rate(r).burst(b)} lets a burst of
 * invocations start at once and then one per interval (10.1), shared by the task's workers and
 * kept per run; refuses bad values (10.2); takes a token for each attempt of a retry, outside the
 * attempt's timeout, for ordered, multiprocess and async tasks alike (10.3); and cancelling a run
 * ends what waits for a token (10.4).
 *
 * <p>Every test runs on a {@link ManualClock}, whose time stands still until the test moves it:
 * the kit counts the invocations that have started (in memory that every JVM of the run shares)
 * and the workers waiting on the clock, and only once both are what the rate says does it move the
 * clock on by one interval. So the count is exact at each instant, with no sleep and whatever the
 * machine's load, and a rate that lets one invocation too many through fails at once.
 */
public abstract class RateLimitVerification extends ExecutorVerification {

    private static final long SECOND = 1_000_000_000L;

    /** For subclasses. */
    protected RateLimitVerification() {}

    // ---- 10.1 the bucket ----------------------------------------------------------------------

    @RuleTest("10.1")
    void rule_10_1_aBurstStartsAtOnceThenOneInvocationPerIntervalAcrossAllWorkers() {
        int n = 12;
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(counting(calls), named("paced"), workers(4), rate(10).burst(3)));
        List<Integer> outputs = assertPaced(p, n, calls, n, 4, 3, SECOND / 10, Waiters.EVERY_WORKER);
        assertEquals(
                IntStream.range(1, n + 1).boxed().toList(),
                ConstructionVerification.sorted(outputs),
                "every output, each once");
    }

    @RuleTest("10.1")
    void rule_10_1_eachRunHasABucketOfItsOwn() {
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range).pipe(Task.task(counting(calls), rate(1).burst(2)));
        ManualClock clock = new ManualClock();
        try (PolicyClock.InUse manual = PolicyClock.use(clock);
                Stream<Integer> first = on(p).stream(5);
                Stream<Integer> second = on(p).stream(5)) {
            clock.await(
                    calls,
                    (c, sleepers, timers) -> c == 4 && sleepers + timers == 2,
                    c -> c > 4,
                    "two invocations of each run (its burst), and the worker of each waiting for a token");
        }
    }

    @RuleTest("10.1")
    void rule_10_1_theMetricsCountTheAttemptsThatWaitedForATokenAndHowLong() {
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p =
                Task.branch(Fixtures::range).pipe(Task.task(counting(calls), named("metered"), rate(1)));
        ManualClock clock = new ManualClock();
        try (PolicyClock.InUse manual = PolicyClock.use(clock);
                PipelineRun<Integer> run = on(p).start(3)) {
            step(clock, calls, 3, 1, 1, SECOND, Waiters.EVERY_WORKER);
            assertEquals(List.of(1, 2, 3), run.outputs().toList());
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(
                    List.of(3L, 2L, Duration.ofSeconds(2)),
                    List.of(m.invocations(), m.rateDelayed(), m.rateWaited()),
                    () ->
                            "[invocations, attempts that waited for a token, how long in all]: inputs 1 and 2 waited a second each: "
                                    + m);
        }
    }

    // ---- 10.2 what is refused -------------------------------------------------------------------

    @RuleTest("10.2")
    void rule_10_2_badValuesAreRefusedNamingTheTaskTheOptionAndTheValue() {
        assertRefused(() -> Task.task(Fixtures::addOne, rate(0)), "rate(0)", "addOne", "more than 0", "was 0.0");
        assertRefused(() -> Task.task(Fixtures::addOne, rate(-2.5)), "rate(-2.5)", "addOne", "was -2.5");
        assertRefused(() -> Task.task(Fixtures::addOne, rate(Double.NaN)), "rate(NaN)", "addOne", "was NaN");
        assertRefused(
                () -> Task.task(Fixtures::addOne, rate(Double.POSITIVE_INFINITY)),
                "rate(Infinity)",
                "addOne",
                "finite");
        assertRefused(
                () -> Task.task(Fixtures::addOne, rate(5).burst(0)),
                "rate(5).burst(0)",
                "addOne",
                "burst",
                "at least 1",
                "was 0");
        assertRefused(() -> Task.task(Fixtures::addOne, rate(5), rate(6)), "rate(6)", "addOne", "twice");
    }

    @RuleTest("10.2")
    void rule_10_2_aJoinRefusesARate() {
        assertRefused(() -> Task.join(Fixtures::sum, rate(5)), "rate(5)", "sum", "join");
    }

    // ---- 10.3 with the other options ------------------------------------------------------------

    @RuleTest("10.3")
    void rule_10_3_everyAttemptTakesAToken_aRetryToo() {
        int n = 3;
        ResilienceVerification.Attempts attempts = new ResilienceVerification.Attempts(n);
        SharedCounter calls = new SharedCounter();
        ThrowingFunction<Integer, Integer> failsOnce = attempts.failing(x -> x == 0, 1);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            calls.incrementAndGet();
                            return failsOnce.apply(x);
                        },
                        named("retried"),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO),
                        rate(1).burst(2)));
        // input 0 fails once: its two attempts take the burst, and input 1 waits a second
        List<Integer> outputs = assertPaced(p, n, calls, n + 1, 1, 2, SECOND, Waiters.EVERY_WORKER);
        assertEquals(List.of(1, 2, 3), ConstructionVerification.sorted(outputs));
        assertEquals(2, attempts.of(0), "the first attempt of input 0 and its retry");
    }

    @RuleTest("10.3")
    void rule_10_3_theWaitForATokenIsNotPartOfAnAttemptsTimeout() {
        int n = 3;
        SharedCounter calls = new SharedCounter();
        // a limit of half the interval: were the wait for a token timed, moving the clock on would time it out
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(counting(calls), named("timed"), timeout(Duration.ofMillis(500)), rate(1)));
        // and only once no attempt runs (its own timer pending) is the clock moved on
        List<Integer> outputs = assertPaced(p, n, calls, n, 1, 1, SECOND, Waiters.EVERY_WORKER_NO_ATTEMPT_TIMED);
        assertEquals(List.of(1, 2, 3), outputs);
    }

    @RuleTest("10.3")
    void rule_10_3_anOrderedTaskKeepsItsInputOrderUnderARate() {
        int n = 10;
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p =
                Task.branch(Fixtures::range).pipe(Task.task(counting(calls), workers(3), ordered(), rate(20).burst(2)));
        // a worker whose input finished early waits for its slot in the reorder window, not for a token
        List<Integer> outputs = assertPaced(p, n, calls, n, 3, 2, SECOND / 20, Waiters.SOME_WORKER);
        assertEquals(IntStream.range(1, n + 1).boxed().toList(), outputs, "the input order");
    }

    @RuleTest("10.3")
    void rule_10_3_aMultiprocessTaskTakesItsTokensWhereItsCallsAreSentFrom() {
        assumeProcesses();
        int n = 8;
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(counting(calls), workers(2), multiprocess(), rate(4).burst(2)));
        List<Integer> outputs = assertPaced(p, n, calls, n, 2, 2, SECOND / 4, Waiters.EVERY_WORKER);
        assertEquals(IntStream.range(1, n + 1).boxed().toList(), ConstructionVerification.sorted(outputs));
    }

    @RuleTest("10.3")
    void rule_10_3_anAsyncTaskStartsItsStagesAtTheRate() {
        int n = 10;
        SharedCounter starts = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async(
                        (Integer x) -> {
                            starts.incrementAndGet();
                            return CompletableFuture.completedFuture(x + 1);
                        },
                        named("pacedStages"),
                        workers(4),
                        rate(10).burst(2)));
        List<Integer> outputs = assertPaced(p, n, starts, n, 4, 2, SECOND / 10, Waiters.EVERY_WORKER);
        assertEquals(IntStream.range(1, n + 1).boxed().toList(), ConstructionVerification.sorted(outputs));
    }

    // ---- 10.4 cancellation ----------------------------------------------------------------------

    @RuleTest("10.4")
    void rule_10_4_closingTheRunEndsTheWorkersThatWaitForAToken() {
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p =
                Task.branch(Fixtures::range).pipe(Task.task(counting(calls), workers(3), rate(1)));
        assertClosingEndsTheWait(p, calls);
    }

    @RuleTest("10.4")
    void rule_10_4_closingTheRunCancelsTheStagesThatWaitForAToken() {
        SharedCounter starts = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async(
                        (Integer x) -> {
                            starts.incrementAndGet();
                            return CompletableFuture.completedFuture(x + 1);
                        },
                        workers(3),
                        rate(1)));
        assertClosingEndsTheWait(p, starts);
    }

    @RuleTest("10.4")
    void rule_10_4_aFailureElsewhereEndsTheWorkersThatWaitForAToken() {
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(counting(calls), workers(3), rate(1)))
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x > 0) {
                                throw new UserException("the task after the rate failed on " + x);
                            }
                            return x;
                        },
                        named("failsAtOnce")));
        ManualClock clock = new ManualClock();
        try (PolicyClock.InUse manual = PolicyClock.use(clock)) {
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> runWithin(p, 20, "the run's failure, while three workers wait for a token that never comes"));
            assertInstanceOf(UserException.class, e.getCause());
            assertMessage(e, "failsAtOnce");
        }
        Tck.eventually(() -> clock.waiting() == 0, "nothing of the failed run waiting on the clock");
    }

    // ---- fixtures -------------------------------------------------------------------------------

    /** Who waits for a token once the invocations a rate allows by now have started. */
    private enum Waiters {
        /** Every worker that has an input: {@code min(workers, total - started)}, asleep or as a timer. */
        EVERY_WORKER {
            @Override
            boolean hold(int target, int sleepers, int timers) {
                return sleepers + timers == target;
            }
        },
        /** As {@link #EVERY_WORKER}, all of them asleep, and no attempt under way (whose timeout would be a timer). */
        EVERY_WORKER_NO_ATTEMPT_TIMED {
            @Override
            boolean hold(int target, int sleepers, int timers) {
                return sleepers == target && timers == 0;
            }
        },
        /** At least one while any input is left (an ordered task's window may hold the others). */
        SOME_WORKER {
            @Override
            boolean hold(int target, int sleepers, int timers) {
                return target == 0 ? sleepers + timers == 0 : sleepers + timers >= 1;
            }
        };

        abstract boolean hold(int target, int sleepers, int timers);
    }

    /**
     * Runs {@code p} on a {@link ManualClock} and moves the clock on one {@code interval} at a time:
     * after k intervals exactly {@code min(total, burst + k)} invocations have started, and
     * {@code min(workers, total - started)} wait for a token as {@code waiters} says; one more
     * invocation fails at once. The clock moves only while someone waits for a token, so none is
     * lost to a full bucket.
     *
     * @param input the producer's input
     * @param calls counts the invocations (attempts) as they start
     * @param total how many will start in all
     * @return the run's outputs
     */
    private List<Integer> assertPaced(
            Pipeline<Integer, Integer> p,
            int input,
            SharedCounter calls,
            int total,
            int workers,
            int burst,
            long interval,
            Waiters waiters) {
        ManualClock clock = new ManualClock();
        try (PolicyClock.InUse manual = PolicyClock.use(clock);
                Stream<Integer> outputs = on(p).stream(input)) {
            step(clock, calls, total, workers, burst, interval, waiters);
            return outputs.toList();
        }
    }

    /** The steps of {@link #assertPaced}, on a run started on {@code clock}; returns once all {@code total} have started. */
    private static void step(
            ManualClock clock, SharedCounter calls, int total, int workers, int burst, long interval, Waiters waiters) {
        for (int k = 0; ; k++) {
            int expected = Math.min(total, burst + k);
            int waiting = Math.min(workers, total - expected);
            String what = expected + " invocations started after " + k + " interval(s) of the rate, and " + waiting
                    + " waiting for a token";
            clock.await(
                    calls,
                    (c, sleepers, timers) -> c == expected && waiters.hold(waiting, sleepers, timers),
                    c -> c > expected,
                    what);
            if (expected == total) {
                return;
            }
            clock.advance(interval);
        }
    }

    /** Starts {@code p} (three workers, a burst of one) on a stopped clock, closes it while they wait, checks they have gone. */
    private void assertClosingEndsTheWait(Pipeline<Integer, Integer> p, SharedCounter calls) {
        ManualClock clock = new ManualClock();
        try (PolicyClock.InUse manual = PolicyClock.use(clock)) {
            Stream<Integer> outputs = on(p).stream(20);
            try {
                clock.await(
                        calls,
                        (c, sleepers, timers) -> c == 1 && sleepers + timers == 3,
                        c -> c > 1,
                        "one invocation (the burst), and three waiting for a token");
            } finally {
                Tck.within("close() while three invocations wait for a token that never comes", () -> {
                    outputs.close();
                    return null;
                });
            }
            Tck.eventually(() -> clock.waiting() == 0, "nothing of the closed run waiting on the clock");
        }
    }

    private static ThrowingFunction<Integer, Integer> counting(SharedCounter calls) {
        return x -> {
            calls.incrementAndGet();
            return x + 1;
        };
    }

    private static void assertRefused(Executable build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertMessage(e, parts);
    }

    private void assumeProcesses() {
        String reason = unsupportedReason(executor().unsupportedRules(), "6.1");
        Assumptions.assumeTrue(reason == null, () -> "multiprocess tasks are declared unsupported: " + reason);
    }
}
