package dev.pyper.engine;

import static dev.pyper.Task.named;
import static dev.pyper.Task.throttle;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final PlatformThreadExecutor executor = new PlatformThreadExecutor();

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void countsAreExactOnceTheRunHasEnded() {
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("source"))
                .pipe(Task.branch(x -> List.of(x, x), named("twice"), workers(3)))
                .pipe(Task.task(x -> x + 1, named("plusOne"), throttle(4)))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(1000)) {
            assertEquals(2000, run.outputs().count());
            RunMetrics m = run.metrics();
            assertTrue(m.finished());
            assertEquals(
                    List.of("source", "twice", "plusOne"),
                    m.tasks().stream().map(TaskMetrics::name).toList());
            TaskMetrics source = m.tasks().get(0);
            TaskMetrics twice = m.tasks().get(1);
            TaskMetrics plusOne = m.tasks().get(2);
            assertEquals(1, source.itemsIn());
            assertEquals(1000, source.itemsOut());
            assertEquals(1, source.invocations());
            assertEquals(1000, twice.itemsIn());
            assertEquals(2000, twice.itemsOut());
            assertEquals(1000, twice.invocations());
            assertEquals(3, twice.workers());
            assertEquals(2000, plusOne.itemsIn());
            assertEquals(2000, plusOne.itemsOut());
            for (TaskMetrics t : m.tasks()) {
                assertEquals(0, t.busyWorkers(), t.name());
                assertEquals(0, t.buffered(), t.name());
                assertEquals(0, t.failed(), t.name());
            }
        }
    }

    @Test
    void aSoleWorkersCountLagsByLessThanABatchWhileACallBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        int blockAt = 200;
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("source"))
                .pipe(Task.task(
                        x -> {
                            if (x == blockAt) {
                                blocked.countDown();
                                release.await(10, TimeUnit.SECONDS);
                            }
                            return x;
                        },
                        named("sole")))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(1000)) {
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            TaskMetrics sole = run.metrics().tasks().get(1);
            assertEquals(1, sole.busyWorkers());
            assertTrue(
                    sole.invocations() <= blockAt && sole.invocations() > blockAt - Stage.MAX_BATCH,
                    "published " + sole.invocations() + " of the " + blockAt + " calls that ended");
            release.countDown();
            assertEquals(1000, run.outputs().count());
            assertEquals(1000, run.metrics().tasks().get(1).invocations());
        }
    }

    @Test
    void busyWorkersAndBufferedItemsAreVisibleWhileTheRunGoes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allBusy = new CountDownLatch(4);
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("source"), throttle(5))
                .pipe(Task.task(
                        x -> {
                            allBusy.countDown();
                            release.await(10, TimeUnit.SECONDS);
                            return x;
                        },
                        named("slow"),
                        workers(4)))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(100)) {
            assertTrue(allBusy.await(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            TaskMetrics slow;
            TaskMetrics source;
            do {
                RunMetrics m = run.metrics();
                source = m.tasks().get(0);
                slow = m.tasks().get(1);
            } while ((slow.busyWorkers() != 4 || source.buffered() != 5) && System.nanoTime() < deadline);
            assertEquals(4, slow.busyWorkers());
            assertEquals(5, source.buffered(), "the throttled buffer is full");
            assertFalse(run.metrics().finished());
            release.countDown();
            assertEquals(100, run.outputs().count());
            TaskMetrics done = run.metrics().tasks().get(1);
            assertEquals(100, done.invocations());
            assertTrue(done.meanTime().compareTo(Duration.ZERO) > 0);
            assertTrue(done.p99Time().compareTo(done.meanTime()) >= 0
                    || done.p99Time().compareTo(Duration.ofMillis(1)) > 0);
        }
    }

    @Test
    void failedInvocationsAreCounted() {
        Pipeline<Integer, Integer> p = Task.branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList())
                .pipe(Task.task(
                        x -> {
                            if (x == 3) {
                                throw new IllegalStateException("three");
                            }
                            return x;
                        },
                        named("picky")))
                .on(executor);
        try (PipelineRun<Integer> run = p.start(10)) {
            assertThrows(PipelineException.class, () -> run.outputs().toList());
            TaskMetrics picky = run.metrics().tasks().get(1);
            assertEquals(1, picky.failed());
            assertEquals(4, picky.invocations());
        }
    }
}
