package dev.pyper.process;

import static dev.pyper.Task.named;
import static dev.pyper.Task.retry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.tck.SharedCounter;
import dev.pyper.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rule 9.2 for worker processes: an attempt that costs its worker JVM (killed with SIGKILL, or out
 * of heap) is made again on a new one, whatever the failure and the retry's {@code on(…)}; with no
 * retry left it fails the run as before (rule 6.4).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostWorkerRetryTest {

    private ProcessExecutor processes;

    @BeforeEach
    void start() {
        processes = ProcessExecutor.builder().maxHeap("32m").build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        processes.close();
        Children.assertNone();
    }

    /** {@code x}; the first attempt on 1 notes its JVM's pid in {@code pid} and waits to be killed. */
    record WaitsToBeKilledOnce(SharedCounter attempts, SharedCounter pid)
            implements dev.pyper.function.ThrowingFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) throws Exception {
            if (x == 1 && attempts.incrementAndGet() == 1) {
                pid.set((int) ProcessHandle.current().pid());
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            }
            return x;
        }
    }

    @Test
    void anInputWhoseWorkerWasKilledIsRetriedOnANewOneEvenWhenOnlyIoFailuresAreRetried() throws Exception {
        SharedCounter attempts = new SharedCounter();
        SharedCounter pid = new SharedCounter();
        try (PipelineRun<Integer> run = Task.branch(LostWorkerRetryTest::upTo)
                .pipe(Task.task(
                        new WaitsToBeKilledOnce(attempts, pid),
                        named("victim"),
                        retry(2).backoff(Duration.ZERO, Duration.ZERO).on(java.io.IOException.class)))
                .on(processes)
                .start(3)) {
            Tck.eventually(pid::isSet, "the first attempt on 1 to note its pid");
            ProcessHandle.of(pid.get()).orElseThrow().destroyForcibly();
            assertEquals(List.of(0, 1, 2), run.outputs().toList());
            TaskMetrics m = run.metrics().tasks().get(1);
            assertEquals(1, m.retries());
            assertEquals(0, m.failed());
        }
        assertEquals(2, attempts.get());
    }

    /** {@code x}; the first attempt on 0 fills its JVM's heap. */
    record HoardsOnce(SharedCounter attempts) implements dev.pyper.function.ThrowingFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            if (x == 0 && attempts.incrementAndGet() == 1) {
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                    hoard.add(new long[1 << 17]); // 1 MiB at a time
                }
            }
            return x;
        }
    }

    @Test
    void anInputWhoseWorkerRanOutOfHeapIsRetriedOnANewOne() {
        SharedCounter attempts = new SharedCounter();
        List<Integer> out = Task.branch(LostWorkerRetryTest::upTo)
                .pipe(Task.task(
                        new HoardsOnce(attempts), named("hoarder"), retry(1).backoff(Duration.ZERO, Duration.ZERO)))
                .on(processes)
                .consume(Stream::toList)
                .apply(2);
        assertEquals(List.of(0, 1), out);
        assertEquals(2, attempts.get());
    }

    /** Fills its JVM's heap, every attempt. */
    record HoardsAlways(SharedCounter attempts) implements dev.pyper.function.ThrowingFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            attempts.incrementAndGet();
            List<long[]> hoard = new ArrayList<>();
            while (true) {
                hoard.add(new long[1 << 17]);
            }
        }
    }

    @Test
    void outOfRetriesALostWorkerFailsTheRunAsWithoutThem() {
        SharedCounter attempts = new SharedCounter();
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> Task.branch(LostWorkerRetryTest::upTo)
                        .pipe(Task.task(
                                new HoardsAlways(attempts),
                                named("hoarder"),
                                retry(1).backoff(Duration.ZERO, Duration.ZERO)))
                        .on(processes)
                        .consume(Stream::toList)
                        .apply(1));
        assertEquals("hoarder", e.taskName());
        assertInstanceOf(OutOfMemoryError.class, e.getCause(), "an Error out of retries is never skipped nor wrapped");
        assertEquals(2, attempts.get());
    }

    static Iterable<Integer> upTo(int n) {
        List<Integer> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(i);
        }
        return xs;
    }
}
