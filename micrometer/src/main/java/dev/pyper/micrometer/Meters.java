package dev.pyper.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of a binding, every one a function of its {@link MeterSource} (held weakly, as
 * Micrometer holds the object of a function meter by default). {@link PyperMetrics} lists them
 * for users.
 */
final class Meters {

    private Meters() {}

    /**
     * Registers the meters of the runs as a whole, tagged with the binding's tags ({@code pipeline}
     * among them), adding each to {@code into} as it is registered: if the registry refuses one,
     * {@code into} has those to remove.
     */
    static void ofRuns(MeterRegistry registry, MeterSource source, Tags tags, List<Meter> into) {
        into.add(gauge(
                registry, source, "pyper.runs.active", runs(Totals::activeRuns), "Runs that are going", "runs", tags));
        into.add(FunctionTimer.builder(
                        "pyper.runs",
                        source,
                        s -> {
                            Totals t = s.read();
                            return t == null ? 0 : t.endedRuns();
                        },
                        runs(Totals::endedNanos),
                        TimeUnit.NANOSECONDS)
                .description("Runs that have ended, and their durations")
                .tags(tags)
                .register(registry));
        into.add(TimeGauge.builder("pyper.run.elapsed", source, TimeUnit.NANOSECONDS, runs(Totals::elapsedNanos))
                .description("Time since the run started (for a metered pipeline: its oldest active run; 0 when none)")
                .tags(tags)
                .register(registry));
    }

    /** Registers the meters of each task, tagged with the binding's tags and {@code task}, into {@code into} as {@link #ofRuns}. */
    static void ofTasks(MeterRegistry registry, MeterSource source, List<String> names, Tags tags, List<Meter> into) {
        for (int i = 0; i < names.size(); i++) {
            int task = i;
            Tags tagged = tags.and("task", names.get(i));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.input",
                    task(task, Totals.TaskTotals::itemsIn),
                    "Inputs the task has taken (a join: items read from its input stream)",
                    "items",
                    tagged));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.output",
                    task(task, Totals.TaskTotals::itemsOut),
                    "Outputs the task has passed on",
                    "items",
                    tagged));
            into.add(FunctionTimer.builder(
                            "pyper.task.calls",
                            source,
                            s -> {
                                Totals t = s.read();
                                return t == null ? 0 : t.tasks().get(task).calls();
                            },
                            task(task, Totals.TaskTotals::callNanos),
                            TimeUnit.NANOSECONDS)
                    .description("Calls of the task's function, and the time spent in them (from sampled calls)")
                    .tags(tagged)
                    .register(registry));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.failed",
                    task(task, Totals.TaskTotals::failed),
                    "Calls of the task's function that threw",
                    "calls",
                    tagged));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.retries",
                    task(task, t -> t.survived().retries()),
                    "Attempts of the task's function that failed and were made again (retry)",
                    "attempts",
                    tagged));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.timeouts",
                    task(task, t -> t.survived().timeouts()),
                    "Attempts of the task's function that ran past its timeout",
                    "attempts",
                    tagged));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.skipped",
                    task(task, t -> t.survived().skipped()),
                    "Inputs dropped after their invocation failed for good (skipFailures)",
                    "items",
                    tagged));
            into.add(counter(
                    registry,
                    source,
                    "pyper.task.dead.lettered",
                    task(task, t -> t.survived().deadLettered()),
                    "Inputs handed to the dead-letter sink after their invocation failed for good",
                    "items",
                    tagged));
            into.add(FunctionTimer.builder(
                            "pyper.task.rate.waits",
                            source,
                            s -> {
                                Totals t = s.read();
                                return t == null
                                        ? 0
                                        : t.tasks().get(task).survived().rateDelayed();
                            },
                            task(task, t -> t.survived().rateWaitNanos()),
                            TimeUnit.NANOSECONDS)
                    .description(
                            "Attempts that waited for a token of the task's rate, and how long they waited (rate, SPEC 10.1)")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionTimer.builder(
                            "pyper.task.key.waits",
                            source,
                            s -> {
                                Totals t = s.read();
                                return t == null
                                        ? 0
                                        : t.tasks().get(task).survived().keyDelayed();
                            },
                            task(task, t -> t.survived().keyWaitNanos()),
                            TimeUnit.NANOSECONDS)
                    .description(
                            "Inputs that waited for their key, busy with another input, and how long they waited (byKey, SPEC 10.10)")
                    .tags(tagged)
                    .register(registry));
            into.add(TimeGauge.builder(
                            "pyper.task.calls.p99",
                            source,
                            TimeUnit.NANOSECONDS,
                            task(task, Totals.TaskTotals::p99Nanos))
                    .description("The 99th percentile of one call's time (of the active runs: the largest)")
                    .tags(tagged)
                    .register(registry));
            into.add(gauge(
                    registry,
                    source,
                    "pyper.task.workers",
                    task(task, Totals.TaskTotals::workers),
                    "Workers the task has (in the active runs of a metered pipeline)",
                    "workers",
                    tagged));
            into.add(gauge(
                    registry,
                    source,
                    "pyper.task.busy",
                    task(task, Totals.TaskTotals::busy),
                    "Workers inside the task's function now",
                    "workers",
                    tagged));
            into.add(gauge(
                    registry,
                    source,
                    "pyper.task.buffered",
                    task(task, Totals.TaskTotals::buffered),
                    "Outputs of the task waiting in its output buffer now",
                    "items",
                    tagged));
        }
    }

    /** A counter of the source, with its description, base unit and tags. */
    private static FunctionCounter counter(
            MeterRegistry registry,
            MeterSource source,
            String name,
            ToDoubleFunction<MeterSource> count,
            String description,
            String unit,
            Tags tags) {
        return FunctionCounter.builder(name, source, count)
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .register(registry);
    }

    /** A gauge of the source, with its description, base unit and tags. */
    private static Gauge gauge(
            MeterRegistry registry,
            MeterSource source,
            String name,
            ToDoubleFunction<MeterSource> value,
            String description,
            String unit,
            Tags tags) {
        return Gauge.builder(name, source, value)
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .register(registry);
    }

    /** A run-level value; NaN once the binding is closed. Captures no source: the meter passes it. */
    private static ToDoubleFunction<MeterSource> runs(ToDoubleFunction<Totals> value) {
        return s -> {
            Totals t = s.read();
            return t == null ? Double.NaN : value.applyAsDouble(t);
        };
    }

    /** A value of task {@code task}; NaN once the binding is closed. Captures no source: the meter passes it. */
    private static ToDoubleFunction<MeterSource> task(int task, ToDoubleFunction<Totals.TaskTotals> value) {
        return s -> {
            Totals t = s.read();
            return t == null ? Double.NaN : value.applyAsDouble(t.tasks().get(task));
        };
    }
}
