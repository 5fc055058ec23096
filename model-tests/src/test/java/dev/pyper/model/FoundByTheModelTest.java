package dev.pyper.model;

import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import dev.pyper.threads.ThreadExecutor;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Plain regression tests, one per bug that the model suite (or writing it) found, each named
 * after what went wrong. A bug is reported to the engine's owner with its test; a test of a bug
 * that is not fixed yet is disabled with the reason (and the suite tolerates the bug where it
 * shows, in one documented place, until then).
 */
class FoundByTheModelTest {

    /**
     * Closing the executor while a run is going cancels the run (PipelineExecutor.close), and the
     * caller's stream then ended normally, as if the pipeline had produced everything: 1 of 1,000
     * outputs read, then {@code hasNext()} false. A run ended for the executor's own reason must
     * end with a {@code PipelineException} (its Javadoc; rule 8.7 says so of the caller's close).
     * Fixed in the engine by commit a4668ef.
     */
    @Test
    void aRunCancelledByClosingTheExecutorEndedAsIfComplete() {
        ThreadExecutor executor = new ThreadExecutor();
        Pipeline<Integer, Integer> pipeline = Task.<Integer, Integer>branch(
                        n -> IntStream.range(0, n).boxed().toList(), throttle(1))
                .pipe(Task.task(x -> x + 1, throttle(1)))
                .on(executor);
        try (Stream<Integer> outputs = pipeline.stream(1_000)) {
            Iterator<Integer> it = outputs.iterator();
            assertTrue(it.hasNext());
            it.next(); // throttle(1) everywhere: the run cannot have produced its 1,000 outputs yet (rule 2.6)
            executor.close();
            assertThrows(
                    PipelineException.class,
                    () -> {
                        while (it.hasNext()) {
                            it.next();
                        }
                    },
                    "the rest of a run cancelled by the executor's close()");
        } finally {
            executor.close();
        }
    }

    /**
     * Seed 2320678420938951248 (threads, 20,000-case run): a run failed in a task with several
     * workers, and a one-worker join further down passed on a count of 62 elements, which the
     * caller received before the {@code PipelineException}: the join's input had ended normally,
     * early, although the task before it never finished. Suspected cause: {@code RunHandle}'s
     * cancellation sets {@code ending} before it cancels the channels, and a worker that sees
     * {@code isEnding()} between items returns as if its input had ended, so its
     * {@code producerDone()} can end the next channel before that channel is cancelled.
     * Fixed in the engine by commit bc6176a.
     */
    @Test
    void aJoinSawItsInputEndNormallyInAFailedRun() {
        AtomicInteger joinsEndedNormally = new AtomicInteger();
        int runs = 1_000;
        try (ThreadExecutor executor = new ThreadExecutor()) {
            Pipeline<Integer, Long> pipeline = Task.<Integer, Integer>branch(
                            n -> IntStream.range(0, n).boxed().toList())
                    .pipe(Task.task(x -> x, workers(4), throttle(1)))
                    .pipe(Task.task(x -> x, workers(4), throttle(1)))
                    .pipe(Task.task(x -> x, workers(4), throttle(1)))
                    .pipe(Task.task(
                            x -> {
                                if (x == 50) {
                                    throw new IllegalStateException("fails on 50");
                                }
                                return x;
                            },
                            workers(4)))
                    .pipe(Task.task(FoundByTheModelTest::busyFor20Micros))
                    .pipe(Task.join(in -> {
                        long n = in.count(); // input 50 never arrives: this stream can only end by cancellation
                        joinsEndedNormally.incrementAndGet();
                        return n;
                    }))
                    .on(executor);
            for (int i = 0; i < runs; i++) {
                assertThrows(
                        PipelineException.class,
                        () -> pipeline.consume(Stream::toList).apply(100));
            }
        }
        assertEquals(
                0,
                joinsEndedNormally.get(),
                "runs (of " + runs + ", all failed) in which the join's input ended normally");
    }

    private static int busyFor20Micros(int x) {
        long end = System.nanoTime() + 20_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        return x;
    }

    /**
     * Seed 672607469853995111 and 8 others (threads, 20,000-case run): the failure of a run carried
     * a suppressed {@code CancellationException} thrown by {@code CompletableFuture.cancel} in
     * {@code AsyncStage.intake}: the engine's own cancellation of pending async stages, reported as
     * a later failure (rule 4.3 attaches real later failures only; {@code RunHandle.causedByEnding}
     * knows interrupts and the engine's {@code Signal}, not a cancelled future). Fixed in the
     * engine by commit bc6176a.
     */
    @Test
    void theEnginesOwnCancellationOfAsyncStagesWasAttachedAsAFailure() {
        int runs = 1_000;
        int withSuppressed = 0;
        Throwable example = null;
        try (ThreadExecutor executor = new ThreadExecutor()) {
            Pipeline<Integer, Integer> pipeline = Task.<Integer, Integer>branch(
                            n -> IntStream.range(0, n).boxed().toList())
                    .pipe(Task.task(x -> {
                        if (x == 15) {
                            throw new IllegalStateException("fails on 15");
                        }
                        return x;
                    }))
                    .pipe(Task.async(Task.bind(FoundByTheModelTest::pendingWhenRemainder, 0), workers(8)))
                    .pipe(Task.async(Task.bind(FoundByTheModelTest::pendingWhenRemainder, 1), workers(8)))
                    .pipe(Task.async(Task.bind(FoundByTheModelTest::pendingWhenRemainder, 2), workers(8)))
                    .pipe(Task.async(Task.bind(FoundByTheModelTest::pendingWhenRemainder, 3), workers(8)))
                    .on(executor);
            for (int i = 0; i < runs; i++) {
                PipelineException e = assertThrows(
                        PipelineException.class,
                        () -> pipeline.consume(Stream::toList).apply(20));
                if (e.getSuppressed().length > 0) {
                    withSuppressed++;
                    example = e.getSuppressed()[0];
                }
            }
        }
        assertEquals(0, withSuppressed, "failed runs (of " + runs + ") with a suppressed exception, e.g. " + example);
    }

    /**
     * Seed 5939094942743501508 (threads, replayed 300 times: hung about once in seven): a join
     * with two workers putting into a throttle(1) channel, read by a task with six workers started
     * lazily. Both putters waited for room; the item was taken and one putter woken, but it handed
     * its item straight to a newly started worker instead of using the room, and the other putter
     * slept on with room free and nobody left to wake it. Fixed in the engine by passing the
     * wake-up on from a put that hands off.
     */
    @Test
    void aPutWokenForRoomThatItDidNotUseLeftAnotherPutterAsleep() {
        ModelSuite.Report report =
                ModelSuite.run(Targets.threads(), new ModelSettings(1, 5939094942743501508L, 20, 300), 1);
        assertEquals(List.of(), report.failures(), report.summary());
    }

    /** An async function whose stage never completes for inputs with this remainder mod 4, and at once for the others. */
    private static CompletableFuture<Integer> pendingWhenRemainder(Integer x, Integer remainder) {
        return x % 4 == remainder ? new CompletableFuture<>() : CompletableFuture.completedFuture(x);
    }
}
