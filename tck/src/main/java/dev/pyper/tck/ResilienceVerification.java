package dev.pyper.tck;

import static dev.pyper.Task.deadLetters;
import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.retry;
import static dev.pyper.Task.skipFailures;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.timeout;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.TaskTimeoutException;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.PolicyClock;
import dev.pyper.tck.ErrorsVerification.UserError;
import dev.pyper.tck.ErrorsVerification.UserException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/**
 * Section 9 of the specification: the failures a task survives — retries (9.2, 9.3), timeouts
 * (9.4), skipped and dead-lettered inputs (9.5), and the counts that account for every input
 * (9.6). The functions fail on purpose, a given number of attempts per input, counted in memory
 * that every JVM of the run shares, so the tests hold where the functions run in other processes.
 * No test sleeps through a backoff: most are zero, and the rule 9.7 tests run backoffs and
 * timeouts of minutes on a {@link PolicyClock} a thousand times as fast.
 */
public abstract class ResilienceVerification extends ExecutorVerification {

    /** A timeout far above what a fast call takes on a loaded machine, and short enough for a test. */
    private static final Duration LIMIT = Duration.ofSeconds(1);

    /** For subclasses. */
    protected ResilienceVerification() {}

    // ---- 9.1 what is refused -------------------------------------------------------------------

    @RuleTest("9.1")
    void rule_9_1_badValuesAreRefusedNamingTheTaskTheOptionAndTheValue() {
        assertRefused(() -> Task.task(Fixtures::addOne, retry(0)), "retry(0)", "addOne", "at least 1", "was 0");
        assertRefused(() -> Task.task(Fixtures::addOne, retry(2).jitter(1.5)), "retry(2)", "addOne", "jitter", "1.5");
        assertRefused(
                () -> Task.task(Fixtures::addOne, retry(2).backoff(Duration.ofSeconds(5), Duration.ofSeconds(1))),
                "retry(2)",
                "addOne",
                "cap",
                "PT1S",
                "PT5S");
        assertRefused(
                () -> Task.task(Fixtures::addOne, retry(2).backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1))),
                "addOne",
                "first backoff",
                "PT-1S");
        assertRefused(
                () -> Task.task(Fixtures::addOne, timeout(Duration.ZERO)),
                "timeout",
                "addOne",
                "more than zero",
                "PT0S");
        assertRefused(
                () -> Task.task(Fixtures::addOne, skipFailures(), deadLetters(letter -> {})), "addOne", "one option");
    }

    @RuleTest("9.1")
    void rule_9_1_joinsRefuseTheOptions() {
        for (Option option : List.of(retry(1), timeout(LIMIT), skipFailures())) {
            assertRefused(() -> Task.join(Fixtures::sum, option), option.toString(), "sum", "join");
        }
    }

    // ---- 9.2 retries -------------------------------------------------------------------------------

    @RuleTest("9.2")
    void rule_9_2_failedInvocationsAreMadeAgainUntilTheySucceed() {
        int n = 20;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failing(x -> true, 2),
                        named("flaky"),
                        workers(3),
                        retry(2).backoff(Duration.ZERO, Duration.ZERO)));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(
                    IntStream.range(0, n).map(x -> x + 1).boxed().toList(),
                    ConstructionVerification.sorted(run.outputs().toList()),
                    "every output, each once");
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(2L * n, m.retries(), "two retries per input");
            assertEquals(0, m.failed(), "no invocation failed for good");
            assertEquals(n, m.invocations(), "one invocation per input, however many attempts");
            assertEquals(n, m.itemsOut());
        }
        for (int x = 0; x < n; x++) {
            assertEquals(3, attempts.of(x), "three attempts of input " + x);
        }
    }

    @RuleTest("9.2")
    void rule_9_2_retriesKeepTheInputOrderOfAnOrderedTask() {
        int n = 60;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failing(x -> x % 3 == 0, 1),
                        workers(4),
                        ordered(),
                        throttle(2),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        assertEquals(
                IntStream.range(0, n).map(x -> x + 1).boxed().toList(), run(p, n), "the input order, retries and all");
    }

    @RuleTest("9.2")
    void rule_9_2_aFailureOutOfRetriesFailsTheRun() {
        Attempts attempts = new Attempts(10);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failing(x -> x == 5, 100),
                        named("hopeless"),
                        retry(2).backoff(Duration.ZERO, Duration.ZERO)));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 10));
        assertInstanceOf(UserException.class, e.getCause());
        assertMessage(e.getCause(), "attempt 3 of input 5");
        assertMessage(e, "hopeless");
        assertEquals(3, attempts.of(5), "the first attempt and two retries");
    }

    @RuleTest("9.2")
    void rule_9_2_onlyTheFailuresWorthRetryingAreRetried() {
        Attempts attempts = new Attempts(10);
        Pipeline<Integer, Integer> notOn = Task.branch(Fixtures::range)
                .pipe(Task.task(attempts.failing(x -> x == 4, 1), retry(3).on(IllegalStateException.class)));
        PipelineException e = assertThrows(PipelineException.class, () -> run(notOn, 10));
        assertInstanceOf(UserException.class, e.getCause());
        assertEquals(1, attempts.of(4), "a UserException is not an IllegalStateException: no retry");

        Attempts again = new Attempts(10);
        Pipeline<Integer, Integer> filtered = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        again.failing(x -> x == 4, 1),
                        retry(3).when(t -> !t.getMessage().contains("of input 4"))));
        assertThrows(PipelineException.class, () -> run(filtered, 10));
        assertEquals(1, again.of(4), "the filter turned the failure down: no retry");
    }

    @RuleTest("9.2")
    void rule_9_2_anErrorIsNeitherRetriedNorSkipped() {
        SharedCounter calls = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 3) {
                                calls.incrementAndGet();
                                throw new UserError("broken beyond repair");
                            }
                            return x;
                        },
                        retry(3).on(Throwable.class).backoff(Duration.ZERO, Duration.ZERO),
                        skipFailures()));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 10));
        assertInstanceOf(UserError.class, e.getCause());
        assertEquals(1, calls.get(), "an Error ends the run at its first attempt");
    }

    @RuleTest("9.2")
    void rule_9_2_theBackoffDoublesUpToItsCapLessItsJitter() {
        Option.Retry r =
                retry(6).backoff(Duration.ofMinutes(1), Duration.ofMinutes(10)).jitter(0.5);
        List<Duration> backoffs =
                IntStream.rangeClosed(1, 6).mapToObj(r::backoffBefore).toList();
        assertEquals(
                List.of(1L, 2L, 4L, 8L, 10L, 10L),
                backoffs.stream().map(Duration::toMinutes).toList());
        assertEquals(Duration.ofMinutes(4), r.waitBefore(3, 0), "no jitter drawn: the full backoff");
        assertEquals(Duration.ofMinutes(3), r.waitBefore(3, 0.5), "half the jitter of a half: a quarter off");
        assertTrue(
                r.waitBefore(3, 0.999_999).compareTo(Duration.ofMinutes(2)) >= 0,
                "never less than the backoff less its jitter");
        assertEquals(Duration.ofMinutes(4), r.jitter(0).waitBefore(3, 0.9), "no jitter: the full backoff");
    }

    @RuleTest("9.2")
    void rule_9_2_aMultiprocessTaskIsRetriedInItsWorkerProcess() {
        assumeProcesses();
        int n = 12;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failing(x -> x % 2 == 0, 1),
                        workers(2),
                        multiprocess(),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(
                    IntStream.range(0, n).map(x -> x + 1).boxed().toList(),
                    ConstructionVerification.sorted(run.outputs().toList()));
            assertEquals(n / 2, run.metrics().tasks().get(1).retries());
        }
    }

    @RuleTest("9.2")
    void rule_9_2_anInputWhoseWorkerProcessDiedIsRetriedOnANewOne() {
        assumeProcesses();
        int n = 6;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.exitingOnce(x -> x == 2),
                        multiprocess(),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(List.of(1, 2, 3, 4, 5, 6), run.outputs().toList());
            assertEquals(1, run.metrics().tasks().get(1).retries());
        }
        assertEquals(2, attempts.of(2), "the input was tried again, on a new worker process");
    }

    // ---- 9.3 what emitted is not made again -------------------------------------------------------

    @RuleTest("9.3")
    void rule_9_3_anInvocationThatEmittedIsNotRetried() {
        int n = 10;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.generator(
                        (Integer x, Emitter<Integer> out) -> {
                            int attempt = attempts.count(x);
                            out.emit(x * 10);
                            if (x == 3 && attempt == 1) {
                                throw new UserException("after one output");
                            }
                            out.emit(x * 10 + 1);
                        },
                        named("halfway"),
                        retry(3).backoff(Duration.ZERO, Duration.ZERO),
                        skipFailures()));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            List<Integer> expected = IntStream.range(0, n)
                    .boxed()
                    .flatMap(x ->
                            x == 3 ? java.util.stream.Stream.of(30) : java.util.stream.Stream.of(x * 10, x * 10 + 1))
                    .toList();
            assertEquals(
                    expected,
                    ConstructionVerification.sorted(run.outputs().toList()),
                    "30 once, never twice; 31 never");
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(0, m.retries());
            assertEquals(1, m.skipped());
        }
        assertEquals(1, attempts.of(3), "not retried");
    }

    // ---- 9.4 timeouts ------------------------------------------------------------------------------

    @RuleTest("9.4")
    void rule_9_4_anAttemptPastItsTimeoutIsInterruptedAndRetried() {
        int n = 8;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.hangingOnce(x -> x == 2),
                        timeout(LIMIT),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(
                    IntStream.range(0, n).map(x -> x + 1).boxed().toList(),
                    run.outputs().toList());
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(1, m.timeouts());
            assertEquals(1, m.retries());
            assertEquals(0, m.failed());
        }
        assertEquals(2, attempts.of(2));
    }

    @RuleTest("9.4")
    void rule_9_4_aTimeoutFailsTheRunNamingTaskInputAndLimit() {
        Attempts attempts = new Attempts(5);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(attempts.hangingOnce(x -> x == 2), named("slowpoke"), timeout(LIMIT)));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 5));
        TaskTimeoutException timedOut = assertInstanceOf(TaskTimeoutException.class, e.getCause());
        assertEquals("slowpoke", timedOut.task());
        assertEquals(LIMIT, timedOut.limit());
        assertMessage(timedOut, "slowpoke", "on input 2", LIMIT.toString());
    }

    @RuleTest("9.4")
    void rule_9_4_aMultiprocessCallPastItsTimeoutIsStoppedAndRetried() {
        assumeProcesses();
        int n = 4;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.hangingOnce(x -> x == 1),
                        multiprocess(),
                        timeout(LIMIT),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(List.of(1, 2, 3, 4), run.outputs().toList());
            assertEquals(1, run.metrics().tasks().get(1).timeouts());
        }
    }

    @RuleTest("9.4")
    void rule_9_4_anAttemptThatIgnoresItsInterruptIsWrittenOffAndTheTaskGoesOn() {
        int n = 6;
        Attempts attempts = new Attempts(n);
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.deafOnce(x -> x == 2, null, release),
                        named("deaf"),
                        timeout(LIMIT),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        // unwatched: the attempt written off is still running, by design, when the caller has its result
        try (PipelineRun<Integer> run = p.on(executor()).start(n)) {
            assertEquals(List.of(1, 2, 3, 4, 5, 6), run.outputs().toList(), "the task went on, input 2 retried");
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(1, m.timeouts());
            assertEquals(1, m.retries());
            assertEquals(0, m.failed());
        } finally {
            release.countDown();
        }
        assertEquals(2, attempts.of(2));
    }

    @RuleTest("9.4")
    void rule_9_4_closingARunDoesNotWaitForAnAttemptThatIgnoresItsInterrupt() {
        Attempts attempts = new Attempts(3);
        SharedLatch entered = new SharedLatch(1);
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.deafOnce(x -> x == 0, entered, release),
                        named("deafToTheEnd"),
                        timeout(Duration.ofMinutes(20))));
        try {
            PipelineRun<Integer> run = p.on(executor()).start(3);
            Tck.await(entered, "the first attempt to start");
            Tck.within("close() of a run whose attempt ignores its interrupt", () -> {
                run.close();
                return null;
            });
        } finally {
            release.countDown();
        }
    }

    @RuleTest("9.4")
    void rule_9_4_theTimeAnAttemptWaitsInEmitDoesNotCountAgainstItsLimit() {
        assertWaitsInEmitDoNotCount(false);
    }

    @RuleTest("9.4")
    void rule_9_4_theTimeAMultiprocessCallsOutputsWaitDoesNotCountAgainstItsLimit() {
        assumeProcesses();
        assertWaitsInEmitDoNotCount(true);
    }

    /**
     * A timed generator emits until it is told to stop, into a consumer that holds its first output;
     * once the generator's outputs wait for room, the clock moves three limits on at an instant when
     * no timer is pending (the limit stands still while an output waits, rule 9.4), and the run ends
     * with every output and no timeout.
     */
    private void assertWaitsInEmitDoNotCount(boolean multiprocess) {
        ManualClock clock = new ManualClock();
        SharedCounter generated = new SharedCounter();
        SharedLatch stop = new SharedLatch(1);
        SharedLatch holding = new SharedLatch(1);
        SharedLatch release = new SharedLatch(1);
        List<Option> options = new java.util.ArrayList<>(List.of(named("producer"), timeout(LIMIT), throttle(1)));
        if (multiprocess) {
            options.add(multiprocess());
        }
        Pipeline<Integer, Integer> p = Task.generator(
                        new EmitsUntilStopped(generated, stop), options.toArray(Option[]::new))
                .pipe(Task.task(new HoldsTheFirst(holding, release), named("slowConsumer")));
        try (PolicyClock.InUse manual = PolicyClock.use(clock);
                PipelineRun<Integer> run = on(p).start(0)) {
            try {
                Tck.await(holding, "the consumer to hold the first output");
                clock.advanceWhenNoTimer(
                        LIMIT.multipliedBy(3).toNanos(),
                        "the producer's limit to stand still while its outputs wait for room");
            } finally {
                stop.countDown();
                release.countDown();
            }
            List<Integer> outputs = run.outputs().toList();
            assertEquals(generated.get(), outputs.size(), "every output generated, each once");
            TaskMetrics m = run.metrics().tasks().get(0);
            assertEquals(0, m.timeouts(), "no attempt timed out: its outputs' waits are not its time");
            assertEquals(0, m.failed());
        }
    }

    /** Emits 0, 1, 2, ... until {@code stop} opens, counting what it emits, in memory every JVM shares. */
    private record EmitsUntilStopped(SharedCounter generated, SharedLatch stop) implements Generator<Integer, Integer> {
        @Override
        public void generate(Integer input, Emitter<Integer> out) {
            for (int i = 0; stop.getCount() > 0 && i < 100_000_000; i++) {
                generated.incrementAndGet();
                out.emit(i);
            }
        }
    }

    /** Passes its input on; holds the first until {@code release} opens. */
    private record HoldsTheFirst(SharedLatch holding, SharedLatch release)
            implements ThrowingFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) throws InterruptedException {
            if (x == 0) {
                holding.countDown();
                Tck.awaitInTask(release);
            }
            return x;
        }
    }

    // ---- 9.7 the clock of backoffs and timeouts --------------------------------------------------

    /** Real nanoseconds per nanosecond of the rule 9.7 tests' clock: a minute takes 60 ms. */
    private static final double FAST = 0.001;

    @RuleTest("9.7")
    void rule_9_7_backoffsOfMinutesTakeMillisecondsOnAFasterClock() {
        int n = 4;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failing(x -> x == 1, 2),
                        named("patient"),
                        workers(2),
                        retry(2).backoff(Duration.ofMinutes(1), Duration.ofMinutes(10))
                                .jitter(0)));
        try (PolicyClock.InUse fast = PolicyClock.use(PolicyClock.scaled(FAST))) {
            List<Integer> outputs = Tck.within(
                    "two retries after backoffs of 1 and 2 minutes, on a clock 1,000 times as fast",
                    () -> ConstructionVerification.sorted(run(p, n)));
            assertEquals(List.of(1, 2, 3, 4), outputs);
        }
        assertEquals(3, attempts.of(1), "the first attempt and two retries");
    }

    @RuleTest("9.7")
    void rule_9_7_aTimeoutOfMinutesFiresInMillisecondsOnAFasterClock() {
        Duration limit = Duration.ofMinutes(20);
        Attempts attempts = new Attempts(3);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(attempts.hangingOnce(x -> x == 0), named("slow"), timeout(limit), skipFailures()));
        try (PolicyClock.InUse fast = PolicyClock.use(PolicyClock.scaled(FAST))) {
            List<Integer> outputs = Tck.within(
                    "a timeout of 20 minutes that fires after 1.2 s on a clock 1,000 times as fast",
                    () -> ConstructionVerification.sorted(run(p, 3)));
            assertEquals(List.of(2, 3), outputs, "input 0 timed out and was skipped");
        }
    }

    // ---- 9.8 async tasks ------------------------------------------------------------------------------

    @RuleTest("9.8")
    void rule_9_8_anAsyncTasksFailedStagesAreStartedAgainAfterTheirBackoff() {
        int n = 12;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async(
                        (Integer x) -> {
                            int attempt = attempts.count(x);
                            if (x % 4 == 1 && attempt == 1) {
                                throw new UserException("the function of input " + x + " threw");
                            }
                            return x % 2 == 0 && attempt <= 2
                                    ? CompletableFuture.<Integer>failedFuture(
                                            new UserException("attempt " + attempt + " of input " + x))
                                    : CompletableFuture.supplyAsync(() -> x + 1);
                        },
                        named("flakyStage"),
                        workers(3),
                        retry(2).backoff(Duration.ofMinutes(1), Duration.ofMinutes(10))));
        try (PolicyClock.InUse fast = PolicyClock.use(PolicyClock.scaled(FAST));
                PipelineRun<Integer> run = on(p).start(n)) {
            List<Integer> outputs = Tck.within(
                    "retried stages after backoffs of 1 and 2 minutes, on a clock 1,000 times as fast",
                    () -> ConstructionVerification.sorted(run.outputs().toList()));
            assertEquals(IntStream.range(0, n).map(x -> x + 1).boxed().toList(), outputs, "every output, each once");
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(
                    List.of((long) n, 0L, 15L),
                    List.of(m.invocations(), m.failed(), m.retries()),
                    () -> "[invocations, failed, retries]: two per even input, one for each of the inputs 1, 5 and 9: "
                            + m);
        }
    }

    @RuleTest("9.8")
    @SuppressWarnings("FutureReturnValueIgnored") // a callback that counts the cancellation; nobody waits on it
    void rule_9_8_anAsyncStagePastItsTimeoutIsCancelledAndStartedAgain() {
        int n = 4;
        Attempts attempts = new Attempts(n);
        SharedCounter cancelled = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async(
                        (Integer x) -> {
                            if (attempts.count(x) == 1 && x == 2) {
                                CompletableFuture<Integer> never = new CompletableFuture<>();
                                never.whenComplete((value, error) -> {
                                    if (never.isCancelled()) {
                                        cancelled.set(1);
                                    }
                                });
                                return never;
                            }
                            return CompletableFuture.completedFuture(x + 1);
                        },
                        named("stalls"),
                        workers(2),
                        timeout(Duration.ofMinutes(20)),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)));
        try (PolicyClock.InUse fast = PolicyClock.use(PolicyClock.scaled(FAST));
                PipelineRun<Integer> run = on(p).start(n)) {
            List<Integer> outputs = Tck.within(
                    "a stage past a timeout of 20 minutes (1.2 s on a clock 1,000 times as fast)",
                    () -> ConstructionVerification.sorted(run.outputs().toList()));
            assertEquals(List.of(1, 2, 3, 4), outputs);
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(
                    List.of(1L, 1L, 0L),
                    List.of(m.timeouts(), m.retries(), m.failed()),
                    () -> "[timeouts, retries, failed]: " + m);
        }
        // the stage's own callbacks run after the policy's, on the timer's thread: bounded wait
        Tck.eventually(cancelled::isSet, "the stage that timed out to be cancelled");
        assertEquals(2, attempts.of(2));
    }

    @RuleTest("9.8")
    void rule_9_8_anAsyncTaskSkipsWhatFailsForGoodAndKeepsItsOrder() {
        int n = 30;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.async(
                        (Integer x) -> {
                            int attempt = attempts.count(x);
                            return x % 10 == 0 || x % 3 == 0 && attempt == 1
                                    ? CompletableFuture.<Integer>failedFuture(
                                            new UserException("attempt " + attempt + " of input " + x))
                                    : CompletableFuture.supplyAsync(() -> x + 1);
                        },
                        named("picky"),
                        workers(4),
                        ordered(),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO),
                        skipFailures()));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(
                    IntStream.range(0, n)
                            .filter(x -> x % 10 != 0)
                            .map(x -> x + 1)
                            .boxed()
                            .toList(),
                    run.outputs().toList(),
                    "the input order, without the inputs that always fail");
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(
                    List.of((long) n, 3L, 0L, 27L),
                    List.of(m.invocations(), m.skipped(), m.failed(), m.itemsOut()),
                    () -> "[invocations, skipped, failed, items out]: " + m);
        }
    }

    // ---- 9.5 skipped and dead-lettered inputs -------------------------------------------------------

    @RuleTest("9.5")
    void rule_9_5_skippedInputsAreDroppedAndTheRunGoesOn() {
        int n = 12;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(attempts.failing(x -> x == 3 || x == 7, 100), workers(2), skipFailures()));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(
                    IntStream.range(0, n)
                            .filter(x -> x != 3 && x != 7)
                            .map(x -> x + 1)
                            .boxed()
                            .toList(),
                    ConstructionVerification.sorted(run.outputs().toList()));
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(2, m.skipped());
            assertEquals(0, m.failed());
            assertEquals(n, m.itemsIn());
        }
    }

    @RuleTest("9.5")
    void rule_9_5_deadLettersReachTheSinkWithTheirFailureAndAttempts() {
        int n = 12;
        Attempts attempts = new Attempts(n);
        Attempts letters = new Attempts(n);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failing(x -> x == 3 || x == 7, 100),
                        named("picky"),
                        workers(2),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO),
                        deadLetters(letter -> {
                            boolean ours = letter.task().equals("picky")
                                    && letter.error() instanceof UserException
                                    && letter.outputs() == 0;
                            letters.set((Integer) letter.input(), ours ? letter.attempts() : -1);
                        })));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            assertEquals(n - 2, run.outputs().toList().size());
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(2, m.deadLettered());
            assertEquals(2, m.retries());
            assertEquals(0, m.failed());
        }
        for (int x = 0; x < n; x++) {
            assertEquals(x == 3 || x == 7 ? 2 : 0, letters.of(x), "the dead letter of input " + x + " (its attempts)");
        }
    }

    @RuleTest("9.5")
    void rule_9_5_aSinkThatThrowsFailsTheRun() {
        Attempts attempts = new Attempts(6);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(attempts.failing(x -> x == 4, 100), deadLetters(letter -> {
                    throw new IllegalStateException("the sink is full");
                })));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 6));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertMessage(e.getCause(), "the sink is full");
    }

    // ---- 9.6 every input accounted for ----------------------------------------------------------

    @RuleTest("9.6")
    void rule_9_6_everyInputIsCompletedSkippedDeadLetteredOrFailed() {
        int n = 30;
        Attempts attempts = new Attempts(n);
        IntPredicate hopeless = x -> x % 10 == 0;
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        attempts.failingMixed(),
                        workers(3),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO),
                        skipFailures()));
        try (PipelineRun<Integer> run = on(p).start(n)) {
            List<Integer> out = run.outputs().toList();
            TaskMetrics m = run.metrics().tasks().get(1);
            long expectedSkipped = IntStream.range(0, n).filter(hopeless).count();
            assertEquals(n - expectedSkipped, out.size());
            assertEquals(n, m.itemsIn());
            assertEquals(n, m.invocations());
            assertEquals(
                    m.itemsIn(),
                    m.itemsOut() + m.skipped() + m.deadLettered() + m.failed(),
                    "every input accounted for");
            assertEquals(expectedSkipped, m.skipped());
            assertEquals(
                    IntStream.range(0, n).filter(x -> x % 3 == 0 || x % 10 == 0).count(), m.retries());
        }
    }

    // ---- fixtures ----------------------------------------------------------------------------------

    private static void assertRefused(Executable build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertMessage(e, parts);
    }

    private void assumeProcesses() {
        String reason = unsupportedReason(executor().unsupportedRules(), "6.1");
        Assumptions.assumeTrue(reason == null, () -> "multiprocess tasks are declared unsupported: " + reason);
    }

    /** Attempts per input, in memory that every JVM of the run shares. */
    static final class Attempts implements Serializable {
        private static final long serialVersionUID = 1L;

        private final List<SharedCounter> counters;

        Attempts(int inputs) {
            this.counters = IntStream.range(0, inputs)
                    .mapToObj(i -> new SharedCounter())
                    .toList();
        }

        /** Counts an attempt of input {@code x}; returns its number, 1 for the first. */
        int count(int x) {
            return counters.get(x).incrementAndGet();
        }

        int of(int x) {
            return counters.get(x).get();
        }

        void set(int x, int value) {
            counters.get(x).set(value);
        }

        /** {@code x + 1}, failing the first {@code failures} attempts of each input that {@code which} picks. */
        ThrowingFunction<Integer, Integer> failing(SerializableIntPredicate which, int failures) {
            return x -> {
                int attempt = count(x);
                if (which.test(x) && attempt <= failures) {
                    throw new UserException("attempt " + attempt + " of input " + x);
                }
                return x + 1;
            };
        }

        /** {@code x + 1}; inputs divisible by 10 always fail, by 3 fail once. */
        ThrowingFunction<Integer, Integer> failingMixed() {
            return x -> {
                int attempt = count(x);
                if (x % 10 == 0 || x % 3 == 0 && attempt == 1) {
                    throw new UserException("attempt " + attempt + " of input " + x);
                }
                return x + 1;
            };
        }

        /** {@code x + 1}; the first attempt of each input that {@code which} picks ends its JVM at once (a worker process's). */
        ThrowingFunction<Integer, Integer> exitingOnce(SerializableIntPredicate which) {
            return x -> {
                int attempt = count(x);
                if (which.test(x) && attempt == 1) {
                    Runtime.getRuntime().halt(3);
                }
                return x + 1;
            };
        }

        /** {@code x + 1}; the first attempt of each input that {@code which} picks waits until it is interrupted. */
        ThrowingFunction<Integer, Integer> hangingOnce(SerializableIntPredicate which) {
            SharedLatch never = new SharedLatch(1);
            return x -> {
                int attempt = count(x);
                if (which.test(x) && attempt == 1) {
                    Tck.awaitInTask(never);
                    throw new UserException("the wait was not interrupted");
                }
                return x + 1;
            };
        }

        /**
         * {@code x + 1}; the first attempt of each input that {@code which} picks opens
         * {@code entered} (if given) and then waits for {@code release}, ignoring every interrupt
         * (a call that no timeout can stop), at most {@link Tck#timeout()}.
         */
        ThrowingFunction<Integer, Integer> deafOnce(
                SerializableIntPredicate which, SharedLatch entered, SharedLatch release) {
            return x -> {
                int attempt = count(x);
                if (which.test(x) && attempt == 1) {
                    if (entered != null) {
                        entered.countDown();
                    }
                    boolean interrupted = false;
                    while (true) {
                        try {
                            if (!release.await(Tck.timeout())) {
                                throw new UserException("never released");
                            }
                            break;
                        } catch (InterruptedException ignored) {
                            interrupted = true; // on purpose: this call does not stop when interrupted
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                return x + 1;
            };
        }
    }

    /** An {@code IntPredicate} that travels to other JVMs. */
    @FunctionalInterface
    interface SerializableIntPredicate extends IntPredicate, Serializable {}
}
