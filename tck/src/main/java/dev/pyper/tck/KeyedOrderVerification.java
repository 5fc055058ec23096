package dev.pyper.tck;

import static dev.pyper.Task.byKey;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.tck.ErrorsVerification.UserException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/**
 * Section 10 of the specification, order per key: {@code byKey(k)} runs the inputs of one key one
 * at a time, in input order, and different keys at once, a busy key holding no worker back, the
 * run metrics counting the inputs that waited for one (10.10); a hot key pauses the task before it
 * instead of growing a queue (10.11); bad keys and options are refused (10.12); it composes with {@code ordered()}, {@code retry}, {@code timeout},
 * {@code skipFailures()}, {@code rate}, {@code multiprocess()} and nested pipelines (10.13); and a
 * failure or cancellation loses and repeats nothing (10.14).
 *
 * <p>The inputs are {@code 0 … n-1}, in order, from a producer of one worker; an input's key is
 * {@code x % keys}. A {@link Turns} counts, in memory that every JVM of the run shares, how many
 * invocations of each key run at the same moment, so a second one of a key fails the test
 * wherever it runs. That two keys run at once is shown by a barrier that only two concurrent
 * invocations can pass; that a key is busy, by a latch its invocation waits on. Nothing sleeps.
 */
public abstract class KeyedOrderVerification extends ExecutorVerification {

    /** For subclasses. */
    protected KeyedOrderVerification() {}

    // ---- 10.10 one at a time per key, in order; keys at once -----------------------------------

    @RuleTest("10.10")
    void rule_10_10_theInputsOfOneKeyRunOneAtATimeAndLeaveInTheirOrder() {
        int n = 400;
        int keys = 7;
        Turns turns = new Turns(keys);
        Pipeline<Integer, Integer> p =
                Task.branch(Fixtures::range).pipe(Task.task(turns.watched(), workers(8), byKey(key(keys))));
        List<Integer> outputs = runWithin(p, n, "a keyed task of 8 workers over " + n + " inputs");
        assertEachKeyInOrder(outputs, n, keys);
        turns.assertOneAtATime();
    }

    @RuleTest("10.10")
    void rule_10_10_differentKeysRunAtTheSameTime() {
        SharedBarrier both = new SharedBarrier(2);
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            Tck.awaitInTask(both); // passes only when the two keys' invocations run at once
                            return x;
                        },
                        named("together"),
                        workers(2),
                        byKey(key(2))));
        assertEquals(List.of(0, 1), ConstructionVerification.sorted(runWithin(p, 2, "two keys, two workers")));
    }

    @RuleTest("10.10")
    void rule_10_10_withOrderedTheWholeOutputIsInInputOrder() {
        int n = 300;
        int keys = 5;
        Turns turns = new Turns(keys);
        Pipeline<Integer, Integer> p =
                Task.branch(Fixtures::range).pipe(Task.task(turns.watched(), workers(4), ordered(), byKey(key(keys))));
        assertEquals(IntStream.range(0, n).boxed().toList(), runWithin(p, n, "an ordered keyed task"));
        turns.assertOneAtATime();
    }

    @RuleTest("10.10")
    void rule_10_10_aBranchPassesOnEveryOutputOfAnInputBeforeTheNextInputOfItsKeyStarts() {
        int n = 120;
        int keys = 4;
        Turns turns = new Turns(keys);
        ThrowingFunction<Integer, Integer> watched = turns.watched();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.generator(
                        (Integer x, Emitter<Integer> out) -> {
                            out.emit(watched.apply(x) * 10);
                            out.emit(x * 10 + 1);
                        },
                        workers(4),
                        byKey((Integer x) -> x % keys)));
        List<Integer> outputs = runWithin(p, n, "a keyed generator");
        for (int k = 0; k < keys; k++) {
            int key = k;
            List<Integer> ofKey =
                    outputs.stream().filter(o -> o / 10 % keys == key).toList();
            List<Integer> expected = IntStream.range(0, n)
                    .filter(x -> x % keys == key)
                    .boxed()
                    .flatMap(x -> Stream.of(x * 10, x * 10 + 1))
                    .toList();
            assertEquals(expected, ofKey, "the outputs of key " + key + ", each input's together, in input order");
        }
        turns.assertOneAtATime();
    }

    @RuleTest("10.10")
    void rule_10_10_aBusyKeyHoldsNoWorkerBack_aFreeWorkerTakesTheNextInputOfAnotherKey() {
        SharedLatch release = new SharedLatch(1);
        SharedLatch coldRan = new SharedLatch(1);
        // inputs 0, 1, 2 are "hot" (key 0), input 3 is "cold" (key 1); input 0 waits until input 3 has run
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 0 && !Tck.awaitInTask(release)) {
                                throw new UserException("input 0 was never released");
                            }
                            if (x == 3) {
                                coldRan.countDown();
                            }
                            return x;
                        },
                        named("hotAndCold"),
                        workers(3),
                        byKey((Integer x) -> x < 3 ? 0 : 1)));
        try (Stream<Integer> outputs = on(p).stream(4)) {
            Iterator<Integer> it = outputs.iterator();
            Tck.await(coldRan, "the cold key's input, behind two inputs waiting for the busy hot key");
            release.countDown();
            List<Integer> all = new ArrayList<>();
            Tck.within("the rest of the outputs", () -> {
                it.forEachRemaining(all::add);
                return null;
            });
            assertEquals(List.of(0, 1, 2), all.stream().filter(x -> x < 3).toList(), "the hot key's order");
            assertEquals(List.of(0, 1, 2, 3), ConstructionVerification.sorted(all));
        }
    }

    @RuleTest("10.10")
    void rule_10_10_aHotKeyNeverDeadlocksWithThrottleOneAroundIt() {
        int n = 500;
        int keys = 3;
        Turns turns = new Turns(keys);
        // nine inputs in ten are of key 0: the hot key's worker runs them while 7 others idle
        ThrowingFunction<Integer, Integer> hot = x -> x % 10 == 9 ? 1 + x % 2 : 0;
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range, throttle(1))
                .pipe(Task.task(
                        (Integer x) -> turns.watched(hot.apply(x)).apply(x), workers(8), throttle(1), byKey(hot)))
                .pipe(Task.task(x -> x, workers(2), throttle(1), byKey(hot)));
        List<Integer> outputs = runWithin(p, n, "a hot key between tasks of throttle(1)");
        for (int k = 0; k < keys; k++) {
            int key = k;
            List<Integer> ofKey =
                    outputs.stream().filter(x -> uncheckedKey(hot, x) == key).toList();
            assertEquals(
                    IntStream.range(0, n)
                            .filter(x -> uncheckedKey(hot, x) == key)
                            .boxed()
                            .toList(),
                    ofKey,
                    "the inputs of key " + key + ", in their order");
        }
        turns.assertOneAtATime();
    }

    @RuleTest("10.10")
    void rule_10_10_theMetricsCountTheInputsThatWaitedForABusyKeyAndHowLong() {
        SharedLatch release = new SharedLatch(1);
        SharedLatch coldRan = new SharedLatch(1);
        // inputs 0, 1, 2 are of the hot key, 3 to 7 of a key each: 1 and 2 are taken while 0 holds
        // the hot key (they come before 3, which runs before 0 is released), no other input waits
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 0 && !Tck.awaitInTask(release)) {
                                throw new UserException("input 0 was never released");
                            }
                            if (x == 3) {
                                coldRan.countDown();
                            }
                            return x;
                        },
                        named("metered"),
                        workers(3),
                        byKey((Integer x) -> x < 3 ? 0 : x)));
        try (PipelineRun<Integer> run = on(p).start(8)) {
            Iterator<Integer> it = run.outputs().iterator();
            Tck.await(coldRan, "an input of another key, behind two inputs waiting for the busy hot key");
            release.countDown();
            List<Integer> all = new ArrayList<>();
            Tck.within("the rest of the outputs", () -> {
                it.forEachRemaining(all::add);
                return null;
            });
            assertEquals(IntStream.range(0, 8).boxed().toList(), ConstructionVerification.sorted(all));
            TaskMetrics keyed = run.metrics().tasks().get(1);
            TaskMetrics producer = run.metrics().tasks().get(0);
            assertEquals(
                    List.of(8L, 2L, 0L),
                    List.of(keyed.invocations(), keyed.keyDelayed(), producer.keyDelayed()),
                    () -> "[invocations, inputs that waited for a busy key, the producer's]: inputs 1 and 2 waited: "
                            + keyed);
            assertTrue(
                    keyed.keyWaited().isPositive(),
                    () -> "inputs 1 and 2 waited for input 0's release, yet the wait is " + keyed.keyWaited());
            assertEquals(Duration.ZERO, producer.keyWaited(), "a task without a key waits for none");
        }
    }

    // ---- 10.11 a hot key pauses the task before it ----------------------------------------------

    @RuleTest("10.11")
    void rule_10_11_aHotKeyPausesTheTaskBeforeItWithinTheBound() {
        int t = 2;
        int w = 3;
        // t in the buffer, at most 2 × workers held by the keyed task, one in the producer's hand
        int bound = t + 2 * w + 1;
        int n = 200;
        SharedCounter begun = new SharedCounter();
        SharedLatch release = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.generator(
                        (Integer count, Emitter<Integer> out) -> {
                            for (int i = 0; i < count; i++) {
                                begun.incrementAndGet();
                                out.emit(i);
                            }
                        },
                        throttle(t))
                .pipe(Task.task(
                        (Integer x) -> {
                            if (!Tck.awaitInTask(release)) {
                                throw new UserException("never released");
                            }
                            return x;
                        },
                        named("hot"),
                        workers(w),
                        byKey((Integer x) -> "the one key")));
        try (Stream<Integer> outputs = on(p).stream(n)) {
            Iterator<Integer> it = outputs.iterator();
            Tck.eventually(() -> begun.get() >= t + 2, "the producer has filled its buffer behind the hot key");
            Tck.never(
                    () -> begun.get() > bound,
                    () -> "the producer ran past throttle + 2 × workers + 1 = " + bound + " outputs: " + begun.get());
            release.countDown();
            List<Integer> all = new ArrayList<>();
            Tck.within("the hot key's outputs once released", () -> {
                it.forEachRemaining(all::add);
                return null;
            });
            assertEquals(IntStream.range(0, n).boxed().toList(), all, "one key: every input, in order");
        }
    }

    // ---- 10.12 what is refused, and bad keys ----------------------------------------------------

    @RuleTest("10.12")
    void rule_10_12_badOptionsAreRefusedNamingTheTaskAndTheOption() {
        assertRefused(() -> byKey(null), "byKey", "null");
        assertRefused(() -> Task.join(Fixtures::sum, byKey((Integer x) -> x)), "byKey(", "sum", "join");
        assertRefused(
                () -> Task.async((Integer x) -> CompletableFuture.completedFuture(x), named("stages"), byKey(key(2))),
                "byKey(",
                "stages",
                "async");
        assertRefused(() -> Task.batch(10, byKey((Object x) -> x)), "byKey(", "batch");
        assertRefused(() -> Task.task(Fixtures::addOne, byKey(key(2)), byKey(key(3))), "byKey(", "addOne", "twice");
    }

    @RuleTest("10.12")
    void rule_10_12_aKeyFunctionThatThrowsFailsTheRunNamingTheTaskAndTheInput() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(Fixtures::addOne, named("keyed"), workers(3), byKey((Integer x) -> {
                    if (x == 41) {
                        throw new UserException("no key for 41");
                    }
                    return x % 3;
                })));
        PipelineException e =
                assertThrows(PipelineException.class, () -> runWithin(p, 100, "the key function's failure"));
        assertInstanceOf(UserException.class, e.getCause());
        assertMessage(e, "keyed", "41");
    }

    @RuleTest("10.12")
    void rule_10_12_aNullKeyFailsTheRunNamingTheTaskAndTheInput() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        Fixtures::addOne, named("keyed"), workers(2), byKey((Integer x) -> x == 7 ? null : x % 2)));
        PipelineException e = assertThrows(PipelineException.class, () -> runWithin(p, 20, "a null key"));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertMessage(e, "keyed", "7");
        assertMessage(e.getCause(), "keyed", "null");
    }

    // ---- 10.13 with the other options ----------------------------------------------------------

    @RuleTest("10.13")
    void rule_10_13_aRetriedInputKeepsItsKeysTurn() {
        int n = 60;
        int keys = 3;
        Turns turns = new Turns(keys);
        ResilienceVerification.Attempts attempts = new ResilienceVerification.Attempts(n);
        ThrowingFunction<Integer, Integer> failsOnce = attempts.failing(x -> x % 5 == 0, 1);
        ThrowingFunction<Integer, Integer> watched = turns.watched();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> failsOnce.apply(watched.apply(x)) - 1,
                        workers(4),
                        retry(2).backoff(Duration.ZERO, Duration.ZERO),
                        timeout(Duration.ofMinutes(5)),
                        byKey(key(keys))));
        List<Integer> outputs = runWithin(p, n, "a keyed task whose inputs fail once in five");
        assertEachKeyInOrder(outputs, n, keys);
        turns.assertOneAtATime();
        assertEquals(2, attempts.of(0), "input 0: its attempt and its retry");
    }

    @RuleTest("10.13")
    void rule_10_13_aSkippedInputLeavesTheRestOfItsKeyInOrder() {
        int n = 90;
        int keys = 3;
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x % 10 == 4) {
                                throw new UserException("skip " + x);
                            }
                            return x;
                        },
                        workers(3),
                        skipFailures(),
                        rate(1_000_000).burst(1_000),
                        byKey(key(keys))));
        List<Integer> outputs = runWithin(p, n, "a keyed task that skips some inputs");
        for (int k = 0; k < keys; k++) {
            int key = k;
            assertEquals(
                    IntStream.range(0, n)
                            .filter(x -> x % keys == key && x % 10 != 4)
                            .boxed()
                            .toList(),
                    outputs.stream().filter(x -> x % keys == key).toList(),
                    "key " + key + ": every input but the skipped ones, once, in order");
        }
    }

    @RuleTest("10.13")
    void rule_10_13_aMultiprocessTaskAsksForKeysWhereItsCallsAreSentFrom() {
        assumeProcesses();
        int n = 40;
        int keys = 4;
        Turns turns = new Turns(keys);
        SharedCounter keyedIn = new SharedCounter();
        ThrowingFunction<Integer, Integer> watched = turns.watched();
        Pipeline<Integer, Long> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            watched.apply(x);
                            return ProcessHandle.current().pid() * 1000 + x;
                        },
                        workers(2),
                        multiprocess(),
                        byKey((Integer x) -> {
                            keyedIn.set((int) ProcessHandle.current().pid());
                            return x % keys;
                        })));
        List<Long> outputs = runWithin(p, n, "a multiprocess keyed task");
        assertEachKeyInOrder(outputs.stream().map(o -> (int) (o % 1000)).toList(), n, keys);
        turns.assertOneAtATime();
        int keyedBy = keyedIn.get();
        for (long o : outputs) {
            assertNotEquals(
                    keyedBy,
                    o / 1000,
                    "the function ran in a worker process, and the key function where the calls are sent from");
        }
    }

    @RuleTest("10.13")
    void rule_10_13_aNestedPipelineRunsOncePerInputInItsKeysTurn() {
        int n = 30;
        int keys = 3;
        Turns turns = new Turns(keys);
        ThrowingFunction<Integer, Integer> watched = turns.watched();
        Pipeline<Integer, Integer> inner =
                on(Task.branch((Integer x) -> List.of(x, x)).pipe(Task.task(watched)));
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        inner.consume(s -> s.mapToInt(Integer::intValue).sum() / 2), workers(3), byKey(key(keys))));
        assertEachKeyInOrder(runWithin(p, n, "a keyed task of nested runs"), n, keys);
        turns.assertOneAtATime();
    }

    // ---- 10.14 failures and cancellation --------------------------------------------------------

    @RuleTest("10.14")
    void rule_10_14_aFailedRunPassedOnNoOutputTwice() {
        int n = 200;
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 150) {
                                throw new UserException("fails on 150");
                            }
                            return x;
                        },
                        named("failsOnce"),
                        workers(4),
                        byKey(key(3))));
        List<Integer> seen = new ArrayList<>();
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Tck.within("a keyed run that fails", () -> {
                    try (Stream<Integer> outputs = on(p).stream(n)) {
                        outputs.forEach(seen::add);
                    }
                    return null;
                }));
        assertInstanceOf(UserException.class, e.getCause());
        assertMessage(e, "failsOnce", "150");
        assertEquals(seen.size(), seen.stream().distinct().count(), "no output twice: " + seen);
        for (int k = 0; k < 3; k++) {
            int key = k;
            List<Integer> ofKey = seen.stream().filter(x -> x % 3 == key).toList();
            assertEquals(ofKey.stream().sorted().toList(), ofKey, "key " + key + " in order so far");
        }
    }

    @RuleTest("10.14")
    void rule_10_14_closingTheRunEndsAHotKeyAndTheInputsWaitingForIt() {
        SharedCounter started = new SharedCounter();
        SharedLatch never = new SharedLatch(1);
        Pipeline<Integer, Integer> p = Task.generator(Fixtures::countForever, throttle(1))
                .pipe(Task.task(
                        (Integer x) -> {
                            started.incrementAndGet();
                            Tck.awaitInTask(never); // until the run is cancelled
                            return x;
                        },
                        workers(4),
                        byKey((Integer x) -> x % 5 == 0 ? 1 : 0)));
        Stream<Integer> outputs = on(p).stream(0);
        try {
            Tck.eventually(() -> started.get() == 2, "one invocation of each key under way");
        } finally {
            Tck.within("close() while a key is busy and inputs wait for it", () -> {
                outputs.close();
                return null;
            });
        }
        assertEquals(2, started.get(), "no invocation after the close");
    }

    // ---- fixtures -------------------------------------------------------------------------------

    /** The key {@code x % keys}, as a function that crosses to other JVMs. */
    private static ThrowingFunction<Integer, Integer> key(int keys) {
        return x -> x % keys;
    }

    private static int uncheckedKey(ThrowingFunction<Integer, Integer> key, int x) {
        try {
            return key.apply(x);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every input once, and each key's outputs in input order ({@code x % keys} is the key). */
    private static void assertEachKeyInOrder(List<Integer> outputs, int n, int keys) {
        assertEquals(
                IntStream.range(0, n).boxed().toList(), ConstructionVerification.sorted(outputs), "every input, once");
        for (int k = 0; k < keys; k++) {
            int key = k;
            List<Integer> ofKey = outputs.stream().filter(x -> x % keys == key).toList();
            assertEquals(
                    IntStream.range(0, n).filter(x -> x % keys == key).boxed().toList(),
                    ofKey,
                    "the outputs of key " + key + ", in the order of its inputs");
        }
    }

    /**
     * How many invocations of each key run at one moment, counted where they run (in shared
     * memory, so in any JVM): a second one of a key while the first runs is an overlap.
     */
    static final class Turns implements Serializable {
        private static final long serialVersionUID = 1L;

        private final SharedCounter[] running;
        private final SharedCounter overlaps = new SharedCounter();

        Turns(int keys) {
            running = new SharedCounter[keys];
            for (int k = 0; k < keys; k++) {
                running[k] = new SharedCounter();
            }
        }

        /** The identity, watched under the key {@code x % keys}. */
        ThrowingFunction<Integer, Integer> watched() {
            int keys = running.length;
            return x -> watched(x % keys).apply(x);
        }

        /** The identity, watched under {@code key}. */
        ThrowingFunction<Integer, Integer> watched(int key) {
            SharedCounter mine = running[key];
            SharedCounter overlapped = overlaps;
            return x -> {
                if (mine.incrementAndGet() > 1) {
                    overlapped.incrementAndGet();
                }
                for (int spin = 0; spin < 200; spin++) {
                    Thread.onSpinWait(); // a moment in which another of the key would come in, were it allowed to
                }
                mine.decrementAndGet();
                return x;
            };
        }

        void assertOneAtATime() {
            assertEquals(0, overlaps.get(), "invocations of one key that ran at the same time as another of that key");
        }
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
