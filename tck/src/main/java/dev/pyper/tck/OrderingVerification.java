package dev.pyper.tck;

import static dev.pyper.Task.ordered;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static dev.pyper.tck.ConstructionVerification.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.Task;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Section 3 of the specification: the order of outputs.
 */
public abstract class OrderingVerification extends ExecutorVerification {

    private static final int N = 2000;

    /** For subclasses. */
    protected OrderingVerification() {}

    @RuleTest("3.1")
    void rule_3_1_oneWorkerEverywhereKeepsTheOrderOfProduction() {
        Pipeline<Integer, Integer> p = Task.generator(Fixtures::count)
                .pipe(Task.task(Fixtures::addOne))
                .pipe(Task.branch((Integer x) -> List.of(x, -x)))
                .pipe(Task.joinGenerator((Stream<Integer> in, Emitter<Integer> out) -> in.forEach(out::emit)))
                .pipe(Task.task(Fixtures::times2, throttle(2)));
        List<Integer> expected = IntStream.range(1, N + 1)
                .boxed()
                .flatMap(x -> Stream.of(2 * x, -2 * x))
                .toList();
        assertEquals(expected, run(p, N));
    }

    @RuleTest("3.2")
    void rule_3_2_severalWorkersGiveTheSameMultiset() {
        Pipeline<Integer, Integer> p = Task.generator(Fixtures::count)
                .pipe(Task.task(Fixtures::addOne, workers(4)))
                .pipe(Task.branch((Integer x) -> List.of(x, x), workers(3), throttle(5)));
        List<Integer> expected =
                IntStream.range(1, N + 1).boxed().flatMap(x -> Stream.of(x, x)).toList();
        assertEquals(expected, sorted(run(p, N)));
    }

    @RuleTest("3.3")
    void rule_3_3_orderedKeepsTheInputOrderWhileWorkersRunConcurrently() {
        int workers = 4;
        SharedLatch laterOnesDone = new SharedLatch(workers - 1);
        SharedCounter waitedInVain = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.generator(Fixtures::count)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 0) {
                                if (!Tck.awaitInTask(
                                        laterOnesDone)) { // input 0 finishes after inputs 1..3: they ran concurrently
                                    waitedInVain.incrementAndGet();
                                }
                            } else if (x < workers) {
                                laterOnesDone.countDown();
                            }
                            return x * 10;
                        },
                        workers(workers),
                        ordered()));
        assertEquals(IntStream.range(0, 200).map(x -> x * 10).boxed().toList(), run(p, 200));
        assertEquals(0, waitedInVain.get(), "inputs 1.." + (workers - 1) + " must run while input 0 is running");
    }

    @RuleTest("3.3")
    @SuppressWarnings("ThreadPriorityCheck") // the yields vary the workers' pace; nothing relies on them
    void rule_3_3_allOutputsOfOneInputPrecedeThoseOfTheNext() {
        Pipeline<Integer, Integer> p = Task.generator(Fixtures::count)
                .pipe(Task.generator(
                        (Integer x, Emitter<Integer> out) -> {
                            for (int i = 0; i < x % 4; i++) {
                                if ((x + i) % 7 == 0) {
                                    Thread.yield(); // vary the pace, so that workers finish out of order
                                }
                                out.emit(x * 10 + i);
                            }
                        },
                        workers(5),
                        ordered(),
                        throttle(3)));
        List<Integer> expected = IntStream.range(0, 500)
                .boxed()
                .flatMap(x -> IntStream.range(0, x % 4).mapToObj(i -> x * 10 + i))
                .toList();
        assertEquals(expected, run(p, 500));
    }

    @RuleTest("3.3")
    void rule_3_3_theReorderWindowHoldsAtMostWorkersInputs() {
        int workers = 3;
        SharedLatch releaseFirst = new SharedLatch(1);
        SharedCounter started = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.generator(Fixtures::count)
                .pipe(Task.task(
                        (Integer x) -> {
                            started.incrementAndGet();
                            if (x == 0) {
                                Tck.awaitInTask(releaseFirst);
                            }
                            return x;
                        },
                        workers(workers),
                        ordered()));
        try (Stream<Integer> outputs = on(p).stream(100)) {
            var it = outputs.iterator();
            Tck.eventually(() -> started.get() >= workers, workers + " inputs started while input 0 is slow");
            Tck.never(
                    () -> started.get() > workers,
                    "more than " + workers + " inputs in flight or held behind the slow input 0: " + started.get());
            releaseFirst.countDown();
            for (int i = 0; i < 100; i++) {
                assertEquals(i, it.next());
            }
        }
    }

    @RuleTest("3.3")
    void rule_3_3_theLastInputsKeepTheirOrderAfterTheInputHasEnded() {
        int workers = 3;
        int n = 10;
        SharedLatch inputEnded = new SharedLatch(1);
        SharedLatch lastDone = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.generator((Integer count, Emitter<Integer> out) -> {
                    Fixtures.count(count, out);
                    inputEnded.countDown();
                })
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == n - 2) {
                                Tck.awaitInTask(lastDone);
                                // the one before the last ends a quiet period after the last one, whose output is held
                                // meanwhile:
                                // an executor that stops keeping the order once its input has ended lets it overtake
                                // here
                                pause(Tck.quietPeriod());
                            } else if (x == n - 1) {
                                Tck.awaitInTask(inputEnded);
                                lastDone.countDown();
                            }
                            return x;
                        },
                        workers(workers),
                        ordered()));
        assertEquals(IntStream.range(0, n).boxed().toList(), run(p, n));
    }

    /**
     * Waits out {@code period} in a task (a quiet period in which a broken executor shows itself), or
     * until the worker is interrupted (by cancellation).
     */
    static void pause(java.time.Duration period) throws InterruptedException {
        long end = System.nanoTime() + period.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("cancelled during the pause");
            }
        }
    }

    @RuleTest("3.4")
    void rule_3_4_orderedOnAJoinWithSeveralWorkersFails() {
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.join(Fixtures::sum, workers(2), ordered())),
                "ordered",
                "join");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> Task.join(Fixtures::sum, ordered(), workers(2))),
                "ordered",
                "join");
        assertEquals(
                List.of(6),
                run(Task.branch(Fixtures::createData).pipe(Task.join(Fixtures::sum, ordered())), 0),
                "one worker may be ordered");
    }
}
