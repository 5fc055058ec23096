package dev.pyper.micrometer;

import static dev.pyper.Task.branch;
import static dev.pyper.Task.generator;
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
import dev.pyper.Task;
import dev.pyper.TaskMetrics;
import dev.pyper.threads.ThreadExecutor;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // resources that only need closing
class PipelineRunMetricsTest {

    static final Set<String> TASK_METERS = Set.of(
            "pyper.task.input",
            "pyper.task.output",
            "pyper.task.calls",
            "pyper.task.failed",
            "pyper.task.calls.p99",
            "pyper.task.workers",
            "pyper.task.busy",
            "pyper.task.buffered",
            "pyper.task.retries",
            "pyper.task.timeouts",
            "pyper.task.skipped",
            "pyper.task.dead.lettered",
            "pyper.task.rate.waits",
            "pyper.task.key.waits");
    static final Set<String> RUN_METERS = Set.of("pyper.runs.active", "pyper.runs", "pyper.run.elapsed");

    private final ThreadExecutor executor = new ThreadExecutor();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeExecutor() {
        executor.close();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private Pipeline<Integer, Integer> doubling() {
        return branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task((Integer x) -> x * 2, workers(4), named("double")))
                .on(executor);
    }

    @Test
    void theMetersCarryThePipelineAndTaskTagsAndEndAtTheRunsExactMetrics() {
        try (PipelineRun<Integer> run = doubling().start(1_000);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "doubling", Tag.of("app", "test"))) {
            assertEquals(1_000, run.outputs().count());
            RunMetrics end = run.metrics();
            assertTrue(end.finished(), "the outputs have ended, and so has every worker");

            Set<String> names =
                    registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toSet());
            assertEquals(union(TASK_METERS, RUN_METERS), names);
            for (Meter meter : registry.getMeters()) {
                assertEquals(
                        "doubling",
                        meter.getId().getTag("pipeline"),
                        meter.getId().toString());
                assertEquals("test", meter.getId().getTag("app"), meter.getId().toString());
                if (TASK_METERS.contains(meter.getId().getName())) {
                    assertTrue(
                            Set.of("range", "double").contains(meter.getId().getTag("task")),
                            meter.getId().toString());
                } else {
                    assertEquals(null, meter.getId().getTag("task"), "a run meter has no task tag");
                }
            }
            for (TaskMetrics task : end.tasks()) {
                assertTaskMeters(registry, "doubling", task);
            }
            assertEquals(
                    1_000,
                    registry.get("pyper.task.output")
                            .tag("task", "range")
                            .functionCounter()
                            .count());
            assertEquals(0, registry.get("pyper.runs.active").gauge().value());
            assertEquals(1, registry.get("pyper.runs").functionTimer().count());
            assertNanos(
                    end.elapsed().toNanos(),
                    registry.get("pyper.runs").functionTimer().totalTime(TimeUnit.NANOSECONDS),
                    "runs");
            assertNanos(
                    end.elapsed().toNanos(),
                    registry.get("pyper.run.elapsed").timeGauge().value(TimeUnit.NANOSECONDS),
                    "elapsed");
        }
    }

    /** Every task meter reads what the run's final metrics say. */
    static void assertTaskMeters(MeterRegistry registry, String pipeline, TaskMetrics task) {
        String[] tags = {"pipeline", pipeline, "task", task.name()};
        assertEquals(
                task.itemsIn(),
                registry.get("pyper.task.input").tags(tags).functionCounter().count(),
                task.name());
        assertEquals(
                task.itemsOut(),
                registry.get("pyper.task.output").tags(tags).functionCounter().count(),
                task.name());
        assertEquals(
                task.invocations(),
                registry.get("pyper.task.calls").tags(tags).functionTimer().count(),
                task.name());
        assertNanos(
                (double) task.meanTime().toNanos() * task.invocations(),
                registry.get("pyper.task.calls").tags(tags).functionTimer().totalTime(TimeUnit.NANOSECONDS),
                task.name());
        assertEquals(
                task.failed(),
                registry.get("pyper.task.failed").tags(tags).functionCounter().count(),
                task.name());
        assertNanos(
                task.p99Time().toNanos(),
                registry.get("pyper.task.calls.p99").tags(tags).timeGauge().value(TimeUnit.NANOSECONDS),
                task.name());
        assertEquals(
                task.workers(),
                registry.get("pyper.task.workers").tags(tags).gauge().value(),
                task.name());
        assertEquals(
                task.busyWorkers(),
                registry.get("pyper.task.busy").tags(tags).gauge().value(),
                task.name());
        assertEquals(
                task.buffered(),
                registry.get("pyper.task.buffered").tags(tags).gauge().value(),
                task.name());
        assertEquals(
                task.retries(),
                registry.get("pyper.task.retries").tags(tags).functionCounter().count(),
                task.name());
        assertEquals(
                task.timeouts(),
                registry.get("pyper.task.timeouts").tags(tags).functionCounter().count(),
                task.name());
        assertEquals(
                task.skipped(),
                registry.get("pyper.task.skipped").tags(tags).functionCounter().count(),
                task.name());
        assertEquals(
                task.deadLettered(),
                registry.get("pyper.task.dead.lettered")
                        .tags(tags)
                        .functionCounter()
                        .count(),
                task.name());
        assertEquals(
                task.rateDelayed(),
                registry.get("pyper.task.rate.waits").tags(tags).functionTimer().count(),
                task.name());
        assertNanos(
                task.rateWaited().toNanos(),
                registry.get("pyper.task.rate.waits").tags(tags).functionTimer().totalTime(TimeUnit.NANOSECONDS),
                task.name());
        assertEquals(
                task.keyDelayed(),
                registry.get("pyper.task.key.waits").tags(tags).functionTimer().count(),
                task.name());
        assertNanos(
                task.keyWaited().toNanos(),
                registry.get("pyper.task.key.waits").tags(tags).functionTimer().totalTime(TimeUnit.NANOSECONDS),
                task.name());
    }

    @Test
    void theInputsThatWaitedForABusyKeyAreCountedWithTheirWait() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch coldRan = new CountDownLatch(1);
        // inputs 0, 1, 2 are of the key "hot", 3 of "cold": 1 and 2 wait while 0 holds the hot key
        Pipeline<Integer, Integer> keyed = branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task(
                        (Integer x) -> {
                            if (x == 0) {
                                release.await();
                            }
                            if (x == 3) {
                                coldRan.countDown();
                            }
                            return x;
                        },
                        named("apply"),
                        workers(3),
                        Task.byKey((Integer x) -> x < 3 ? "hot" : "cold")))
                .on(executor);
        try (PipelineRun<Integer> run = keyed.start(4);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "keyed")) {
            assertTrue(coldRan.await(10, TimeUnit.SECONDS), "the cold key ran behind the busy hot key");
            assertEquals(
                    2,
                    registry.get("pyper.task.key.waits")
                            .tag("task", "apply")
                            .functionTimer()
                            .count(),
                    "inputs 1 and 2 wait for the hot key, and are counted while they wait");
            release.countDown();
            assertEquals(4, run.outputs().count());
            TaskMetrics apply = run.metrics().tasks().get(1);
            assertEquals(2, apply.keyDelayed());
            assertTrue(apply.keyWaited().isPositive(), () -> "inputs 1 and 2 waited: " + apply.keyWaited());
            assertTaskMeters(registry, "keyed", apply);
            TaskMetrics range = run.metrics().tasks().get(0);
            assertEquals(0, range.keyDelayed(), "a task without a key waits for none");
            assertTaskMeters(registry, "keyed", range);
        }
    }

    @Test
    void theFailuresATaskSurvivedAreCounted() {
        java.util.Map<Integer, Integer> attempts = new java.util.concurrent.ConcurrentHashMap<>();
        Pipeline<Integer, Integer> flaky = branch(
                        (Integer n) -> IntStream.range(0, n).boxed().toList(), named("range"))
                .pipe(task(
                        (Integer x) -> {
                            if (x % 10 == 0) {
                                throw new IllegalStateException("bad record " + x); // always
                            }
                            if (attempts.merge(x, 1, Integer::sum) == 1 && x % 3 == 0) {
                                throw new java.io.IOException("reset on " + x); // once
                            }
                            return x;
                        },
                        named("fetch"),
                        workers(2),
                        Task.retry(1)
                                .backoff(java.time.Duration.ZERO, java.time.Duration.ZERO)
                                .on(java.io.IOException.class),
                        Task.skipFailures()))
                .on(executor);
        try (PipelineRun<Integer> run = flaky.start(100);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "flaky")) {
            assertEquals(90, run.outputs().count());
            TaskMetrics fetch = run.metrics().tasks().get(1);
            assertEquals(10, fetch.skipped());
            assertEquals(
                    IntStream.range(0, 100)
                            .filter(x -> x % 3 == 0 && x % 10 != 0)
                            .count(),
                    fetch.retries());
            assertTaskMeters(registry, "flaky", fetch);
        }
    }

    /** A time that went through Micrometer's base unit, seconds, and back: equal but for rounding. */
    static void assertNanos(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.max(1e-9 * expected, 1e-6), what);
    }

    @Test
    void theGaugesShowBusyWorkersAndBufferedItemsWhileTheRunGoes() throws InterruptedException {
        CountDownLatch producedAll = new CountDownLatch(1);
        CountDownLatch threeBusy = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        Pipeline<Integer, Integer> blocked = generator(
                        (Integer n, dev.pyper.Emitter<Integer> out) -> {
                            for (int i = 0; i < n; i++) {
                                out.emit(i);
                            }
                            producedAll.countDown();
                        },
                        named("produce"))
                .pipe(task(
                        (Integer x) -> {
                            threeBusy.countDown();
                            release.await();
                            return x;
                        },
                        workers(3),
                        named("wait")))
                .on(executor);
        try (PipelineRun<Integer> run = blocked.start(5);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "blocked")) {
            assertTrue(producedAll.await(10, TimeUnit.SECONDS) && threeBusy.await(10, TimeUnit.SECONDS));
            assertEquals(1, registry.get("pyper.runs.active").gauge().value());
            assertEquals(
                    3,
                    registry.get("pyper.task.busy").tag("task", "wait").gauge().value());
            assertEquals(
                    3,
                    registry.get("pyper.task.workers")
                            .tag("task", "wait")
                            .gauge()
                            .value());
            assertEquals(
                    2,
                    registry.get("pyper.task.buffered")
                            .tag("task", "produce")
                            .gauge()
                            .value(),
                    "five produced, three taken by the blocked workers");
            assertEquals(
                    5,
                    registry.get("pyper.task.output")
                            .tag("task", "produce")
                            .functionCounter()
                            .count());
            assertEquals(0, registry.get("pyper.runs").functionTimer().count(), "no run has ended");
            assertTrue(registry.get("pyper.run.elapsed").timeGauge().value(TimeUnit.NANOSECONDS) > 0);
            release.countDown();
            assertEquals(5, run.outputs().count());
            assertEquals(
                    0,
                    registry.get("pyper.task.busy").tag("task", "wait").gauge().value());
            assertEquals(
                    0,
                    registry.get("pyper.task.buffered")
                            .tag("task", "produce")
                            .gauge()
                            .value());
        }
    }

    @Test
    void failedCallsAreCounted() {
        Pipeline<Integer, Integer> failing = branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task((Integer x) -> 10 / (x - 2), named("divide")))
                .on(executor);
        try (PipelineRun<Integer> run = failing.start(5);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "failing")) {
            assertThrows(PipelineException.class, () -> run.outputs().count());
            assertEquals(
                    1,
                    registry.get("pyper.task.failed")
                            .tag("task", "divide")
                            .functionCounter()
                            .count());
            assertEquals(
                    run.metrics().tasks().get(1).invocations(),
                    registry.get("pyper.task.calls")
                            .tag("task", "divide")
                            .functionTimer()
                            .count());
            assertEquals(1, registry.get("pyper.runs").functionTimer().count());
        }
    }

    @Test
    void closingRemovesTheMetersAndLetsTheRunGo() throws InterruptedException {
        PipelineRunMetrics[] binder = new PipelineRunMetrics[1];
        Collected<PipelineRun<Integer>> run = Collected.watch(() -> {
            PipelineRun<Integer> started = doubling().start(100);
            binder[0] = PyperMetrics.monitor(registry, started, "doubling");
            assertEquals(100, started.outputs().count());
            started.close();
            return started;
        });
        assertEquals(
                2 * TASK_METERS.size() + RUN_METERS.size(),
                registry.getMeters().size(),
                "two tasks' meters and the run's");
        binder[0].close();
        assertEquals(List.of(), registry.getMeters());
        binder[0].close(); // idempotent
        run.assertCollected("the run, with its binder and registry still reachable");
        assertThrows(IllegalStateException.class, () -> binder[0].bindTo(registry), "a closed binder binds no more");
    }

    @Test
    void theMetersKeepNeitherAnUnclosedBinderNorItsRunAlive() throws InterruptedException {
        Collected<PipelineRun<Integer>> run = Collected.watch(() -> {
            PipelineRun<Integer> started = doubling().start(100);
            PyperMetrics.monitor(registry, started, "doubling"); // dropped without close
            assertEquals(100, started.outputs().count());
            started.close();
            return started;
        });
        run.assertCollected("the run, with its meters still in the registry");
        assertTrue(
                Double.isNaN(registry.get("pyper.task.workers")
                        .tag("task", "double")
                        .gauge()
                        .value()),
                "a gauge whose binder is gone reads NaN, as Micrometer's gauges do");
        try (PipelineRun<Integer> again = doubling().start(7);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, again, "doubling")) {
            assertEquals(7, again.outputs().count());
            assertEquals(
                    7,
                    registry.get("pyper.task.input")
                            .tag("task", "double")
                            .functionCounter()
                            .count(),
                    "a new binding of the name replaces the meters of the one that was dropped");
            assertEquals(
                    2 * TASK_METERS.size() + RUN_METERS.size(),
                    registry.getMeters().size());
        }
        assertEquals(List.of(), registry.getMeters());
    }

    @Test
    void aSecondBinderOfOnePipelineNameIsRefusedWhileTheFirstIsOpen() {
        try (PipelineRun<Integer> first = doubling().start(10);
                PipelineRun<Integer> second = doubling().start(10)) {
            PipelineRunMetrics bound = PyperMetrics.monitor(registry, first, "doubling");
            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> PyperMetrics.monitor(registry, second, "doubling"));
            assertTrue(refused.getMessage().contains("MeteredPipeline"), refused.getMessage());
            int meters = registry.getMeters().size();
            try (PipelineRunMetrics tagged =
                    PyperMetrics.monitor(registry, second, "doubling", Tag.of("run", "second"))) {
                assertEquals(2 * meters, registry.getMeters().size(), "other tags, other meters");
            }
            bound.close();
            assertEquals(List.of(), registry.getMeters());
            try (PipelineRunMetrics again = PyperMetrics.monitor(registry, second, "doubling")) {
                assertEquals(meters, registry.getMeters().size());
            }
        }
    }

    @Test
    void aRegistryThatRefusesAMeterIsLeftAsItWas() {
        boolean[] refuse = {true};
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (refuse[0] && id.getName().equals("pyper.task.busy")) {
                    throw new IllegalStateException("refused by the test");
                }
                return id;
            }
        });
        try (PipelineRun<Integer> run = doubling().start(10)) {
            assertThrows(IllegalStateException.class, () -> PyperMetrics.monitor(registry, run, "doubling"));
            assertEquals(List.of(), registry.getMeters(), "the meters registered before the refusal are removed");
            refuse[0] = false;
            try (PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "doubling")) {
                assertEquals(10, run.outputs().count());
                assertEquals(
                        10,
                        registry.get("pyper.task.input")
                                .tag("task", "double")
                                .functionCounter()
                                .count(),
                        "the refused binding left no claim on its name");
            }
        }
    }

    @Test
    void tasksThatShareANameAreToldApart() {
        Pipeline<Integer, Integer> twice = branch(PipelineRunMetricsTest::range, named("range"))
                .pipe(task((Integer x) -> x + 1, named("inc")))
                .pipe(task((Integer x) -> x + 1, named("inc")))
                .on(executor);
        try (PipelineRun<Integer> run = twice.start(3);
                PipelineRunMetrics meters = PyperMetrics.monitor(registry, run, "twice")) {
            assertEquals(3, run.outputs().count());
            Set<String> tasks = registry.find("pyper.task.input").meters().stream()
                    .map(m -> m.getId().getTag("task"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(Set.of("range", "inc", "inc#2")), tasks);
        }
    }

    @Test
    @SuppressWarnings("ReturnValueIgnored") // count() drains the run; its value is not the point
    void badArgumentsAreRefusedWithTheirName() {
        try (PipelineRun<Integer> run = doubling().start(1)) {
            assertThrows(IllegalArgumentException.class, () -> PyperMetrics.monitor(registry, run, " "));
            assertThrows(IllegalArgumentException.class, () -> PyperMetrics.monitor(null, run, "x"));
            assertThrows(IllegalArgumentException.class, () -> new PipelineRunMetrics(null, "x", Tags.empty()));
            assertEquals(List.of(), registry.getMeters());
            run.outputs().count();
        }
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
