package dev.pyper.virtual;

import static dev.pyper.Task.named;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.Task;
import dev.pyper.function.Generator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code workers(10_000)} works on virtual threads (issue 4, rule 2.5): 10,000 inputs, each
 * invocation waiting on one shared latch, are all in flight at once before the latch opens, and
 * every output arrives once it does.
 *
 * <p>"All in flight at once" is proved, not assumed: every invocation counts itself in before it
 * waits, and the latch opens only after the count has reached 10,000 (a bounded wait). No
 * invocation can return before that, so 10,000 invocations were running at the same moment.
 */
class TenThousandWorkersTest {

    private static final int N = 10_000;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final VirtualThreadExecutor executor = new VirtualThreadExecutor();
    private final CountDownLatch inFlight = new CountDownLatch(N);
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger returned = new AtomicInteger();

    @AfterEach
    void close() {
        open.countDown();
        executor.close();
    }

    @Test
    void tenThousandWorkersAreAllInFlightAtOnce() throws Exception {
        Generator<Integer, Integer> count = (n, out) -> {
            for (int i = 0; i < n; i++) {
                out.emit(i);
            }
        };
        Pipeline<Integer, Integer> pipeline = Task.generator(count, named("count"))
                .pipe(Task.task(this::waitForAll, named("wait"), workers(N)))
                .on(executor);

        FutureTask<List<Integer>> caller =
                new FutureTask<>(() -> pipeline.consume(Stream::toList).apply(N));
        Thread.ofVirtual().name("ten-thousand-caller").start(caller);

        long start = System.nanoTime();
        boolean allIn = inFlight.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        long allInMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(allIn, () -> (N - inFlight.getCount()) + " of " + N + " invocations were in flight after " + BOUND);
        assertEquals(0, returned.get(), "no invocation may return before the latch opens");
        open.countDown();

        List<Integer> outputs = caller.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertEquals(
                IntStream.range(0, N).map(i -> 2 * i).boxed().toList(),
                outputs.stream().sorted().toList(),
                "every input's output, once (all " + N + " were in flight after " + allInMillis + " ms)");
    }

    private Integer waitForAll(Integer item) throws InterruptedException {
        inFlight.countDown();
        open.await();
        returned.incrementAndGet();
        return 2 * item;
    }
}
