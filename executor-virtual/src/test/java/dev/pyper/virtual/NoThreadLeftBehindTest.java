package dev.pyper.virtual;

import static dev.pyper.Task.named;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After {@link VirtualThreadExecutor#close()}, no virtual thread of the executor is left (rule
 * 4.5), whether its runs completed, failed, were closed early by their caller, or were still
 * blocked when the executor closed. Threads are counted with a {@link VirtualThreadCensus},
 * which is first shown to see the workers while they run.
 */
class NoThreadLeftBehindTest {

    private static final int WORKERS = 16;
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Every task of this test is named {@code leak-…}, so its workers are {@code pyper-leak-…-n}. */
    private static final String OURS = "pyper-leak-";

    @Test
    void closeLeavesNoVirtualThreadWhateverHappenedToTheRuns() throws Exception {
        VirtualThreadExecutor executor = new VirtualThreadExecutor();
        CountDownLatch blocked = new CountDownLatch(WORKERS);
        CountDownLatch never = new CountDownLatch(1);
        FutureTask<List<Integer>> stillRunning;
        try {
            // an unordered task with several workers: outputs in any order
            assertEquals(
                    List.of(0, 2, 4),
                    stage("leak-done", x -> 2 * x)
                            .on(executor)
                            .consume(s -> s.sorted().toList())
                            .apply(3));

            assertThrows(
                    PipelineException.class,
                    () -> stage("leak-fail", x -> {
                                throw new IllegalStateException("boom on " + x);
                            })
                            .on(executor)
                            .consume(Stream::toList)
                            .apply(100));

            try (Stream<Integer> early = stage("leak-early", x -> {
                        never.await();
                        return x;
                    })
                    .pipe(Task.task(x -> x, named("leak-early-after")))
                    .on(executor)
                    .stream(1_000)) {
                // every worker of leak-early blocks; closing the stream must end them all
            }

            Pipeline<Integer, Integer> blocking = stage("leak-blocked", x -> {
                        blocked.countDown();
                        never.await();
                        return x;
                    })
                    .on(executor);
            stillRunning =
                    new FutureTask<>(() -> blocking.consume(Stream::toList).apply(100));
            Thread.ofVirtual().name("leak-caller").start(stillRunning);
            assertTrue(blocked.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the blocked run's workers did not start");
            List<VirtualThreadCensus.Entry> running = VirtualThreadCensus.take().named("pyper-leak-blocked-");
            assertEquals(
                    WORKERS + 1,
                    running.size(),
                    () -> "the census must see the running workers and the producer"
                            + VirtualThreadCensus.describe(running));
            assertTrue(running.stream().allMatch(VirtualThreadCensus.Entry::virtual), "workers run on virtual threads");
        } finally {
            executor.close();
        }
        List<VirtualThreadCensus.Entry> left = VirtualThreadCensus.awaitNoneNamed(OURS, BOUND);
        assertEquals(List.of(), left, () -> "virtual threads left after close():" + VirtualThreadCensus.describe(left));
        try {
            stillRunning.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // the caller of a run cut short by close() learns of it: see runCancelledByCloseFailsItsCaller
        }
    }

    @Test
    void runCancelledByCloseFailsItsCaller() throws Exception {
        VirtualThreadExecutor executor = new VirtualThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Pipeline<Integer, Integer> blocking = stage("leak-cut", x -> {
                    started.countDown();
                    never.await();
                    return x;
                })
                .on(executor);
        FutureTask<List<Integer>> caller =
                new FutureTask<>(() -> blocking.consume(Stream::toList).apply(100));
        Thread.ofVirtual().name("leak-cut-caller").start(caller);
        assertTrue(started.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the run did not start");
        executor.close();
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> caller.get(BOUND.toSeconds(), TimeUnit.SECONDS),
                "a run that the executor cut short must not look complete to its caller");
        assertInstanceOf(PipelineException.class, e.getCause());
    }

    /** producer of {@code 0..n-1} (throttle 1) → {@code name} with {@value #WORKERS} workers. */
    private static Pipeline<Integer, Integer> stage(String name, ThrowingFunction<Integer, Integer> f) {
        Generator<Integer, Integer> count = (n, out) -> {
            for (int i = 0; i < n; i++) {
                out.emit(i);
            }
        };
        return Task.generator(count, named(name + "-count"), throttle(1))
                .pipe(Task.task(f, named(name), workers(WORKERS)));
    }
}
