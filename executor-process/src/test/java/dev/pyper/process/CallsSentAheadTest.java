package dev.pyper.process;

import static dev.pyper.Task.multiprocess;
import static dev.pyper.Task.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Emitter;
import dev.pyper.PipelineException;
import dev.pyper.Task;
import dev.pyper.tck.SharedCounter;
import dev.pyper.tck.SharedLatch;
import dev.pyper.tck.Tck;
import dev.pyper.threads.ThreadExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls sent ahead to the worker of an unthrottled one-worker multiprocess task
 * ({@link ProcessInvoker}): outputs stay in order, a failure names its own input, and no call
 * sent ahead is invoked after a failure or a cancellation (rules 3.1, 4.1, 4.2).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallsSentAheadTest {

    private ThreadExecutor threads;

    @BeforeEach
    void start() {
        threads = new ThreadExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.close();
        Children.assertNone();
    }

    @Test
    void rule_3_1_outputsKeepTheirOrder() throws Exception {
        List<Integer> out = Task.generator(Functions::countTo)
                .pipe(Task.task(Functions::square, multiprocess()))
                .on(threads)
                .consume(Stream::toList)
                .apply(5000);
        assertEquals(IntStream.range(0, 5000).map(x -> x * x).boxed().toList(), out);
    }

    @Test
    void rule_4_2_noCallSentAheadIsInvokedAfterAFailure() {
        SharedCounter invoked = new SharedCounter();
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.generator(Functions::countTo)
                        .pipe(Task.task(
                                x -> {
                                    invoked.incrementAndGet();
                                    if (x == 5) {
                                        throw new IllegalStateException("five");
                                    }
                                    return x;
                                },
                                named("failsOnFive"),
                                multiprocess()))
                        .on(threads)
                        .consume(Stream::toList)
                        .apply(1000));
        assertTrue(e.getMessage().contains("input 5"), e.getMessage());
        assertEquals("five", e.getCause().getMessage());
        assertEquals(6, invoked.get(), "inputs 0 to 5 were invoked, none of the calls sent after 5");
    }

    @Test
    void rule_4_2_callsSentAheadAreSkippedWhenTheRunIsClosedAndTheWorkerIsKept() throws Exception {
        SharedCounter invoked = new SharedCounter();
        SharedLatch never = new SharedLatch(1);
        try (ProcessExecutor processes = new ProcessExecutor()) {
            try (Stream<Integer> outputs = Task.generator(CallsSentAheadTest::countThenWait)
                    .pipe(Task.task(
                            x -> {
                                invoked.incrementAndGet();
                                if (x >= 1) {
                                    Tck.awaitInTask(never); // input 1 blocks, with inputs 2, 3, … sent ahead
                                }
                                return x;
                            },
                            named("blocksFromOne")))
                    .on(processes)
                    .stream(100)) {
                assertEquals(0, outputs.iterator().next());
                Tck.eventually(() -> invoked.get() == 2, "input 1 is running");
            }
            assertEquals(2, invoked.get(), "input 1 was interrupted and no call sent after it was invoked");
            assertEquals(2, processes.processCount(), "both workers answered and were kept warm");
        }
    }

    /** Emits 0 … n-1, then waits until interrupted: the run stays open while the next task works through its batch. */
    static void countThenWait(int n, Emitter<Integer> out) throws InterruptedException {
        Functions.countTo(n, out);
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
}
