package dev.pyper.micrometer;

import static dev.pyper.Task.branch;
import static dev.pyper.Task.named;
import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import dev.pyper.threads.ThreadExecutor;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // resources that only need closing
class MeteredPipelineTest {

    private final ThreadExecutor executor = new ThreadExecutor();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeExecutor() {
        executor.close();
    }

    private Pipeline<Integer, Integer> doubling() {
        return branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task((Integer x) -> x * 2, workers(4), named("double")))
                .on(executor);
    }

    private Set<String> meterNames() {
        return registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toSet());
    }

    @Test
    void theMetersAddUpEveryRunStartedThroughTheWrapper() {
        try (MeteredPipeline<Integer, Integer> doubling =
                PyperMetrics.monitor(registry, doubling(), "doubling", Tag.of("app", "test"))) {
            assertEquals(PipelineRunMetricsTest.RUN_METERS, meterNames(), "the task meters come with the first run");
            assertEquals(0, registry.get("pyper.runs").functionTimer().count());

            List<RunMetrics> ends = new ArrayList<>();
            assertEquals(Set.of(0, 2, 4), Set.copyOf(doubling.toList(3)));
            List<Integer> each = new ArrayList<>();
            doubling.forEach(5, each::add);
            assertEquals(5, each.size());
            try (Stream<Integer> outputs = doubling.stream(100)) {
                assertEquals(100, outputs.count());
            }
            try (PipelineRun<Integer> run = doubling.start(7)) {
                assertEquals(7, run.outputs().count());
                ends.add(run.metrics());
            }
            assertEquals(
                    PipelineRunMetricsTest.union(PipelineRunMetricsTest.TASK_METERS, PipelineRunMetricsTest.RUN_METERS),
                    meterNames());
            assertEquals(4, registry.get("pyper.runs").functionTimer().count());
            assertEquals(0, registry.get("pyper.runs.active").gauge().value());
            assertEquals(
                    0, registry.get("pyper.run.elapsed").timeGauge().value(TimeUnit.NANOSECONDS), "no run is going");
            for (String task : List.of("range", "double")) {
                String[] tags = {"pipeline", "doubling", "app", "test", "task", task};
                assertEquals(
                        3 + 5 + 100 + 7,
                        registry.get("pyper.task.output")
                                .tags(tags)
                                .functionCounter()
                                .count(),
                        task);
                assertEquals(
                        0, registry.get("pyper.task.busy").tags(tags).gauge().value(), task);
                assertEquals(
                        0,
                        registry.get("pyper.task.buffered").tags(tags).gauge().value(),
                        task);
            }
            assertEquals(
                    3 + 5 + 100 + 7,
                    registry.get("pyper.task.calls")
                            .tag("task", "double")
                            .functionTimer()
                            .count());
            assertEquals(
                    4,
                    registry.get("pyper.task.calls")
                            .tag("task", "range")
                            .functionTimer()
                            .count(),
                    "one call per run");
            TaskMetrics lastRange = ends.get(0).tasks().get(0);
            PipelineRunMetricsTest.assertNanos(
                    lastRange.p99Time().toNanos(),
                    registry.get("pyper.task.calls.p99")
                            .tag("task", "range")
                            .timeGauge()
                            .value(TimeUnit.NANOSECONDS),
                    "with no run going, the p99 of the run that ended last");
        }
        assertEquals(List.of(), registry.getMeters());
    }

    @Test
    void runsThatOverlapAreSummedWhileTheyGo() throws InterruptedException {
        CountDownLatch fourBusy = new CountDownLatch(4);
        CountDownLatch releaseOnes = new CountDownLatch(1);
        CountDownLatch releaseTwos = new CountDownLatch(1);
        Pipeline<Integer, Integer> blocked = branch((Integer n) -> List.of(n, n), named("twice"))
                .pipe(task(
                        (Integer x) -> {
                            fourBusy.countDown();
                            (x == 1 ? releaseOnes : releaseTwos).await();
                            return x;
                        },
                        workers(2),
                        named("wait")))
                .on(executor);
        try (MeteredPipeline<Integer, Integer> metered = PyperMetrics.monitor(registry, blocked, "blocked");
                PipelineRun<Integer> ones = metered.start(1);
                PipelineRun<Integer> twos = metered.start(2)) {
            assertTrue(fourBusy.await(10, TimeUnit.SECONDS));
            assertEquals(2, registry.get("pyper.runs.active").gauge().value());
            assertEquals(
                    4,
                    registry.get("pyper.task.busy").tag("task", "wait").gauge().value());
            assertEquals(
                    4,
                    registry.get("pyper.task.workers")
                            .tag("task", "wait")
                            .gauge()
                            .value());
            assertEquals(
                    4,
                    registry.get("pyper.task.input")
                            .tag("task", "wait")
                            .functionCounter()
                            .count());
            assertTrue(registry.get("pyper.run.elapsed").timeGauge().value(TimeUnit.NANOSECONDS) > 0);
            releaseOnes.countDown();
            assertEquals(List.of(1, 1), ones.outputs().toList());
            assertEquals(
                    1, registry.get("pyper.runs.active").gauge().value(), "the first has ended, the second is blocked");
            assertEquals(1, registry.get("pyper.runs").functionTimer().count());
            assertEquals(
                    2,
                    registry.get("pyper.task.busy").tag("task", "wait").gauge().value());
            releaseTwos.countDown();
            assertEquals(List.of(2, 2), twos.outputs().toList());
            assertEquals(0, registry.get("pyper.runs.active").gauge().value());
            assertEquals(2, registry.get("pyper.runs").functionTimer().count());
            assertEquals(
                    4,
                    registry.get("pyper.task.output")
                            .tag("task", "wait")
                            .functionCounter()
                            .count());
        }
    }

    @Test
    void aFailedRunCountsItsFailedCall() {
        Pipeline<Integer, Integer> failing = branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task((Integer x) -> 10 / (x - 2), named("divide")))
                .on(executor);
        try (MeteredPipeline<Integer, Integer> metered = PyperMetrics.monitor(registry, failing, "failing")) {
            assertThrows(PipelineException.class, () -> metered.toList(5));
            assertThrows(PipelineException.class, () -> metered.toList(5));
            assertEquals(
                    2,
                    registry.get("pyper.task.failed")
                            .tag("task", "divide")
                            .functionCounter()
                            .count());
            assertEquals(2, registry.get("pyper.runs").functionTimer().count());
        }
    }

    @Test
    void anEndedRunIsLetGoOnceRead() throws InterruptedException {
        try (MeteredPipeline<Integer, Integer> metered = PyperMetrics.monitor(registry, doubling(), "doubling")) {
            Collected<PipelineRun<Integer>> run = Collected.watch(() -> {
                PipelineRun<Integer> started = metered.start(10);
                assertEquals(10, started.outputs().count());
                started.close();
                return started;
            });
            assertEquals(1, registry.get("pyper.runs").functionTimer().count(), "this read lets the ended run go");
            run.assertCollected("an ended run of a metered pipeline");
            assertEquals(
                    10,
                    registry.get("pyper.task.input")
                            .tag("task", "double")
                            .functionCounter()
                            .count());
        }
    }

    @Test
    void anEndedRunIsLetGoAtTheNextStartWhenNothingReads() throws InterruptedException {
        MeteredPipeline<Integer, Integer> metered =
                new MeteredPipeline<>(doubling(), "doubling", List.of()); // bound nowhere
        Collected<PipelineRun<Integer>> run = Collected.watch(() -> {
            PipelineRun<Integer> started = metered.start(10);
            assertEquals(10, started.outputs().count());
            started.close();
            return started;
        });
        assertEquals(List.of(0), metered.toList(1));
        run.assertCollected("an ended run of a metered pipeline that nothing reads, after the next start");
        metered.bindTo(registry);
        assertEquals(
                11,
                registry.get("pyper.task.input")
                        .tag("task", "double")
                        .functionCounter()
                        .count());
        metered.close();
    }

    @Test
    void closingRemovesTheMetersAndLetsGoOfRunsStillGoing() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Pipeline<Integer, Integer> blocked = branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task(
                        (Integer x) -> {
                            release.await();
                            return x;
                        },
                        named("wait")))
                .on(executor);
        MeteredPipeline<Integer, Integer> metered = PyperMetrics.monitor(registry, blocked, "blocked");
        List<PipelineRun<Integer>> runs = new ArrayList<>();
        Collected<PipelineRun<Integer>> run = Collected.watch(() -> {
            PipelineRun<Integer> started = metered.start(1);
            runs.add(started);
            return started;
        });
        metered.close();
        assertEquals(List.of(), registry.getMeters());
        release.countDown();
        drain(runs.remove(0)); // no local variable of this frame holds the run
        run.assertCollected("a run that was going when its metered pipeline was closed");
        assertEquals(Set.of(0, 1), Set.copyOf(metered.toList(2)), "the pipeline still runs, uncounted");
        assertEquals(List.of(), registry.getMeters());
        assertThrows(IllegalStateException.class, () -> metered.bindTo(registry));
    }

    private static void drain(PipelineRun<Integer> run) {
        try (run) {
            assertEquals(1, run.outputs().count());
        }
    }

    @Test
    void aRunWhoseTaskMetersARegistryRefusesIsClosedAndTheErrorThrown() throws InterruptedException {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("pyper.task.busy")) {
                    throw new IllegalStateException("refused by the test");
                }
                return id;
            }
        });
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Pipeline<Integer, Integer> blocked = branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task(
                        (Integer x) -> {
                            started.countDown();
                            try {
                                never.await();
                            } catch (InterruptedException e) {
                                interrupted.countDown();
                                throw e;
                            }
                            return x;
                        },
                        named("wait")))
                .on(executor);
        try (MeteredPipeline<Integer, Integer> metered = PyperMetrics.monitor(registry, blocked, "blocked")) {
            assertThrows(IllegalStateException.class, () -> metered.start(1));
        }
        assertEquals(List.of(), registry.getMeters());
        // The run was closed before start() threw, and close() returns once every worker has ended: a
        // worker that had started, blocked for ever, can only have ended by the run's interrupt.
        assertTrue(started.getCount() == 1 || interrupted.getCount() == 0, "the refused run was closed");
    }

    @Test
    void aWrapperBindsLateWithTheTotalsSoFar() {
        try (MeteredPipeline<Integer, Integer> metered = new MeteredPipeline<>(doubling(), "doubling", List.of())) {
            assertEquals(Set.of(0, 2), Set.copyOf(metered.toList(2)));
            assertEquals(List.of(), registry.getMeters());
            metered.bindTo(registry);
            metered.bindTo(registry); // a second time does nothing
            assertEquals(
                    2,
                    registry.get("pyper.task.output")
                            .tag("task", "double")
                            .functionCounter()
                            .count());
            assertEquals(1, registry.get("pyper.runs").functionTimer().count());
            MeterRegistry other = new SimpleMeterRegistry();
            metered.bindTo(other);
            assertEquals(List.of(0), metered.toList(1));
            assertEquals(
                    3,
                    other.get("pyper.task.output")
                            .tag("task", "double")
                            .functionCounter()
                            .count());
            assertEquals(
                    3,
                    registry.get("pyper.task.output")
                            .tag("task", "double")
                            .functionCounter()
                            .count());
        }
        assertEquals(List.of(), registry.getMeters());
    }
}
