package dev.pyper.tck;

import static dev.pyper.Task.named;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static dev.pyper.tck.ConstructionVerification.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineFunction;
import dev.pyper.Task;
import dev.pyper.spi.Abbreviation;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Section 4 of the specification: errors and cancellation.
 */
public abstract class ErrorsVerification extends ExecutorVerification {

    /** For subclasses. */
    protected ErrorsVerification() {}

    /** An exception of the user's own, so that the kit can tell it from anything an executor makes. */
    static final class UserException extends Exception {
        private static final long serialVersionUID = 1L;

        UserException(String message) {
            super(message);
        }
    }

    /** An {@code Error} of the user's own (a stand-in for OutOfMemoryError and friends). */
    static final class UserError extends Error {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }

    @RuleTest("4.1")
    void rule_4_1_aCheckedExceptionEndsTheRunAsItsCauseNamingTaskAndInput() {
        UserException boom = new UserException("boom");
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 7) {
                                throw boom;
                            }
                            return x;
                        },
                        named("failsOnSeven")));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 100));
        Tck.assertUsersException(boom, e.getCause());
        assertMessage(e, "failsOnSeven", "7");
        assertEquals("failsOnSeven", e.taskName());
    }

    @RuleTest("4.1")
    void rule_4_1_theCauseIsUnwrappedFromCompletionAndExecutionExceptions() {
        UserException inner = new UserException("inner");
        PipelineException completion = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.task((Integer x) -> {
                            throw new CompletionException(inner);
                        }),
                        1));
        Tck.assertUsersException(inner, completion.getCause());
        PipelineException execution = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.task((Integer x) -> {
                            throw new ExecutionException(inner);
                        }),
                        1));
        Tck.assertUsersException(inner, execution.getCause());
    }

    @RuleTest("4.1")
    void rule_4_1_errorsEndTheRunAndAreNeverSwallowed() {
        UserError error = new UserError("out of something");
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.branch(Fixtures::range)
                                .pipe(Task.task(
                                        (Integer x) -> {
                                            if (x == 3) {
                                                throw error;
                                            }
                                            return x;
                                        },
                                        workers(2))),
                        10));
        Tck.assertUsersException(error, e.getCause());
        PipelineException deep =
                assertThrows(PipelineException.class, () -> run(Task.task(ErrorsVerification::recurse), 0));
        assertInstanceOf(StackOverflowError.class, deep.getCause());
    }

    @RuleTest("4.1")
    void rule_4_1_theInputIsShownShortened() {
        char[] longText = new char[10_000];
        Arrays.fill(longText, 'x');
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> run(
                        Task.task((String s) -> {
                            throw new UserException("too long");
                        }),
                        new String(longText)));
        assertTrue(e.getMessage().contains("xxxx"), e.getMessage());
        int shown = longestRun(e.getMessage(), 'x');
        assertTrue(
                shown <= Abbreviation.MAX_LENGTH,
                "the input must be abbreviated to at most " + Abbreviation.MAX_LENGTH
                        + " characters; the message shows " + shown + " of it");
    }

    /** The length of the longest run of {@code c} in {@code text}. */
    private static int longestRun(String text, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    @RuleTest("4.2")
    void rule_4_2_afterAFailureRunningInvocationsAreInterruptedAndHaveEndedFirst() {
        int workers = 4;
        SharedLatch othersBlocked = new SharedLatch(workers - 1);
        SharedLatch never = new SharedLatch(1);
        SharedCounter inFlight = new SharedCounter();
        SharedCounter interrupted = new SharedCounter();
        SharedCounter started = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            started.incrementAndGet();
                            inFlight.incrementAndGet();
                            try {
                                if (x == 0) {
                                    Tck.awaitInTask(othersBlocked);
                                    throw new UserException("first");
                                }
                                othersBlocked.countDown();
                                Tck.awaitInTask(never); // ended only by an interrupt
                                return x;
                            } catch (InterruptedException e) {
                                interrupted.incrementAndGet();
                                throw e;
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        },
                        workers(workers)));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 1000));
        assertInstanceOf(UserException.class, e.getCause());
        assertEquals(0, inFlight.get(), "every invocation has ended before the exception reaches the caller");
        assertEquals(workers - 1, interrupted.get(), "the blocked invocations were interrupted");
        assertTrue(started.get() <= workers, "no new invocation after the failure; started " + started.get());
    }

    @RuleTest("4.2")
    void rule_4_2_aFailureInAMiddleTaskWhileTheProducerIsBlockedOnAFullThrottle() {
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = countsForever(producerEnded, throttle(2))
                .pipe(Task.task((Integer x) -> {
                    if (x == 10) {
                        throw new UserException("middle");
                    }
                    return x;
                }))
                .pipe(Task.task(Fixtures::addOne));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 0));
        assertMessage(e.getCause(), "middle");
        assertTrue(producerEnded.isSet(), "the producer blocked on its full buffer has ended");
    }

    @RuleTest("4.3")
    void rule_4_3_theFirstFailureIsTheCauseAndLaterOnesAreSuppressed() {
        SharedLatch secondWaiting = new SharedLatch(1);
        SharedLatch never = new SharedLatch(1);
        UserException first = new UserException("first");
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::range)
                .pipe(Task.task(
                        (Integer x) -> {
                            if (x == 0) {
                                Tck.awaitInTask(secondWaiting);
                                throw first;
                            }
                            secondWaiting.countDown();
                            try {
                                Tck.awaitInTask(never);
                            } catch (InterruptedException interrupted) {
                                throw new IllegalStateException("second, while ending");
                            }
                            return x;
                        },
                        workers(2)));
        PipelineException e = assertThrows(PipelineException.class, () -> run(p, 2));
        Tck.assertUsersException(first, e.getCause());
        assertEquals(1, e.getSuppressed().length, () -> "suppressed: " + Arrays.toString(e.getSuppressed()));
        assertMessage(e.getSuppressed()[0], "second");
    }

    @RuleTest("4.4")
    void rule_4_4_closingEarlyStopsAnInfiniteProducer() {
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = countsForever(producerEnded).pipe(Task.task(Fixtures::addOne, workers(3)));
        try (Stream<Integer> outputs = on(p).stream(0)) {
            assertEquals(5, outputs.limit(5).count());
        }
        assertTrue(producerEnded.isSet(), "close() returns after the producer has ended");
    }

    @RuleTest("4.4")
    void rule_4_4_closingEarlyEndsAProducerBlockedInACall() {
        SharedLatch never = new SharedLatch(1);
        SharedLatch blocked = new SharedLatch(1);
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.generator((Integer x, Emitter<Integer> out) -> {
            try {
                out.emit(x);
                blocked.countDown();
                Tck.awaitInTask(never); // a blocking call: only the close's interrupt ends it within the test
            } finally {
                producerEnded.set(1);
            }
        });
        try (Stream<Integer> outputs = on(p).stream(1)) {
            assertEquals(1, outputs.iterator().next());
            Tck.await(blocked, "the producer to block in a call");
            outputs.close();
            assertTrue(producerEnded.isSet(), "the producer blocked in a call ended before close() returned");
        }
    }

    @RuleTest("4.4")
    @SuppressWarnings("ReturnValueIgnored") // hasNext is called for its wait, not its value
    void rule_4_4_closingStopsWorkersBlockedInASleepOrOnAFullBuffer() {
        SharedLatch sleeping = new SharedLatch(2);
        SharedCounter woken = new SharedCounter();
        SharedCounter producerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = countsForever(producerEnded, throttle(1))
                .pipe(Task.task(
                        (Integer x) -> {
                            sleeping.countDown();
                            try {
                                Thread.sleep(
                                        Tck.testTimeout().toMillis() * 10); // never wakes by itself within the test
                            } catch (InterruptedException e) {
                                woken.incrementAndGet();
                                throw e;
                            }
                            return x;
                        },
                        workers(2)));
        Stream<Integer> outputs = on(p).stream(0);
        Iterator<Integer> it = outputs.iterator();
        Thread caller = Thread.ofPlatform()
                .name(LeakCensus.KIT_THREAD_PREFIX + "puller")
                .start(() -> {
                    try {
                        it.hasNext();
                    } catch (PipelineException | IllegalStateException expected) {
                        // the run was closed under it, or before it began to pull
                    }
                });
        Tck.await(sleeping, "two workers asleep");
        outputs.close();
        assertEquals(2, woken.get(), "both sleeping workers were interrupted, and ended before close() returned");
        assertTrue(producerEnded.isSet(), "the producer blocked on a full buffer ended before close() returned");
        try {
            caller.join(Tck.timeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(caller.isAlive(), "the pulling thread was released");
    }

    @RuleTest("4.4")
    void rule_4_4_aConsumerThatThrowsCancelsTheRun() {
        SharedCounter producerEnded = new SharedCounter();
        UserException mine = new UserException("consumer");
        Pipeline<Integer, Integer> p = on(countsForever(producerEnded));
        PipelineException thrown = assertThrows(
                PipelineException.class,
                () -> p.consume((Stream<Integer> s) -> {
                            s.limit(3).forEach(x -> {});
                            throw mine;
                        })
                        .apply(0));
        assertSame(
                mine,
                thrown.getCause(),
                "a checked exception of the consumer reaches the caller as the cause (rule 2.7)");
        assertTrue(producerEnded.isSet(), "the run was cancelled and ended");
        IllegalStateException unchecked = new IllegalStateException("consumer");
        assertSame(
                unchecked,
                assertThrows(
                        IllegalStateException.class,
                        () -> p.consume((Stream<Integer> s) -> {
                                    s.limit(3).forEach(x -> {});
                                    throw unchecked;
                                })
                                .apply(0)),
                "an unchecked exception of the consumer passes unchanged");
    }

    @RuleTest("4.4")
    void rule_4_4_anInterruptedCallerCancelsTheRunAndKeepsItsFlag() {
        SharedLatch workerStarted = new SharedLatch(1);
        SharedLatch never = new SharedLatch(1);
        SharedCounter workerEnded = new SharedCounter();
        Pipeline<Integer, Integer> p = Task.task((Integer x) -> {
            workerStarted.countDown();
            try {
                Tck.awaitInTask(never);
            } finally {
                workerEnded.set(1);
            }
            return x;
        });
        Thread caller = Thread.currentThread();
        Thread interrupter = Thread.ofPlatform()
                .name(LeakCensus.KIT_THREAD_PREFIX + "interrupter")
                .start(() -> {
                    Tck.await(workerStarted, "the worker to start");
                    caller.interrupt();
                });
        try (Stream<Integer> outputs = on(p).stream(1)) {
            PipelineException e = assertThrows(
                    PipelineException.class, () -> outputs.iterator().next());
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertTrue(Thread.currentThread().isInterrupted(), "the caller keeps its interrupt flag");
            assertTrue(workerEnded.isSet(), "the run ended before the exception reached the caller");
        } finally {
            Thread.interrupted();
            try {
                interrupter.join(Tck.timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @RuleTest("4.5")
    void rule_4_5_aThousandRunsInARowLeaveNothingBehind() {
        Pipeline<Integer, Integer> p = Task.branch(Fixtures::createData)
                .pipe(Task.task(Fixtures::addOne, workers(2)))
                .pipe(Task.task(Fixtures::times2));
        for (int i = 0; i < 1000; i++) {
            assertEquals(List.of(4, 6, 8), ConstructionVerification.sorted(run(p, 0)));
        }
        // and the executor's close(), after this test, leaves the JVM as it was: checked by the kit
    }

    @RuleTest("4.5")
    void rule_4_5_failedAndCancelledRunsLeaveNothingBehind() {
        for (int i = 0; i < 50; i++) {
            int failAt = i;
            assertThrows(
                    PipelineException.class,
                    () -> run(
                            Task.branch(Fixtures::range)
                                    .pipe(Task.task(
                                            (Integer x) -> {
                                                if (x == failAt) {
                                                    throw new IOException("at " + failAt);
                                                }
                                                return x;
                                            },
                                            workers(3))),
                            100));
            try (Stream<Integer> outputs =
                    on(Task.generator(Fixtures::countForever).pipe(Task.task(Fixtures::addOne, workers(2)))).stream(
                            0)) {
                outputs.limit(i).forEach(x -> {});
            }
        }
    }

    @RuleTest("4.2")
    void rule_4_2_aFailureEndsTheWorkersOfOtherTasksWhereverTheyAreBlocked() {
        BlockedEverywhere blocked = new BlockedEverywhere();
        SharedLatch inPlace = blocked.inPlace;
        Pipeline<Integer, Integer> p = blocked.then(Task.task(
                (Integer x) -> {
                    if (!Tck.awaitInTask(inPlace)) {
                        throw new IllegalStateException("the other tasks never got blocked: " + inPlace);
                    }
                    throw new UserException("fails while the others are blocked");
                },
                named("failsLast")));
        try (Stream<Integer> outputs = on(p).stream(0)) {
            Iterator<Integer> it = outputs.iterator();
            PipelineException e = assertThrows(PipelineException.class, () -> drain(it));
            int exited = blocked.exited.get();
            assertMessage(e.getCause(), "fails while the others are blocked");
            blocked.assertAllReturned(exited, "before the failure reached the caller");
        }
    }

    @RuleTest("4.4")
    void rule_4_4_closingEarlyEndsTheWorkersOfEveryTaskWhereverTheyAreBlocked() {
        BlockedEverywhere blocked = new BlockedEverywhere();
        Stream<Integer> outputs = on(blocked.then(Task.task(Fixtures::addOne))).stream(0);
        try {
            assertEquals(1, outputs.iterator().next());
            blocked.awaitInPlace();
        } finally {
            outputs.close();
        }
        blocked.assertAllReturned(blocked.exited.get(), "when close() returned");
    }

    @RuleTest("4.4")
    void rule_4_4_aThrowingConsumerEndsTheWorkersOfEveryTaskWhereverTheyAreBlocked() {
        BlockedEverywhere blocked = new BlockedEverywhere();
        UserException mine = new UserException("consumer");
        Pipeline<Integer, Integer> p = on(blocked.then(Task.task(Fixtures::addOne)));
        PipelineFunction<Integer, Integer> consumer = p.consume((Stream<Integer> s) -> {
            s.iterator().next();
            blocked.awaitInPlace();
            throw mine;
        });
        PipelineException e = assertThrows(PipelineException.class, () -> consumer.apply(0));
        int exited = blocked.exited.get();
        assertSame(mine, e.getCause(), "the consumer's checked exception is the cause (rule 2.7)");
        blocked.assertAllReturned(exited, "before the consumer's exception reached the caller");
    }

    @RuleTest("8.7")
    void rule_8_7_closingFromAnotherThreadEndsABlockedPullAndTheWorkersWhereverTheyAreBlocked() {
        BlockedEverywhere blocked = new BlockedEverywhere();
        Stream<Integer> outputs = on(blocked.then(Task.task(Fixtures::addOne))).stream(0);
        BlockedPull pull = new BlockedPull(outputs.iterator(), blocked);
        int exited;
        try {
            blocked.awaitInPlace();
            pull.awaitBlocked();
        } finally {
            outputs.close();
            exited = blocked.exited.get();
            pull.join();
        }
        blocked.assertAllReturned(exited, "when close() returned");
        pull.assertThrewPipelineException("the stream was closed from another thread");
    }

    @RuleTest("8.7")
    void rule_8_7_closingTheExecutorEndsABlockedPullAndTheWorkersWhereverTheyAreBlocked() {
        BlockedEverywhere blocked = new BlockedEverywhere();
        try (Stream<Integer> outputs = on(blocked.then(Task.task(Fixtures::addOne))).stream(0)) {
            BlockedPull pull = new BlockedPull(outputs.iterator(), blocked);
            int exited;
            try {
                blocked.awaitInPlace();
                pull.awaitBlocked();
            } finally {
                executor().close();
                exited = blocked.exited.get();
                pull.join();
            }
            blocked.assertAllReturned(exited, "when the executor's close() returned");
            pull.assertThrewPipelineException("the executor was closed");
        }
    }

    /** Pulls every output; for a run that must fail. */
    private static void drain(Iterator<?> it) {
        while (it.hasNext()) {
            it.next();
        }
    }

    /**
     * Workers of four tasks blocked at the same time, each in another way, for the tests of rules
     * 4.2 to 4.4 and 8.7 that end a run under them: the producer in {@code emit} on a full buffer
     * ({@code throttle(1)}, its consumer blocked), then a task in {@code Thread.sleep}, one in a
     * blocking call ({@code BlockingQueue.poll} on a queue that nobody feeds), and one in a CPU loop
     * that polls its interrupt flag. Each of the last three passes its input on before it blocks,
     * so the test's own task after them gets input 0 too; each counts its entry and, in a
     * {@code finally} block, its exit, in shared memory (they may run in other processes). Every
     * wait is bounded by {@link Tck#testTimeout()}, so that a broken executor fails the test
     * rather than hanging it.
     */
    static final class BlockedEverywhere {
        /** How many functions block: one per task before the test's. */
        static final int FUNCTIONS = 4;

        /** Opens when all four are in place (the producer: when it begins the emit that finds its buffer full). */
        final SharedLatch inPlace = new SharedLatch(FUNCTIONS);
        /** Invocations of the four that have begun. */
        final SharedCounter entered = new SharedCounter();
        /** Invocations of the four that have returned or thrown. */
        final SharedCounter exited = new SharedCounter();

        /** The four blocking tasks, then {@code last}. */
        Pipeline<Integer, Integer> then(Pipeline<Integer, Integer> last) {
            SharedLatch inPlace = this.inPlace;
            SharedCounter entered = this.entered;
            SharedCounter exited = this.exited;
            return Task.generator(
                            (Integer start, Emitter<Integer> out) -> {
                                entered.incrementAndGet();
                                try {
                                    for (int i = start; ; i++) {
                                        if (i == start + 2) {
                                            inPlace.countDown(); // throttle 1 + 1 worker taking + this one: the emit
                                            // that blocks
                                        }
                                        out.emit(i);
                                    }
                                } finally {
                                    exited.incrementAndGet();
                                }
                            },
                            throttle(1),
                            named("blockedInEmit"))
                    .pipe(Task.generator(
                            (Integer x, Emitter<Integer> out) -> {
                                entered.incrementAndGet();
                                try {
                                    out.emit(x);
                                    inPlace.countDown();
                                    Thread.sleep(Tck.testTimeout().toMillis()); // ended by the run's end long before
                                } finally {
                                    exited.incrementAndGet();
                                }
                            },
                            named("blockedInSleep")))
                    .pipe(Task.generator(
                            (Integer x, Emitter<Integer> out) -> {
                                entered.incrementAndGet();
                                try {
                                    out.emit(x);
                                    inPlace.countDown();
                                    // a blocking call on a queue that nobody feeds
                                    new LinkedBlockingQueue<Integer>()
                                            .poll(Tck.testTimeout().toMillis(), TimeUnit.MILLISECONDS);
                                } finally {
                                    exited.incrementAndGet();
                                }
                            },
                            named("blockedInPoll")))
                    .pipe(Task.generator(
                            (Integer x, Emitter<Integer> out) -> {
                                entered.incrementAndGet();
                                try {
                                    out.emit(x);
                                    inPlace.countDown();
                                    spinUntilInterrupted();
                                } finally {
                                    exited.incrementAndGet();
                                }
                            },
                            named("blockedInCpuLoop")))
                    .pipe(last);
        }

        void awaitInPlace() {
            Tck.await(inPlace, "the producer blocked in emit and the next three tasks in sleep, poll and a CPU loop");
        }

        /**
         * Checks that every invocation of the four had returned when {@code exited} was read.
         *
         * @param exited the exits counted at that moment
         * @param when that moment, for the message
         */
        void assertAllReturned(int exited, String when) {
            int began = entered.get();
            assertTrue(began >= FUNCTIONS, "all four blocking functions were called; " + began + " were");
            assertEquals(
                    began,
                    exited,
                    "every blocked function (in emit, sleep, poll, a CPU loop) has returned " + when + ": " + exited
                            + " of " + began + " had");
        }
    }

    /** CPU work that polls the interrupt flag, as a well-behaved long computation does; bounded by {@link Tck#testTimeout()}. */
    static void spinUntilInterrupted() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Tck.testTimeout().toNanos();
        long work = 1;
        while (!Thread.currentThread().isInterrupted()) {
            for (int i = 0; i < 10_000; i++) {
                work = work * 31 + i;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("the CPU loop was never interrupted (" + work + ")");
            }
        }
        throw new InterruptedException("the CPU loop saw its interrupt flag");
    }

    /**
     * A pull by a thread of the kit (the run's caller) that takes output 1 and then blocks waiting
     * for the next one, which never comes while the tasks before are blocked: for the tests of
     * rule 8.7, which end the run from the test's thread under it.
     */
    private static final class BlockedPull {
        private final SharedLatch first = new SharedLatch(1);
        private final AtomicReference<Throwable> thrown = new AtomicReference<>();
        private final AtomicInteger exitedAtThrow = new AtomicInteger(-1);
        private final BlockedEverywhere blocked;
        private final Thread thread;

        @SuppressWarnings("ReturnValueIgnored") // hasNext is called for its wait, not its value
        BlockedPull(Iterator<Integer> it, BlockedEverywhere blocked) {
            this.blocked = blocked;
            this.thread = Thread.ofPlatform()
                    .name(LeakCensus.KIT_THREAD_PREFIX + "puller")
                    .start(() -> {
                        try {
                            it.next();
                            first.countDown();
                            it.hasNext(); // blocks until the run ends under it
                            thrown.set(new AssertionError("the blocked pull returned instead of throwing"));
                        } catch (Throwable t) {
                            exitedAtThrow.set(blocked.exited.get());
                            thrown.set(t);
                        }
                    });
        }

        /** Waits until the pull for the second output is under way and its thread waits. */
        void awaitBlocked() {
            Tck.await(first, "the first output");
            Tck.eventually(
                    () -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING,
                    "the pull for the second output is blocked");
        }

        void join() {
            try {
                thread.join(Tck.timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertFalse(thread.isAlive(), "the blocked pull was released");
        }

        /** Checks that the pull threw {@code PipelineException}, and that every blocked function had returned by then. */
        void assertThrewPipelineException(String why) {
            Throwable t = thrown.get();
            assertInstanceOf(
                    PipelineException.class,
                    t,
                    () -> "a pull blocked when " + why + " throws PipelineException, not " + t);
            blocked.assertAllReturned(exitedAtThrow.get(), "before the blocked pull threw");
        }
    }

    /** A producer that counts from its input until the run ends, then sets {@code ended}. */
    static Pipeline<Integer, Integer> countsForever(SharedCounter ended, Option... options) {
        return Task.generator(
                (Integer start, Emitter<Integer> out) -> {
                    try {
                        Fixtures.countForever(start, out);
                    } finally {
                        ended.set(1);
                    }
                },
                options);
    }

    @SuppressWarnings("InfiniteRecursion") // on purpose: a task that dies of a StackOverflowError
    static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
