package dev.pyper.tck;

import static dev.pyper.Task.named;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static dev.pyper.tck.ConstructionVerification.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Section 2 of the specification: running pipelines.
 */
public abstract class RunningVerification extends ExecutorVerification {

    /** For subclasses. */
    protected RunningVerification() {}

    @RuleTest("2.1")
    void rule_2_1_theFirstOutputArrivesWhileTheProducerStillRuns() {
        SharedLatch firstSeen = new SharedLatch(1);
        SharedCounter producerWaitedInVain = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.generator((Integer n, Emitter<Integer> out) -> {
                    out.emit(1);
                    if (!Tck.awaitInTask(firstSeen)) {
                        producerWaitedInVain.incrementAndGet();
                    }
                    out.emit(2);
                })
                .pipe(Task.task(Fixtures::times2));
        try (Stream<Integer> outputs = on(p).stream(0)) {
            Iterator<Integer> it = outputs.iterator();
            assertEquals(2, it.next());
            firstSeen.countDown();
            assertEquals(4, it.next());
            assertTrue(!it.hasNext());
        }
        assertEquals(0, producerWaitedInVain.get(), "the first output must reach the caller before the producer ends");
    }

    @RuleTest("2.1")
    void rule_2_1_anInfiniteProducerWorks() {
        try (Stream<Integer> outputs =
                on(Task.generator(Fixtures::countForever).pipe(Task.task(Fixtures::addOne))).stream(0)) {
            assertEquals(List.of(1, 2, 3, 4, 5), outputs.limit(5).toList());
        }
    }

    @RuleTest("2.2")
    void rule_2_2_aPlainTaskPassesItsReturnValueOnWhateverItsType() {
        assertEquals(List.of(List.of(1, 2, 3)), run(Task.task(Fixtures::createData), 0));
        List<Object> nulls = run(Task.branch(Fixtures::range).pipe(Task.task((Integer x) -> (Object) null)), 3);
        assertEquals(3, nulls.size());
        nulls.forEach(o -> assertNull(o));
    }

    @RuleTest("2.2")
    void rule_2_2_anOutputThatCannotBeSerializedPassesOnWhereTheFunctionsRunInTheCallersJvm() {
        // where a task's function runs in another JVM, its inputs and outputs cross by serialization (rule 6.3):
        // each pipeline below is checked where each of its tasks runs in the caller's JVM, as a probe of its shape
        // shows
        long caller = ProcessHandle.current().pid();
        List<Long> chain = run(
                        Task.task(RunningVerification::myPid)
                                .pipe(Task.task(RunningVerification::andMyPid))
                                .pipe(Task.task(RunningVerification::andMyPid)),
                        0)
                .get(0);
        long sole = run(Task.task(Fixtures::pid), 0).get(0);
        boolean chainHere = chain.stream().allMatch(pid -> pid == caller);
        Assumptions.assumeTrue(
                chainHere || sole == caller,
                () -> "rule 2.2: the functions run in other JVMs (processes " + chain + " and " + sole
                        + "; the caller is " + caller + "), where outputs must be serializable (rule 6.3)");
        if (chainHere) {
            assertEquals(
                    List.of(0, 1, 2),
                    run(
                            Task.branch(Fixtures::range)
                                    .pipe(Task.task(Opaque::new))
                                    .pipe(Task.task(Opaque::value)),
                            3),
                    "a task passes its opaque output on to the next");
        }
        if (sole == caller) {
            List<Opaque> last = run(Task.task(Opaque::new), 7);
            assertEquals(1, last.size());
            assertEquals(7, last.get(0).value(), "the last task's opaque output reaches the caller");
        }
    }

    /** An output that Java serialization refuses: a record that is not {@code Serializable}. */
    record Opaque(int value) {}

    /** The process id of the JVM that calls it, in a list. */
    static List<Long> myPid(Object ignored) {
        return List.of(ProcessHandle.current().pid());
    }

    /** {@code before} and the process id of the JVM that calls it. */
    static List<Long> andMyPid(List<Long> before) {
        List<Long> pids = new java.util.ArrayList<>(before);
        pids.add(ProcessHandle.current().pid());
        return List.copyOf(pids);
    }

    @RuleTest("2.3")
    void rule_2_3_aBranchTaskPassesOnEachElementOfItsResult() {
        assertEquals(List.of(1, 2, 3), run(Task.branch(Fixtures::createData), 0));
        assertEquals(List.of(0, 1, 2), run(Task.generator(Fixtures::count), 3));
        assertEquals(List.of(), run(Task.branch(Fixtures::range), 0));
    }

    @RuleTest("2.3")
    void rule_2_3_eachElementIsPassedOnAsSoonAsItIsProduced() {
        SharedLatch firstSeen = new SharedLatch(1);
        SharedCounter iteratorWaitedInVain = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.branch((Integer x) -> zeroThenOneOnceOpen(firstSeen, iteratorWaitedInVain)));
        try (Stream<Integer> outputs = on(p).stream(1)) {
            Iterator<Integer> it = outputs.iterator();
            assertEquals(0, it.next());
            firstSeen.countDown();
            assertEquals(1, it.next());
        }
        assertEquals(0, iteratorWaitedInVain.get(), "element 0 must be passed on before element 1 is produced");
    }

    @RuleTest("2.3")
    void rule_2_3_aBranchReturningNullFailsNamingTheTask() {
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.branch((Integer x) -> (List<Integer>) null, named("nullBranch"))),
                        2));
        assertMessage(e, "nullBranch");
        assertMessage(e.getCause(), "null");
    }

    @RuleTest("2.3")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void rule_2_3_aBranchReturningANonIterableFailsNamingTheTask() {
        Pipeline notIterable = Task.branch((Integer x) -> (Iterable) (Object) "not a list", named("stringBranch"));
        PipelineException e = assertThrows(
                PipelineException.class, () -> run(Task.branch(Fixtures::range).pipe(notIterable), 2));
        assertMessage(e, "stringBranch");
    }

    @RuleTest("2.4")
    void rule_2_4_aJoinIsCalledOnceWithTheStreamOfOutputs() {
        assertEquals(
                List.of(1, 3, 6),
                run(Task.branch(Fixtures::createData).pipe(Task.joinGenerator(Fixtures::runningTotal)), 0));
        assertEquals(List.of(4950), run(Task.branch(Fixtures::range).pipe(Task.join(Fixtures::sum)), 100));
    }

    @RuleTest("2.4")
    void rule_2_4_severalJoinWorkersShareTheStreamEachOutputGoingToOne() {
        SharedCounter calls = new SharedCounter();
        SharedBarrier allCalled = new SharedBarrier(3);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.join(
                        (Stream<Integer> in) -> {
                            calls.incrementAndGet();
                            Tck.awaitInTask(allCalled); // three calls at the same time, one per worker
                            return in.mapToInt(Integer::intValue).sum();
                        },
                        workers(3)));
        List<Integer> sums = run(p, 1000);
        assertEquals(3, calls.get());
        assertEquals(3, sums.size());
        assertEquals(
                499_500, sums.stream().mapToInt(Integer::intValue).sum(), "every input went to exactly one worker");
    }

    @RuleTest("2.5")
    void rule_2_5_nWorkersRunNInvocationsAtTheSameTime() {
        int n = 8;
        SharedBarrier allInFlight = new SharedBarrier(n);
        List<Integer> out = run(
                Task.branch(Fixtures::range)
                        .pipe(Task.task(
                                (Integer x) -> {
                                    Tck.awaitInTask(allInFlight); // passes only when n invocations run at once
                                    return x;
                                },
                                workers(n))),
                n * 3);
        assertEquals(Fixtures.range(n * 3), sorted(out));
    }

    @RuleTest("2.5")
    void rule_2_5_aWorkerLeftIdleDoesNotHoldBackTheInputsBehindIt() {
        int n = 8;
        SharedLatch firstDone = new SharedLatch(1);
        SharedBarrier allInFlight = new SharedBarrier(n);
        // input 0 ends at once, so its worker is idle (or about to be) when the n others arrive in a burst:
        // all n must still run at once, which takes n workers, not the one that is idle
        List<Integer> out = run(
                Task.generator((Integer count, Emitter<Integer> emit) -> {
                            emit.emit(0);
                            if (!Tck.awaitInTask(firstDone)) {
                                throw new IllegalStateException("input 0 was not called");
                            }
                            for (int i = 1; i <= count; i++) {
                                emit.emit(i);
                            }
                        })
                        .pipe(Task.task(
                                (Integer x) -> {
                                    if (x == 0) {
                                        firstDone.countDown();
                                    } else {
                                        Tck.awaitInTask(allInFlight); // passes only when inputs 1 … n run at once
                                    }
                                    return x;
                                },
                                workers(n))),
                n);
        assertEquals(Fixtures.range(n + 1), sorted(out));
    }

    @RuleTest("2.5")
    @SuppressWarnings("ThreadPriorityCheck") // the yield lets other workers overlap; nothing relies on it
    void rule_2_5_noMoreThanNInvocationsRunAtTheSameTime() {
        SharedCounter running = new SharedCounter();
        SharedCounter most = new SharedCounter();
        run(
                Task.branch(Fixtures::range)
                        .pipe(Task.task(
                                (Integer x) -> {
                                    most.max(running.incrementAndGet());
                                    Thread.yield();
                                    running.decrementAndGet();
                                    return x;
                                },
                                workers(3))),
                3000);
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
    }

    @RuleTest("2.6")
    void rule_2_6_throttlePausesTheProducerWhenTheNextTaskIsBlocked() {
        int throttle = 3;
        int nextWorkers = 2;
        // t outputs in the buffer, one in the hand of each of the next task's workers, and one in the
        // producer's hand, blocked in its emit: t + workers + 1 emits begun, t + workers returned
        int bound = throttle + nextWorkers + 1;
        SharedCounter begun = new SharedCounter();
        SharedCounter emitted = new SharedCounter();
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p =
                countingProducer(begun, emitted, throttle(throttle)).pipe(blockedUntil(release, workers(nextWorkers)));
        try (Stream<Integer> outputs = on(p).stream(1000)) {
            Iterator<Integer> it = outputs.iterator();
            Tck.eventually(
                    () -> begun.get() >= bound, "the producer has begun emit number " + bound + ", which must block");
            Tck.never(
                    () -> emitted.get() > bound - 1 || begun.get() > bound,
                    () -> "the producer ran past throttle + workers + 1 = " + bound + " outputs: emit number "
                            + begun.get() + " begun, " + emitted.get() + " returned");
            release.countDown();
            int count = 0;
            while (it.hasNext()) {
                it.next();
                count++;
            }
            assertEquals(1000, count);
        }
    }

    @RuleTest("2.6")
    void rule_2_6_throttleZeroIsUnbounded() {
        SharedCounter emitted = new SharedCounter();
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p = countingProducer(emitted).pipe(blockedUntil(release));
        try (Stream<Integer> outputs = on(p).stream(5000)) {
            Iterator<Integer> it = outputs.iterator();
            Tck.eventually(
                    () -> emitted.get() == 5000,
                    "an unthrottled producer runs to its end while the next task is blocked");
            release.countDown();
            assertEquals(0, it.next());
        }
    }

    @RuleTest("2.7")
    void rule_2_7_toListAndForEachCloseTheRun() {
        Pipeline<Integer, Integer> p = on(Task.branch(Fixtures::range).pipe(Task.task(x -> x + 1)));
        assertEquals(List.of(1, 2, 3), p.toList(3));
        List<Integer> seen = new java.util.ArrayList<>();
        p.forEach(3, seen::add);
        assertEquals(List.of(1, 2, 3), seen);
        Pipeline<Integer, Integer> infinite = on(Task.generator(Fixtures::countForever));
        IllegalStateException stop = new IllegalStateException("enough");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> infinite.forEach(0, x -> {
                    if (x == 2) {
                        throw stop;
                    }
                }));
        assertTrue(thrown == stop, "the action's exception passes unchanged");
        // the infinite run was closed by forEach: the leak check after this test shows it
    }

    @RuleTest("2.7")
    void rule_2_7_consumeAppliesTheConsumerAndClosesTheRun() {
        Pipeline<Integer, Integer> p = on(Task.branch(Fixtures::range).pipe(Task.task(Fixtures::addOne)));
        assertEquals(List.of(1, 2, 3), p.consume(Stream::toList).apply(3));
        Pipeline<Integer, Integer> infinite = on(Task.generator(Fixtures::countForever));
        assertEquals(
                List.of(0, 1),
                infinite.consume((Stream<Integer> s) -> s.limit(2).toList()).apply(0));
        // the infinite run was closed by consume: the leak check after this test shows it
    }

    @RuleTest("2.8")
    void rule_2_8_theExecutorIsFoundByNameAndBoundWithOn() {
        String name = executor().name();
        assertTrue(
                PipelineExecutor.available().contains(name),
                "executor '" + name + "' should be registered for ServiceLoader; found "
                        + PipelineExecutor.available());
        try (PipelineExecutor fresh = PipelineExecutor.create(name)) {
            assertEquals(name, fresh.name());
            assertEquals(
                    List.of(3),
                    Task.branch(Fixtures::range)
                            .pipe(Task.task(Fixtures::times2))
                            .pipe(Task.task(Fixtures::addOne))
                            .on(fresh)
                            .consume(s -> s.skip(1).toList())
                            .apply(2));
        }
        CountingExecutor counting = new CountingExecutor(executor());
        assertEquals(
                List.of(1),
                Task.task(Fixtures::addOne).on(counting).consume(Stream::toList).apply(0));
        assertEquals(1, counting.starts.get(), "Pipeline.on(executor) runs on that executor");
        assertEquals(
                List.of(2),
                Task.task(Fixtures::addOne)
                        .pipe(Task.task(Fixtures::addOne).on(counting))
                        .toList(0),
                "a pipeline piped to a bound one runs on that executor");
        assertEquals(2, counting.starts.get(), "pipe keeps the executor of whichever side is bound");
        CountingExecutor other = new CountingExecutor(executor());
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Task.task(Fixtures::addOne)
                                .on(counting)
                                .pipe(Task.task(Fixtures::addOne).on(other))),
                "pipe",
                "executor");
    }

    @RuleTest("2.9")
    void rule_2_9_everyTaskGetsAllOfItsWorkers() {
        int wide = 40;
        SharedBarrier first = new SharedBarrier(wide);
        SharedBarrier second = new SharedBarrier(wide);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.generator(
                        (Integer x, Emitter<Integer> out) -> {
                            out.emit(x); // pass on first, so that the next task fills up while this one waits
                            Tck.awaitInTask(first);
                        },
                        workers(wide)))
                .pipe(Task.task(
                        (Integer x) -> {
                            Tck.awaitInTask(second);
                            return x;
                        },
                        workers(wide)));
        assertEquals(Fixtures.range(wide), sorted(run(p, wide)));
    }

    @RuleTest("2.9")
    void rule_2_9_manyWorkersWithThrottleOneNeverDeadlock() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range, throttle(1));
        for (int i = 0; i < 4; i++) {
            p = p.pipe(Task.task(Fixtures::addOne, workers(64), throttle(1)));
        }
        List<Integer> out = run(p, 2000);
        assertEquals(IntStream.range(4, 2004).boxed().toList(), sorted(out));
    }

    @RuleTest("2.5")
    @SuppressWarnings("BooleanLiteral") // Boolean.FALSE: the value must be false, not null
    void rule_2_5_workersIdleWhenTheirInputEndsAllSeeTheEnd() {
        int n = 8;
        SharedLatch firstDone = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.generator((Integer x, Emitter<Integer> out) -> {
                    out.emit(0);
                    Tck.awaitInTask(firstDone);
                    OrderingVerification.pause(
                            Tck.quietPeriod()); // the other n - 1 workers wait on the empty input; then it ends
                })
                .pipe(Task.task(
                        (Integer x) -> {
                            firstDone.countDown();
                            return x;
                        },
                        workers(n)));
        try (Stream<Integer> outputs = on(p).stream(0)) {
            Iterator<Integer> it = outputs.iterator();
            assertEquals(0, it.next());
            java.util.concurrent.atomic.AtomicReference<Object> end =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread puller = Thread.ofPlatform()
                    .name(LeakCensus.KIT_THREAD_PREFIX + "end-puller")
                    .start(() -> {
                        try {
                            end.set(it.hasNext());
                        } catch (RuntimeException e) {
                            end.set(e);
                        }
                    });
            boolean ended = joined(puller);
            if (!ended) {
                outputs.close(); // releases the puller
                joined(puller);
            }
            assertTrue(
                    ended,
                    "the run did not end within " + Tck.timeout() + " of the end of its input, with " + (n - 1)
                            + " workers idle on it when it ended (a lost wake-up?)");
            assertEquals(Boolean.FALSE, end.get(), "the end of the outputs");
        }
    }

    /** Waits up to {@link Tck#timeout()} for a kit thread; whether it has ended. */
    private static boolean joined(Thread thread) {
        try {
            thread.join(Tck.timeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Iterates 0, then 1 once {@code open} has opened (counting a wait in vain): made in a static method, so it captures no test. */
    private static Iterable<Integer> zeroThenOneOnceOpen(SharedLatch open, SharedCounter waitedInVain) {
        return () -> new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < 2;
            }

            @Override
            public Integer next() {
                if (next == 1) {
                    try {
                        if (!Tck.awaitInTask(open)) {
                            waitedInVain.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return next++;
            }
        };
    }

    /** A producer of {@code 0 … n-1} that counts each output once the next task's buffer has taken it. */
    private static Pipeline<Integer, Integer> countingProducer(SharedCounter emitted, Option... options) {
        return countingProducer(new SharedCounter(), emitted, options);
    }

    /** A producer of {@code 0 … n-1} that counts each emit as it begins, and again once the next task's buffer has taken it. */
    private static Pipeline<Integer, Integer> countingProducer(
            SharedCounter begun, SharedCounter emitted, Option... options) {
        return Task.generator(
                (Integer n, Emitter<Integer> out) -> {
                    for (int i = 0; i < n; i++) {
                        begun.incrementAndGet();
                        out.emit(i);
                        emitted.incrementAndGet();
                    }
                },
                options);
    }

    /** A task that passes its input on once {@code release} opens. */
    private static Pipeline<Integer, Integer> blockedUntil(SharedLatch release, Option... options) {
        return Task.task(
                (Integer x) -> {
                    Tck.awaitInTask(release);
                    return x;
                },
                options);
    }

    /** Delegates to another executor and counts the runs it starts. */
    private static final class CountingExecutor implements PipelineExecutor {
        final AtomicInteger starts = new AtomicInteger();
        private final PipelineExecutor delegate;

        CountingExecutor(PipelineExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return "counting-" + delegate.name();
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            starts.incrementAndGet();
            return delegate.start(plan, input);
        }

        @Override
        public Map<String, String> unsupportedRules() {
            return delegate.unsupportedRules();
        }

        @Override
        public void close() {
            // the delegate belongs to the test
        }
    }
}
