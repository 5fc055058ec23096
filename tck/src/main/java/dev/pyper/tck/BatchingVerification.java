package dev.pyper.tck;

import static dev.pyper.Task.batch;
import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.rate;
import static dev.pyper.Task.retry;
import static dev.pyper.Task.skipFailures;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.timeout;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.spi.PolicyClock;
import dev.pyper.tck.ErrorsVerification.UserException;
import dev.pyper.tck.ResilienceVerification.Attempts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

/**
 * Section 10 of the specification, batches (rules 10.5 to 10.9): {@code batch(size, maxWait)}
 * groups inputs into lists that go when they are full, when their {@code maxWait} has passed since
 * their first input, or at the end of the stream, never empty; {@code flatten()} undoes it. The
 * time runs on a {@link PolicyClock} that the tests move by hand ({@code ManualClock}), so no test
 * waits for a batch's time to pass; functions that must wait for the test do so on latches that
 * every JVM of the run shares.
 */
public abstract class BatchingVerification extends ExecutorVerification {

    /** A maxWait that no test waits for on the real clock. */
    private static final Duration HOUR = Duration.ofHours(1);

    /** For subclasses. */
    protected BatchingVerification() {}

    // ---- 10.5 what a batch is -------------------------------------------------------------------

    @RuleTest("10.5")
    void rule_10_5_inputsGoInFullBatchesInTheirOrderAndThePartialOneAtTheEnd() {
        List<List<Integer>> expected = List.of(range(0, 10), range(10, 20), range(20, 25));
        assertEquals(expected, run(Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(10)), 25));
        assertEquals(
                expected,
                run(Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(10, HOUR)), 25),
                "a batch that has not waited its maxWait goes when it is full or at the end");
        assertEquals(
                IntStream.range(0, 3).mapToObj(x -> List.of(x)).toList(),
                run(Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(1)), 3),
                "batches of one");
    }

    @RuleTest("10.5")
    void rule_10_5_theTaskAfterABatchTakesOneBatchPerInvocationAndFlattenGivesTheItemsBack() {
        Pipeline<Integer, Integer> sizes =
                Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(4), Task.task(List::size));
        assertEquals(List.of(4, 4, 2), run(sizes, 10));
        Pipeline<Integer, Integer> roundTrip = Pipeline.of(
                Task.branch(Fixtures::range),
                Task.<Integer>batch(4),
                Task.task(BatchingVerification::doubled),
                Task.<Integer>flatten());
        assertEquals(IntStream.range(0, 10).map(x -> 2 * x).boxed().toList(), run(roundTrip, 10));
    }

    @RuleTest("10.5")
    void rule_10_5_aBatchHoldsNullInputsAndCannotBeChanged() {
        Pipeline<Integer, List<Integer>> p =
                Pipeline.of(Task.branch((Integer x) -> Arrays.asList(1, null, 2)), Task.<Integer>batch(2));
        List<List<Integer>> batches = run(p, 0);
        assertEquals(List.of(Arrays.asList(1, null), List.of(2)), batches);
        assertThrows(UnsupportedOperationException.class, () -> batches.get(1).add(3), "a batch cannot be changed");
    }

    // ---- 10.6 never empty, nothing lost, nothing twice ----------------------------------------------

    @RuleTest("10.6")
    void rule_10_6_noBatchIsEmpty() {
        assertEquals(
                List.of(),
                run(Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(3)), 0),
                "no input, no batch");
        assertEquals(
                List.of(range(0, 3), range(3, 6)),
                run(Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(3)), 6),
                "no empty batch after the last full one");
        ManualClock clock = new ManualClock();
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, List<Integer>> p =
                Pipeline.of(Task.generator(heldUntil(release)), Task.<Integer>batch(3, HOUR));
        try (PolicyClock.InUse using = PolicyClock.use(clock);
                PipelineRun<List<Integer>> run = on(p).start(0)) {
            clock.advance(HOUR.multipliedBy(3));
            Tck.never(() -> run.metrics().tasks().get(1).itemsOut() > 0, "a batch went with no input in it");
            assertEquals(0, clock.pending(), "no timer is set for a batch that has no input");
            release.countDown();
            assertEquals(
                    List.of(),
                    Tck.within("the end of the stream", () -> run.outputs().toList()));
        }
    }

    @RuleTest("10.6")
    void rule_10_6_aRetriedBatchIsTheSameBatchAndNoItemIsLostOrDuplicated() {
        int n = 40;
        Attempts attempts = new Attempts(n);
        Pipeline<Integer, Integer> p = Pipeline.of(
                Task.branch(Fixtures::range),
                Task.<Integer>batch(5),
                Task.task(
                        (List<Integer> b) -> {
                            int attempt = attempts.count(b.get(0));
                            if (attempt == 1) {
                                throw new UserException("attempt 1 of the batch from " + b.get(0));
                            }
                            return b;
                        },
                        workers(3),
                        retry(1).backoff(Duration.ZERO, Duration.ZERO)),
                Task.<Integer>flatten());
        assertEquals(range(0, n), ConstructionVerification.sorted(run(p, n)), "every item once");
        for (int first = 0; first < n; first += 5) {
            assertEquals(2, attempts.of(first), "two attempts of the batch from " + first);
        }
    }

    @RuleTest("10.6")
    void rule_10_6_aSkippedBatchLosesOnlyItsOwnItems() {
        int n = 30;
        Pipeline<Integer, Integer> p = Pipeline.of(
                Task.branch(Fixtures::range),
                Task.<Integer>batch(10),
                Task.task(
                        (List<Integer> b) -> {
                            if (b.contains(13)) {
                                throw new UserException("a batch with 13");
                            }
                            return b;
                        },
                        named("store"),
                        skipFailures()),
                Task.<Integer>flatten());
        try (PipelineRun<Integer> run = on(p).start(n)) {
            List<Integer> out = run.outputs().toList();
            List<Integer> expected = new ArrayList<>(range(0, 10));
            expected.addAll(range(20, 30));
            assertEquals(expected, out, "every item of the other batches, each once, in order");
            TaskMetrics store = run.metrics().tasks().get(2);
            assertEquals(1, store.skipped(), "one batch skipped");
            assertEquals(3, store.invocations(), "one invocation per batch");
        }
    }

    @RuleTest("10.6")
    void rule_10_6_aFailureOfTheTaskAfterTheBatchNamesItAndShowsTheBatch() {
        Pipeline<Integer, Integer> p = Pipeline.of(
                Task.branch(Fixtures::range),
                Task.<Integer>batch(4),
                Task.task(
                        (List<Integer> b) -> {
                            if (b.contains(6)) {
                                throw new UserException("no sixes");
                            }
                            return b.size();
                        },
                        named("insertAll")));
        PipelineException e = assertThrows(PipelineException.class, () -> runWithin(p, 12, "the failure"));
        assertInstanceOf(UserException.class, e.getCause());
        assertMessage(e, "insertAll", "[4, 5, 6, 7]");
    }

    @RuleTest("10.6")
    void rule_10_6_closingTheRunMidStreamHandsNoItemTwice() {
        Pipeline<Integer, List<Integer>> p =
                Pipeline.of(Task.generator(Fixtures::countForever), Task.<Integer>batch(5, HOUR));
        try (Stream<List<Integer>> batches = on(p).stream(0)) {
            List<List<Integer>> first =
                    Tck.within("three batches", () -> batches.limit(3).toList());
            assertEquals(List.of(range(0, 5), range(5, 10), range(10, 15)), first);
        }
        // the leak check after the test shows that nothing of the run, its timers included, runs on
    }

    // ---- 10.7 back-pressure ---------------------------------------------------------------------------

    @RuleTest("10.7")
    void rule_10_7_aBlockedTaskAfterTheBatchPausesTheProducer() {
        int producerThrottle = 4;
        int size = 3;
        // in the batch task's buffer: throttle(3) counts inputs, one batch of 3 (k = 1); one batch in
        // the hand of the blocked worker, one in the batch task's blocked put, t in the producer's
        // buffer, and one emit begun: t + (k + w + 1) * n + 1
        int bound = producerThrottle + (1 + 1 + 1) * size + 1;
        SharedCounter begun = new SharedCounter();
        SharedCounter emitted = new SharedCounter();
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Pipeline.of(
                Task.generator(
                        (Integer n, Emitter<Integer> out) -> {
                            for (int i = 0; i < n; i++) {
                                begun.incrementAndGet();
                                out.emit(i);
                                emitted.incrementAndGet();
                            }
                        },
                        throttle(producerThrottle)),
                Task.<Integer>batch(size, throttle(size)),
                Task.task((List<Integer> b) -> {
                    Tck.awaitInTask(release);
                    return b.size();
                }));
        try (Stream<Integer> outputs = on(p).stream(300)) {
            Iterator<Integer> it = outputs.iterator();
            Tck.eventually(
                    () -> begun.get() >= bound, "the producer has begun emit number " + bound + ", which must block");
            Tck.never(
                    () -> emitted.get() > bound - 1 || begun.get() > bound,
                    () -> "the producer ran past t + (k + w + 1) * n + 1 = " + bound + " items: emit number "
                            + begun.get() + " begun, " + emitted.get() + " returned");
            release.countDown();
            int items = 0;
            while (it.hasNext()) {
                items += it.next();
            }
            assertEquals(300, items, "every item, in batches");
        }
    }

    // ---- 10.8 time ------------------------------------------------------------------------------------

    @RuleTest("10.8")
    void rule_10_8_aBatchGoesWhenMaxWaitHasPassedSinceItsFirstInput() {
        ManualClock clock = new ManualClock();
        SharedLatch second = new SharedLatch(1);
        SharedLatch last = new SharedLatch(1);
        Pipeline<Integer, List<Integer>> p = Pipeline.of(
                Task.generator((Integer x, Emitter<Integer> out) -> {
                    out.emit(0);
                    awaitOrFail(second);
                    out.emit(1);
                    out.emit(2);
                    awaitOrFail(last);
                    out.emit(3);
                    out.emit(4);
                }),
                Task.<Integer>batch(10, Duration.ofMinutes(1)));
        try (PolicyClock.InUse using = PolicyClock.use(clock);
                PipelineRun<List<Integer>> run = on(p).start(0)) {
            Iterator<List<Integer>> batches = run.outputs().iterator();
            clock.awaitTimer();
            Tck.eventually(() -> batchTask(run).itemsIn() == 1, "the batch has taken its first input");
            clock.advance(Duration.ofSeconds(30));
            second.countDown();
            Tck.eventually(() -> batchTask(run).itemsIn() == 3, "the batch has taken three inputs");
            Tck.never(
                    () -> batchTask(run).itemsOut() > 0,
                    "a batch went 30 s after its first input, before its maxWait of 1 min");
            clock.advance(Duration.ofSeconds(30));
            assertEquals(
                    List.of(0, 1, 2),
                    Tck.within("the batch whose maxWait has passed", batches::next),
                    "maxWait counts from the batch's first input, not its last");
            last.countDown();
            assertEquals(List.of(3, 4), Tck.within("the last batch, at the end", batches::next));
            assertFalse(batches.hasNext());
        }
        assertEquals(0, clock.pending(), "the last batch's timer was cancelled when it went at the end");
    }

    @RuleTest("10.8")
    void rule_10_8_aFullBatchGoesAtOnceAndCancelsItsTimer() {
        ManualClock clock = new ManualClock();
        Pipeline<Integer, List<Integer>> p =
                Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(3, Duration.ofMinutes(1)));
        try (PolicyClock.InUse using = PolicyClock.use(clock)) {
            assertEquals(
                    List.of(range(0, 3), range(3, 6), range(6, 7)),
                    runWithin(p, 7, "batches that fill without time passing"));
        }
        assertEquals(0, clock.pending(), "every batch that went cancelled its timer");
    }

    // ---- 10.9 what composes, what is refused, what is counted --------------------------------------------

    @RuleTest("10.9")
    void rule_10_9_badValuesAndOptionsAreRefusedNamingTheTaskTheOptionAndTheValue() {
        assertRefused(() -> batch(0), "batch(0)", "size", "at least 1", "was 0");
        assertRefused(() -> batch(3, Duration.ZERO), "batch(3, PT0S)", "maxWait", "more than zero");
        assertRefused(() -> batch(3, Duration.ofSeconds(-1)), "maxWait", "PT-1S");
        assertRefused(() -> batch(3, (Duration) null), "batch(3, null)", "maxWait", "null");
        assertRefused(() -> batch(3, workers(2)), "workers(2)", "batch", "one worker", "task that takes the batches");
        assertRefused(() -> batch(3, named("chunks"), multiprocess()), "multiprocess()", "'chunks'", "no function");
        assertRefused(() -> batch(3, retry(1)), "retry(1)", "batch", "no function");
        assertRefused(() -> batch(3, timeout(Duration.ofSeconds(1))), "timeout", "batch", "no function");
        assertRefused(() -> batch(3, skipFailures()), "skipFailures()", "batch", "no function");
        assertRefused(() -> batch(3, rate(10)), "rate(10", "batch", "no function", "no invocations to pace");
        assertRefused(() -> batch(3, throttle(2)), "throttle(2)", "batch", "counts inputs", "at least 3");
        assertRefused(() -> batch(3, throttle(-1)), "throttle(-1)", "batch");
        Pipeline<Integer, List<Integer>> first = batch(3);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> on(first).toList(1));
        assertMessage(e, "first task", "batch");
        // what a batch does take
        batch(3, named("chunks"), workers(1), ordered(), throttle(0));
        batch(3, Duration.ofMillis(5), throttle(7));
    }

    @RuleTest("10.9")
    void rule_10_9_theOptionsOfTheTaskAfterTheBatchApplyToWholeBatches() {
        Pipeline<Integer, Integer> ordered = Pipeline.of(
                Task.branch(Fixtures::range),
                Task.<Integer>batch(3),
                Task.task(BatchingVerification::doubled, workers(4), ordered()),
                Task.<Integer>flatten());
        assertEquals(
                IntStream.range(0, 50).map(x -> 2 * x).boxed().toList(),
                run(ordered, 50),
                "four workers on batches, in the order of the batches");
        Pipeline<Integer, Integer> async = Pipeline.of(
                Task.branch(Fixtures::range),
                Task.<Integer>batch(4),
                Task.async((List<Integer> b) -> CompletableFuture.completedFuture(b.size()), workers(2)));
        assertEquals(20, run(async, 20).stream().mapToInt(Integer::intValue).sum(), "an async task takes batches too");
    }

    @RuleTest("10.9")
    void rule_10_9_aBatchInANestedPipelineBatchesEachInnerRun() {
        Pipeline<Integer, List<Integer>> inner = on(Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(2)));
        Pipeline<Integer, List<List<Integer>>> outer =
                Task.branch(Fixtures::range).pipe(Task.task(inner.consume(Stream::toList), workers(2), ordered()));
        assertEquals(
                List.of(List.of(), List.of(List.of(0)), List.of(List.of(0, 1)), List.of(List.of(0, 1), List.of(2))),
                run(outer, 4));
    }

    @RuleTest("10.9")
    void rule_10_9_aBatchTaskCountsInputsInAndBatchesOut() {
        Pipeline<Integer, List<Integer>> p =
                Pipeline.of(Task.branch(Fixtures::range), Task.<Integer>batch(10, named("chunks")));
        try (PipelineRun<List<Integer>> run = on(p).start(25)) {
            assertEquals(3, run.outputs().count());
            TaskMetrics chunks = run.metrics().tasks().get(1);
            assertEquals("chunks", chunks.name());
            assertEquals(25, chunks.itemsIn(), "inputs in");
            assertEquals(3, chunks.itemsOut(), "batches out");
            assertEquals(0, chunks.invocations(), "no function called");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static List<Integer> doubled(List<Integer> batch) {
        return batch.stream().map(x -> 2 * x).toList();
    }

    private static TaskMetrics batchTask(PipelineRun<?> run) {
        return run.metrics().tasks().get(1);
    }

    /** A generator that emits nothing and ends once {@code release} opens. */
    private static dev.pyper.function.Generator<Integer, Integer> heldUntil(SharedLatch release) {
        return (Integer x, Emitter<Integer> out) -> awaitOrFail(release);
    }

    private static void awaitOrFail(SharedLatch latch) throws InterruptedException {
        if (!Tck.awaitInTask(latch)) {
            throw new IllegalStateException("the test did not open its latch in time");
        }
    }

    private static void assertRefused(Executable build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertMessage(e, parts);
    }
}
