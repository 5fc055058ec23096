package dev.pyper.tck;

import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.spi.Abbreviation;
import dev.pyper.spi.TaskSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Section 8 of the specification: the decisions of this project where pyper is silent — when a
 * run starts (8.1), what {@code Emitter.emit} does once the run is over (8.2), a join that returns
 * early (8.3), {@code null} outputs (8.4), run metrics (8.5), log lines (8.6) and closing a run or
 * the executor under a caller that waits (8.7).
 *
 * <p>The log tests (8.6) read the lines through Logback, attached for the duration of the test to
 * the loggers {@code dev.pyper} and the executor's own package at {@code DEBUG}; where the SLF4J
 * backend of the executor's test class path is not Logback they are skipped, naming it.
 */
public abstract class DecisionsVerification extends ExecutorVerification {

    /** For subclasses. */
    protected DecisionsVerification() {}

    // ---- 8.1 the run starts at stream() and start() -------------------------------------------

    @RuleTest("8.1")
    void rule_8_1_aRunStartsAtStreamBeforeTheFirstPull() {
        SharedLatch producerCalled = new SharedLatch(1);
        SharedLatch lastTaskCalled = new SharedLatch(3);
        try (Stream<Integer> outputs = on(startWatched(producerCalled, lastTaskCalled)).stream(3)) {
            Tck.await(producerCalled, "the producer to be called, with no pull yet");
            Tck.await(
                    lastTaskCalled,
                    "the last task to be called on every input, with no pull yet: the outputs wait in the buffers");
            assertEquals(List.of(0, 1, 2), outputs.toList());
        }
    }

    @RuleTest("8.1")
    void rule_8_1_aRunStartsAtStartBeforeItsOutputsAreTaken() {
        SharedLatch producerCalled = new SharedLatch(1);
        SharedLatch lastTaskCalled = new SharedLatch(3);
        try (PipelineRun<Integer> run =
                on(startWatched(producerCalled, lastTaskCalled)).start(3)) {
            Tck.await(producerCalled, "the producer to be called before outputs() is taken");
            Tck.await(lastTaskCalled, "the last task to be called on every input before outputs() is taken");
            assertEquals(List.of(0, 1, 2), run.outputs().toList());
        }
    }

    /** A producer of {@code 0 … n-1} and a task after it, each counting down its latch when called. */
    private static Pipeline<Integer, Integer> startWatched(SharedLatch producerCalled, SharedLatch lastTaskCalled) {
        return Task.generator((Integer n, Emitter<Integer> out) -> {
                    producerCalled.countDown();
                    Fixtures.count(n, out);
                })
                .pipe(Task.task((Integer x) -> {
                    lastTaskCalled.countDown();
                    return x;
                }));
    }

    // ---- 8.2 Emitter.emit after cancellation or failure ---------------------------------------

    @RuleTest("8.2")
    void rule_8_2_emitThrowsCancellationExceptionOnceTheRunHasFailed() {
        EmitWatch watch = new EmitWatch();
        ErrorsVerification.UserException boom = new ErrorsVerification.UserException("five");
        SharedCounter stopped = watch.stopped;
        Pipeline<Integer, Integer> p = watch.producer(throttle(1)).pipe(Task.task((Integer x) -> {
            if (x == 5) {
                stopped.set(1);
                throw boom;
            }
            return x;
        }));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 0));
        Tck.assertUsersException(boom, e.getCause());
        watch.assertCancelledWithTheFlagKept();
        watch.assertNoEmitReturnedLongAfterTheStop(this);
    }

    @RuleTest("8.2")
    void rule_8_2_emitWaitingForRoomThrowsCancellationExceptionWhenTheRunIsClosed() {
        EmitWatch watch = new EmitWatch();
        SharedLatch never = new SharedLatch(1);
        SharedLatch nextTaskBlocked = new SharedLatch(1);
        Pipeline<Integer, Integer> p = watch.producer(throttle(1)).pipe(Task.task((Integer x) -> {
            nextTaskBlocked.countDown();
            Tck.awaitInTask(never); // ended by the cancellation's interrupt
            return x;
        }));
        try (Stream<Integer> outputs = on(p).stream(0)) {
            Tck.await(nextTaskBlocked, "the next task to block");
            Tck.eventually(() -> watch.emitted.get() >= 1, "the producer to emit");
            watch.stopped.set(1);
            outputs.close();
            watch.assertCancelledWithTheFlagKept();
            watch.assertNoEmitReturnedLongAfterTheStop(this);
        }
    }

    /**
     * Watches a producer that emits for ever, until its emit refuses: whether that was a
     * {@code CancellationException}; whether its thread is interrupted afterwards (a wait after it
     * ends by an interrupt, at once or when the executor's interrupt arrives) rather than having
     * lost the interrupt that ended the emit's wait; and how many emits returned normally once the
     * test had marked the run as failed or closed ({@link #stopped}): with {@code throttle(1)} and
     * nobody taking, one at most (the room of the buffer), where an emit that ignores the
     * cancellation returns for as long as the generator calls it.
     */
    private static final class EmitWatch {
        /** Most emits that may return after the stop: the one item of room in a throttle(1) buffer, and one in flight. */
        private static final int RETURNS_AFTER_THE_STOP = 2;

        final SharedCounter emitted = new SharedCounter();
        final SharedCounter stopped = new SharedCounter();
        final SharedCounter returnedAfterTheStop = new SharedCounter();
        final SharedCounter cancelled = new SharedCounter();
        final SharedCounter otherwise = new SharedCounter();
        final SharedCounter flagKept = new SharedCounter();
        final SharedCounter flagLost = new SharedCounter();
        final SharedCounter ended = new SharedCounter();

        Pipeline<Integer, Integer> producer(Option... options) {
            SharedCounter emitted = this.emitted;
            SharedCounter stopped = this.stopped;
            SharedCounter returnedAfterTheStop = this.returnedAfterTheStop;
            SharedCounter cancelled = this.cancelled;
            SharedCounter otherwise = this.otherwise;
            SharedCounter flagKept = this.flagKept;
            SharedCounter flagLost = this.flagLost;
            SharedCounter ended = this.ended;
            SharedLatch never = new SharedLatch(1);
            return Task.generator(
                    (Integer start, Emitter<Integer> out) -> {
                        try {
                            for (int i = start; ; i++) {
                                boolean afterTheStop = stopped.isSet();
                                out.emit(i);
                                emitted.incrementAndGet();
                                if (afterTheStop) {
                                    returnedAfterTheStop.incrementAndGet();
                                }
                            }
                        } catch (CancellationException e) {
                            cancelled.incrementAndGet();
                            try {
                                if (!Tck.awaitInTask(never)) {
                                    flagLost.incrementAndGet();
                                }
                            } catch (InterruptedException interrupted) {
                                flagKept.incrementAndGet();
                            }
                            throw e;
                        } catch (RuntimeException | Error e) {
                            otherwise.incrementAndGet();
                            throw e;
                        } finally {
                            ended.set(1);
                        }
                    },
                    options);
        }

        void assertCancelledWithTheFlagKept() {
            assertTrue(ended.isSet(), "the producer has ended before the run's end reached the caller");
            assertEquals(0, otherwise.get(), "emit threw something else than a CancellationException");
            assertEquals(1, cancelled.get(), "emit threw a CancellationException");
            assertEquals(0, flagLost.get(), "the emit's wait lost the thread's interrupt flag");
            assertEquals(1, flagKept.get(), "the thread is interrupted after the emit threw");
        }

        /**
         * Emits called after the stop returned the room of the buffer at most, not for as long as the
         * generator went on. An executor that declares rule 2.6 has no bound on that room (its buffers
         * are its own), and this check is left out for it.
         */
        void assertNoEmitReturnedLongAfterTheStop(ExecutorVerification test) {
            if (unsupportedReason(test.executor().unsupportedRules(), "2.6") != null) {
                return;
            }
            long returned = returnedAfterTheStop.get();
            assertTrue(
                    returned <= RETURNS_AFTER_THE_STOP,
                    () -> "emit returned normally " + returned
                            + " times after the run had failed or was closed, with a throttle(1) buffer that nobody read:"
                            + " once the run is over it must throw CancellationException (rule 8.2)");
        }
    }

    // ---- 8.3 a join that returns early --------------------------------------------------------

    @RuleTest("8.3")
    void rule_8_3_aJoinThatReturnsEarlyEndsTheTasksBeforeItQuietly() {
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Long> p = ErrorsVerification.countsForever(producerEnded)
                .pipe(Task.task(Fixtures::addOne, workers(2)))
                .pipe(Task.join((Stream<Integer> in) -> in.limit(5).count()));
        assertEquals(
                List.of(5L),
                runWithin(p, 0, "a join that returns early ends the infinite producer before it"),
                "the run completes with the join's output, no error");
        assertTrue(producerEnded.isSet(), "the infinite producer has ended");
    }

    @RuleTest("8.3")
    void rule_8_3_theTasksAfterAJoinThatReturnsEarlyRunToTheirEnd() {
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = ErrorsVerification.countsForever(producerEnded)
                .pipe(Task.joinGenerator((Stream<Integer> in, Emitter<Integer> out) ->
                        in.limit(3).forEach(out::emit)))
                .pipe(Task.task(Fixtures::times2));
        try (PipelineRun<Integer> run = on(p).start(1)) {
            assertEquals(
                    List.of(2, 4, 6),
                    Tck.within(
                            "a join that returns early ends the infinite producer before it",
                            () -> run.outputs().toList()));
            assertTrue(producerEnded.isSet(), "the infinite producer has ended");
            for (TaskMetrics t : run.metrics().tasks().subList(1, 3)) {
                assertEquals(0, t.failed(), () -> "the join and the task after it did not fail: " + t);
            }
        }
    }

    // ---- 8.4 null outputs ---------------------------------------------------------------------

    @RuleTest("8.4")
    void rule_8_4_nullOutputsPassOnLikeAnyOtherValue() {
        assertEquals(
                Arrays.asList((Object) null),
                run(Task.task((Integer x) -> (Object) null), 1),
                "the last task's null reaches the caller");
        Pipeline<Integer, String> seen = Task.branch(Fixtures::range)
                .pipe(Task.task((Integer x) -> (Object) null))
                .pipe(Task.task(DecisionsVerification::describeNull));
        assertEquals(List.of("null", "null", "null"), run(seen, 3), "the next task is called with each null");
        Pipeline<Integer, Integer> ordered = Task.branch(Fixtures::range)
                .pipe(Task.task((Integer x) -> x % 2 == 0 ? null : x, workers(3), ordered()));
        List<Integer> expected =
                IntStream.range(0, 20).mapToObj(x -> x % 2 == 0 ? null : x).collect(Collectors.toList());
        assertEquals(expected, run(ordered, 20), "an ordered task with several workers keeps its nulls in place");
        Pipeline<Integer, Object> async = Task.branch(Fixtures::range)
                .pipe(Task.async((Integer x) -> CompletableFuture.completedFuture((Object) null), workers(2)));
        assertEquals(Arrays.asList(null, null), run(async, 2), "an async task's null result passes on");
    }

    @RuleTest("8.4")
    void rule_8_4_nullElementsOfABranchPassOn() {
        assertEquals(Arrays.asList(null, 1, null), run(Task.branch((Integer x) -> Arrays.asList(null, x, null)), 1));
        assertEquals(
                Arrays.asList(null, 4),
                run(
                        Task.generator((Integer x, Emitter<Integer> out) -> {
                            out.emit(null);
                            out.emit(x);
                        }),
                        4));
        Pipeline<Integer, Long> nullsSeenByAJoin = Task.branch((Integer x) -> Arrays.asList(null, x, null))
                .pipe(Task.join(
                        (Stream<Integer> in) -> in.filter(Objects::isNull).count()));
        assertEquals(List.of(2L), run(nullsSeenByAJoin, 1));
    }

    /** {@code "null"} for null, else {@code "value"}. */
    static String describeNull(Object x) {
        return x == null ? "null" : "value";
    }

    // ---- 8.5 run metrics ----------------------------------------------------------------------

    @RuleTest("8.5")
    void rule_8_5_countsAreExactForBranchesAndPlainTasks() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range, named("numbers"))
                .pipe(Task.branch((Integer x) -> List.of(x, x), named("twice"), workers(3)))
                .pipe(Task.task(Fixtures::addOne, named("plusOne"), workers(2)))
                .pipe(Task.task(Fixtures::times2));
        try (PipelineRun<Integer> run = on(p).start(500)) {
            assertEquals(1000, run.outputs().toList().size());
            RunMetrics m = run.metrics();
            assertTrue(m.finished(), "finished once the outputs have ended");
            assertEquals(
                    namesOf(p),
                    m.tasks().stream().map(TaskMetrics::name).toList(),
                    "one entry per task, in order, by name");
            assertEquals(List.of("numbers", "twice", "plusOne"), namesOf(p).subList(0, 3));
            assertCounts(m, 0, 1, 1, 500, 1);
            assertCounts(m, 1, 3, 500, 1000, 500);
            assertCounts(m, 2, 2, 1000, 1000, 1000);
            assertCounts(m, 3, 1, 1000, 1000, 1000);
            assertAllAtRest(m);
        }
    }

    @RuleTest("8.5")
    void rule_8_5_aJoinCountsTheItemsItReads() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.join(Fixtures::sum, workers(2)))
                .pipe(Task.joinGenerator(Fixtures::runningTotal));
        try (PipelineRun<Integer> run = on(p).start(100)) {
            List<Integer> totals = run.outputs().toList();
            assertEquals(2, totals.size());
            assertEquals(4950, totals.get(1), "the running total of both sums");
            RunMetrics m = run.metrics();
            assertTrue(m.finished());
            assertCounts(m, 0, 1, 1, 100, 1);
            assertCounts(m, 1, 2, 100, 2, 2);
            assertCounts(m, 2, 1, 2, 2, 1);
            assertAllAtRest(m);
        }
    }

    @RuleTest("8.5")
    void rule_8_5_orderedAndAsyncTasksAreCounted() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(Fixtures::addOne, workers(3), ordered()))
                .pipe(Task.async((Integer x) -> CompletableFuture.completedFuture(x * 2), workers(4)))
                .pipe(Task.asyncBranch(
                        (Integer x) -> CompletableFuture.completedFuture(List.of(x, -x)), workers(2), ordered()));
        try (PipelineRun<Integer> run = on(p).start(50)) {
            assertEquals(100, run.outputs().toList().size());
            RunMetrics m = run.metrics();
            assertTrue(m.finished());
            assertCounts(m, 0, 1, 1, 50, 1);
            assertCounts(m, 1, 3, 50, 50, 50);
            assertCounts(m, 2, 4, 50, 50, 50);
            assertCounts(m, 3, 2, 50, 100, 50);
            assertAllAtRest(m);
        }
    }

    @RuleTest("8.5")
    void rule_8_5_failedInvocationsAreCountedInARunThatFails() {
        SharedLatch producerDone = new SharedLatch(1);
        SharedLatch fail = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.generator(
                        (Integer n, Emitter<Integer> out) -> {
                            Fixtures.count(n, out);
                            producerDone.countDown();
                        },
                        named("source"))
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 3) {
                                Tck.awaitInTask(fail);
                                throw new ErrorsVerification.UserException("three");
                            }
                            return x;
                        },
                        named("picky")));
        try (PipelineRun<Integer> run = on(p).start(10)) {
            Tck.await(producerDone, "the producer to emit every output");
            Tck.eventually(
                    () -> run.metrics().tasks().get(0).invocations() == 1, "the producer's invocation to be counted");
            fail.countDown();
            PipelineException e =
                    assertThrows(PipelineException.class, () -> run.outputs().toList());
            assertMessage(e.getCause(), "three");
            RunMetrics m = run.metrics();
            assertTrue(m.finished(), "finished once the failure has reached the caller");
            TaskMetrics source = m.tasks().get(0);
            TaskMetrics picky = m.tasks().get(1);
            assertEquals(
                    List.of(1L, 10L, 1L, 0L),
                    List.of(source.itemsIn(), source.itemsOut(), source.invocations(), source.failed()),
                    () -> "source [in, out, invocations, failed]: " + source);
            assertEquals(
                    List.of(3L, 4L, 1L),
                    List.of(picky.itemsOut(), picky.invocations(), picky.failed()),
                    () -> "picky [out, invocations, failed]: " + picky);
            for (TaskMetrics t : m.tasks()) {
                assertEquals(0, t.busyWorkers(), () -> "no worker is busy after the run: " + t);
            }
        }
    }

    @RuleTest("8.5")
    void rule_8_5_aProducerEndedByTheRunsFailureHasNotFailed() {
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = ErrorsVerification.countsForever(producerEnded, named("source"))
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 3) {
                                throw new ErrorsVerification.UserException("three");
                            }
                            return x;
                        },
                        named("picky")));
        try (PipelineRun<Integer> run = on(p).start(0)) {
            PipelineException e = assertThrows(
                    PipelineException.class,
                    () -> Tck.within(
                            "a run that fails on its fourth input",
                            () -> run.outputs().toList()));
            assertMessage(e.getCause(), "three");
            Tck.eventually(producerEnded::isSet, "the infinite producer to end");
            Tck.eventually(() -> run.metrics().finished(), "the run's metrics to be final");
            TaskMetrics source = run.metrics().tasks().get(0);
            TaskMetrics picky = run.metrics().tasks().get(1);
            assertEquals(
                    List.of(1L, 0L),
                    List.of(source.invocations(), source.failed()),
                    () -> "the producer, whose emit the run's end refused, [invocations, failed]: " + source);
            assertEquals(1, picky.failed(), () -> "picky failed once: " + picky);
        }
    }

    @RuleTest("8.5")
    void rule_8_5_anOutputCountsOnceTheNextBufferHasItNotWhileItsEmitWaits() {
        Assumptions.assumeTrue(
                unsupportedReason(executor().unsupportedRules(), "2.6") == null,
                "needs throttle (rule 2.6), which the executor declares unsupported");
        SharedLatch never = new SharedLatch(1);
        SharedLatch nextTaskHolds = new SharedLatch(1);
        SharedCounter waitsInItsThirdEmit = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.generator(
                        (Integer n, Emitter<Integer> out) -> {
                            for (int i = 0; i < n; i++) {
                                if (i == 2) {
                                    EmitWait.watch(Thread.currentThread(), waitsInItsThirdEmit);
                                }
                                out.emit(i);
                            }
                        },
                        throttle(1),
                        named("producer"))
                .pipe(Task.task(
                        (Integer x) -> {
                            nextTaskHolds.countDown();
                            Tck.awaitInTask(never); // ended by the close's interrupt
                            return x;
                        },
                        named("held")));
        try (PipelineRun<Integer> run = on(p).start(3)) {
            Tck.await(nextTaskHolds, "the next task to hold the first output");
            Tck.eventually(waitsInItsThirdEmit::isSet, "the producer to wait in its third emit, for room");
            Tck.eventually(
                    () -> run.metrics().tasks().get(0).buffered() == 1, "the second output to wait in the buffer");
            TaskMetrics producer = run.metrics().tasks().get(0);
            TaskMetrics held = run.metrics().tasks().get(1);
            assertEquals(
                    List.of(2L, 1L, 1L),
                    List.of(producer.itemsOut(), (long) producer.buffered(), held.itemsIn()),
                    () ->
                            "[the producer's items out and buffered, the next task's items in] while the third emit waits for room"
                                    + " (an output counts once the next buffer has it): " + producer + "; " + held);
        }
    }

    /** Tells, from the generator's own JVM, when the generator's thread waits inside an emit. */
    private static final class EmitWait {
        private EmitWait() {}

        /**
         * Sets {@code waits} once {@code generator} waits, parked or in a native read (an emit in a
         * worker JVM that waits for its parent's answer), within the kit's timeout; a thread of the
         * kit watches.
         */
        static void watch(Thread generator, SharedCounter waits) {
            long until = System.nanoTime() + Tck.timeout().toNanos();
            Thread.ofPlatform()
                    .daemon(true)
                    .name(LeakCensus.KIT_THREAD_PREFIX + "emit-wait")
                    .start(() -> {
                        while (generator.isAlive() && System.nanoTime() - until < 0) {
                            Thread.State state = generator.getState();
                            if (state == Thread.State.WAITING
                                    || state == Thread.State.TIMED_WAITING
                                    || readsNatively(generator)) {
                                waits.set(1);
                                return;
                            }
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                        }
                    });
        }

        /** Whether the thread waits in native I/O (a read, a poll) on a pipe or socket, which shows as RUNNABLE. */
        private static boolean readsNatively(Thread thread) {
            StackTraceElement[] stack = thread.getStackTrace();
            if (stack.length == 0 || !stack[0].isNativeMethod()) {
                return false;
            }
            String type = stack[0].getClassName();
            return type.startsWith("sun.nio.ch.")
                    || type.startsWith("java.io.")
                    || type.startsWith("java.net.")
                    || type.startsWith("sun.net.");
        }
    }

    @RuleTest("8.5")
    void rule_8_5_metricsWhileTheRunGoesAndFinishedAtItsEnd() {
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.task(
                        (Integer x) -> {
                            Tck.awaitInTask(release);
                            return x;
                        },
                        named("held"))
                .pipe(Task.task(Fixtures::addOne, named("after")));
        try (PipelineRun<Integer> run = on(p).start(1)) {
            Tck.eventually(
                    () -> run.metrics().tasks().get(0).busyWorkers() == 1, "the held producer to be counted busy");
            RunMetrics during = run.metrics();
            assertFalse(during.finished(), "not finished while a worker runs");
            assertEquals(
                    List.of("held", "after"),
                    during.tasks().stream().map(TaskMetrics::name).toList());
            release.countDown();
            assertEquals(List.of(2), run.outputs().toList());
            RunMetrics after = run.metrics();
            assertTrue(after.finished());
            assertFalse(after.elapsed().isNegative());
            assertCounts(after, 0, 1, 1, 1, 1);
            assertCounts(after, 1, 1, 1, 1, 1);
            assertAllAtRest(after);
        }
    }

    /** The names of a pipeline's tasks, as its plan has them (rule 1.7). */
    private static List<String> namesOf(Pipeline<?, ?> p) {
        return Tck.planOf(p).tasks().stream().map(TaskSpec::name).toList();
    }

    /** Checks task {@code i}'s workers, items in and out, and invocations, exactly. */
    private static void assertCounts(RunMetrics m, int i, int workers, long in, long out, long invocations) {
        TaskMetrics t = m.tasks().get(i);
        assertEquals(
                List.of((long) workers, in, out, invocations),
                List.of((long) t.workers(), t.itemsIn(), t.itemsOut(), t.invocations()),
                () -> "task " + i + " [workers, items in, items out, invocations]: " + t);
    }

    /** After a run that succeeded: nothing failed, nothing busy, nothing left in a buffer. */
    private static void assertAllAtRest(RunMetrics m) {
        for (TaskMetrics t : m.tasks()) {
            assertEquals(
                    List.of(0L, 0L, 0L),
                    List.of(t.failed(), (long) t.busyWorkers(), (long) t.buffered()),
                    () -> "[failed, busy, buffered] at the end: " + t);
        }
    }

    // ---- 8.6 log lines ------------------------------------------------------------------------

    @RuleTest("8.6")
    void rule_8_6_aRunLogsItsStartAndItsEndWithTotalsAtDebug() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range, named("logNumbers"))
                .pipe(Task.branch((Integer x) -> List.of(x, x), named("logTwice")));
        try (LogCapture log = capture()) {
            try (PipelineRun<Integer> run = on(p).start(7)) {
                assertEquals(14, run.outputs().toList().size());
            }
            int start = awaitLine(
                    log, 0, "DEBUG", "a DEBUG line naming both tasks (the run's start)", "logNumbers", "logTwice");
            awaitLine(
                    log,
                    start + 1,
                    "DEBUG",
                    "a later DEBUG line (the run's end) with each task's totals: name, items in, items out",
                    "logNumbers",
                    "1",
                    "7",
                    "logTwice",
                    "7",
                    "14");
        }
    }

    @RuleTest("8.6")
    void rule_8_6_aFailureIsOneWarnLineNamingTheTaskTheInputAndTheException() {
        String longInput = "x".repeat(10_000);
        ErrorsVerification.UserException boom = new ErrorsVerification.UserException("no long lines");
        Pipeline<Integer, String> p = Task.branch((Integer n) -> List.of("short", longInput), named("logInputs"))
                .pipe(Task.task(
                        (String s) -> {
                            if (s.length() > 100) {
                                throw boom;
                            }
                            return s;
                        },
                        named("logPicky")));
        try (LogCapture log = capture()) {
            assertThrows(PipelineException.class, () -> run(p, 0));
            awaitLine(log, 0, "WARN", "a WARN line naming the task", "logPicky");
            List<LogCapture.Line> warnings = log.lines().stream()
                    .filter(l -> l.level().equals("WARN") && l.text().contains("logPicky"))
                    .toList();
            assertEquals(1, warnings.size(), () -> "one WARN line for the failure: " + warnings);
            LogCapture.Line warning = warnings.get(0);
            String text = warning.text();
            assertTrue(
                    text.contains(Abbreviation.of(longInput)),
                    () -> "the input, abbreviated as Abbreviation.of does: " + text);
            assertTrue(
                    text.contains(boom.getClass().getSimpleName()) && text.contains(boom.getMessage()),
                    () -> "the exception: " + text);
            assertFalse(text.contains("\n"), () -> "one line: " + text);
            assertFalse(warning.hasThrowable(), "the stack trace goes to DEBUG, not to the warning");
            // the DEBUG line may come a moment after the WARN line, from another thread of the executor
            Tck.eventually(
                    () -> log.lines().stream()
                            .anyMatch(l -> l.level().equals("DEBUG")
                                    && l.hasThrowable()
                                    && l.text().contains("logPicky")),
                    "the failure's stack trace at DEBUG, naming the task");
        }
    }

    /**
     * Captures the lines of the loggers {@code dev.pyper} and the executor's package, or skips the
     * test where Logback is not the SLF4J backend.
     */
    private LogCapture capture() {
        String backend = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
        Assumptions.assumeTrue(
                LogCapture.LOGBACK.equals(backend),
                () -> "rule 8.6's tests read the log through Logback, but" + " the SLF4J backend on this class path is "
                        + backend);
        List<String> names = new ArrayList<>(List.of("dev.pyper"));
        String own = executor().getClass().getPackageName();
        if (!own.isEmpty() && !own.equals("dev.pyper") && !own.startsWith("dev.pyper.")) {
            names.add(own);
        }
        return LogCapture.of(names);
    }

    /** Waits for a line as {@link #indexOf} finds it, bounded, and returns its index; the failure shows every line. */
    private static int awaitLine(LogCapture log, int from, String level, String what, String... parts) {
        int[] found = {-1};
        try {
            Tck.eventually(() -> (found[0] = indexOf(log.lines(), from, level, parts)) >= 0, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the lines logged: " + log.lines(), e);
        }
        return found[0];
    }

    /**
     * The index of the first line from {@code from} on at {@code level} whose text shows
     * {@code parts} in this order: names as they are, numbers as whole numbers; -1 if none.
     */
    private static int indexOf(List<LogCapture.Line> lines, int from, String level, String... parts) {
        Pattern inOrder = Pattern.compile(
                Arrays.stream(parts)
                        .map(part -> part.chars().allMatch(Character::isDigit)
                                ? "(?<!\\d)" + part + "(?!\\d)"
                                : Pattern.quote(part))
                        .collect(Collectors.joining(".*?")),
                Pattern.DOTALL);
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            LogCapture.Line line = lines.get(i);
            if (line.level().equals(level) && inOrder.matcher(line.text()).find()) {
                return i;
            }
        }
        return -1;
    }

    // ---- 8.7 closing under a waiting caller ---------------------------------------------------

    @RuleTest("8.7")
    void rule_8_7_closingTheStreamFromAnotherThreadFailsTheBlockedPull() {
        SharedLatch taskBlocked = new SharedLatch(1);
        Stream<Integer> outputs = on(blockedUntilInterrupted(taskBlocked)).stream(1);
        try {
            Puller puller = new Puller(outputs);
            Tck.await(taskBlocked, "the task to block");
            puller.awaitBlocked();
            outputs.close();
            Throwable thrown = puller.result();
            assertInstanceOf(
                    PipelineException.class, thrown, () -> "the blocked pull ends with a PipelineException: " + thrown);
        } finally {
            outputs.close();
        }
    }

    @RuleTest("8.7")
    void rule_8_7_closingTheExecutorEndsItsRunsAndRefusesNewOnes() {
        SharedLatch tasksBlocked = new SharedLatch(2);
        Pipeline<Integer, Integer> p = on(blockedUntilInterrupted(tasksBlocked));
        Stream<Integer> pulled = p.stream(1);
        Stream<Integer> idle = p.stream(2);
        try {
            Puller puller = new Puller(pulled);
            Tck.await(tasksBlocked, "both runs' tasks to block");
            puller.awaitBlocked();
            executor().close();
            Throwable thrown = puller.result();
            assertInstanceOf(
                    PipelineException.class, thrown, () -> "the blocked pull ends with a PipelineException: " + thrown);
            assertMessage(thrown, "executor was closed");
            PipelineException next = assertThrows(
                    PipelineException.class,
                    () -> idle.toList(),
                    "a run that was not being read fails at its next pull too, never a silently short stream");
            assertMessage(next, "executor was closed");
            assertThrows(IllegalStateException.class, () -> p.stream(3).close(), "a closed executor refuses new runs");
            assertThrows(IllegalStateException.class, () -> p.start(3).close(), "a closed executor refuses new runs");
        } finally {
            pulled.close();
            idle.close();
        }
    }

    /** A one-task pipeline whose invocation counts {@code blocked} down, then waits until it is interrupted. */
    private static Pipeline<Integer, Integer> blockedUntilInterrupted(SharedLatch blocked) {
        SharedLatch never = new SharedLatch(1);
        return Task.task((Integer x) -> {
            blocked.countDown();
            Tck.awaitInTask(never);
            return x;
        });
    }

    /** A thread of the kit that pulls one output of a stream and keeps how the pull ended. */
    private static final class Puller {
        private final AtomicReference<Throwable> outcome = new AtomicReference<>();
        private final Thread thread;

        @SuppressWarnings("ReturnValueIgnored") // hasNext is called for its wait, not its value
        Puller(Stream<Integer> outputs) {
            Iterator<Integer> it = outputs.iterator();
            thread = Thread.ofPlatform()
                    .name(LeakCensus.KIT_THREAD_PREFIX + "puller")
                    .start(() -> {
                        try {
                            it.hasNext();
                            outcome.set(new AssertionError("the pull returned instead of throwing"));
                        } catch (Throwable t) {
                            outcome.set(t);
                        }
                    });
        }

        /** Waits until the thread waits inside its pull. */
        void awaitBlocked() {
            Tck.eventually(
                    () -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING,
                    "the pulling thread to wait for an output");
        }

        /** Waits for the pull to end, bounded, and returns what it threw. */
        Throwable result() {
            try {
                thread.join(Tck.timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the pulling thread", e);
            }
            assertFalse(thread.isAlive(), "the blocked pull was released within " + Tck.timeout());
            return outcome.get();
        }
    }
}
