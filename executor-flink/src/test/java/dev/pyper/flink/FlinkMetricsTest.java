package dev.pyper.flink;

import static dev.pyper.Task.named;
import static dev.pyper.Task.ordered;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.tck.Tck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Run metrics on the embedded cluster (rule 8.5): the same figures as on the in-JVM executors. */
@Timeout(120)
class FlinkMetricsTest {

    private static FlinkExecutor flink;

    @BeforeAll
    static void start() {
        flink = FlinkExecutor.builder().embedded(2, 4).build();
    }

    @AfterAll
    static void stop() {
        flink.close();
    }

    @Test
    void countsAreExactOnceTheRunHasEndedForEveryKindOfTask() {
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("source"))
                .pipe(Task.branch(x -> List.of(x, x), named("twice"), workers(3)))
                .pipe(Task.task(x -> x + 1, named("ordered"), workers(2), ordered()))
                .pipe(Task.async(x -> CompletableFuture.completedFuture(x), named("async"), workers(4)))
                .pipe(Task.join(in -> in.mapToInt(Integer::intValue).sum(), named("sum")))
                .on(flink);
        try (PipelineRun<Integer> run = p.start(1000)) {
            assertEquals(List.of(1_001_000), run.outputs().toList()); // 2 × (1 + ... + 1000)
            RunMetrics m = run.metrics();
            assertTrue(m.finished());
            assertTrue(m.elapsed().compareTo(Duration.ZERO) > 0);
            assertEquals(
                    List.of("source", "twice", "ordered", "async", "sum"),
                    m.tasks().stream().map(TaskMetrics::name).toList());
            assertFigures(m.tasks().get(0), 1, 1, 1000, 1);
            assertFigures(m.tasks().get(1), 3, 1000, 2000, 1000);
            assertFigures(m.tasks().get(2), 2, 2000, 2000, 2000);
            assertFigures(m.tasks().get(3), 4, 2000, 2000, 2000);
            assertFigures(m.tasks().get(4), 1, 2000, 1, 1);
            for (TaskMetrics t : m.tasks()) {
                assertEquals(0, t.busyWorkers(), t.name());
                assertEquals(0, t.buffered(), t.name());
                assertEquals(0, t.failed(), t.name());
                assertTrue(t.meanTime().compareTo(Duration.ZERO) > 0, t.name());
            }
        }
    }

    @Test
    void busyWorkersAndTheItemsWaitingForThemAreVisibleWhileTheRunGoes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allBusy = new CountDownLatch(2);
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("source"))
                .pipe(Task.task(
                        x -> {
                            allBusy.countDown();
                            release.await(60, TimeUnit.SECONDS);
                            return x;
                        },
                        named("slow"),
                        workers(2)))
                .on(flink);
        try (PipelineRun<Integer> run = p.start(100)) {
            assertTrue(allBusy.await(60, TimeUnit.SECONDS));
            Tck.eventually(() -> run.metrics().tasks().get(1).busyWorkers() == 2, "both workers of 'slow' busy");
            Tck.eventually(
                    () -> run.metrics().tasks().get(0).buffered() == 98,
                    "the 98 items that wait for 'slow' counted as buffered after the source");
            RunMetrics live = run.metrics();
            assertFalse(live.finished());
            assertEquals(100, live.tasks().get(0).itemsOut());
            assertEquals(2, live.tasks().get(1).itemsIn());
            release.countDown();
            assertEquals(100, run.outputs().count());
            TaskMetrics slow = run.metrics().tasks().get(1);
            assertEquals(100, slow.invocations());
            assertEquals(0, slow.busyWorkers());
        }
    }

    @Test
    void failedInvocationsAndTheFunctionsTimeAreCounted() {
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList())
                .pipe(Task.task(
                        x -> {
                            long until =
                                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1); // a function that takes 1 ms
                            while (System.nanoTime() - until < 0) {
                                Thread.onSpinWait();
                            }
                            if (x == 3) {
                                throw new IllegalStateException("three");
                            }
                            return x;
                        },
                        named("picky")))
                .on(flink);
        try (PipelineRun<Integer> run = p.start(10)) {
            assertThrows(PipelineException.class, () -> run.outputs().toList());
            TaskMetrics picky = run.metrics().tasks().get(1);
            assertTrue(run.metrics().finished());
            assertEquals(1, picky.failed());
            assertEquals(4, picky.invocations());
            assertTrue(picky.meanTime().compareTo(Duration.ofMillis(1)) >= 0, "mean " + picky.meanTime());
            assertTrue(picky.p99Time().compareTo(Duration.ofMillis(1)) >= 0, "p99 " + picky.p99Time());
        }
    }

    private static void assertFigures(TaskMetrics t, int workers, long in, long out, long invocations) {
        assertEquals(workers, t.workers(), t.name() + " workers");
        assertEquals(in, t.itemsIn(), t.name() + " in");
        assertEquals(out, t.itemsOut(), t.name() + " out");
        assertEquals(invocations, t.invocations(), t.name() + " invocations");
    }
}
