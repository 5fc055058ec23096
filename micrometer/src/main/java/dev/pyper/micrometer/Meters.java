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

    private Meters() {
    }

    /**
     * Registers the meters of the runs as a whole, tagged with the binding's tags ({@code pipeline}
     * among them), adding each to {@code into} as it is registered: if the registry refuses one,
     * {@code into} has those to remove.
     */
    static void ofRuns(MeterRegistry registry, MeterSource source, Tags tags, List<Meter> into) {
        into.add(Gauge.builder("pyper.runs.active", source, runs(Totals::activeRuns))
                .description("Runs that are going")
                .baseUnit("runs")
                .tags(tags)
                .register(registry));
        into.add(FunctionTimer.builder("pyper.runs", source,
                        s -> {
                            Totals t = s.read();
                            return t == null ? 0 : t.endedRuns();
                        },
                        runs(Totals::endedNanos), TimeUnit.NANOSECONDS)
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
            into.add(FunctionCounter.builder("pyper.task.input", source, task(task, Totals.TaskTotals::itemsIn))
                    .description("Inputs the task has taken (a join: items read from its input stream)")
                    .baseUnit("items")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionCounter.builder("pyper.task.output", source, task(task, Totals.TaskTotals::itemsOut))
                    .description("Outputs the task has passed on")
                    .baseUnit("items")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionTimer.builder("pyper.task.calls", source,
                            s -> {
                                Totals t = s.read();
                                return t == null ? 0 : t.tasks().get(task).calls();
                            },
                            task(task, Totals.TaskTotals::callNanos), TimeUnit.NANOSECONDS)
                    .description("Calls of the task's function, and the time spent in them (from sampled calls)")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionCounter.builder("pyper.task.failed", source, task(task, Totals.TaskTotals::failed))
                    .description("Calls of the task's function that threw")
                    .baseUnit("calls")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionCounter.builder("pyper.task.retries", source, task(task, t -> t.survived().retries()))
                    .description("Attempts of the task's function that failed and were made again (retry)")
                    .baseUnit("attempts")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionCounter.builder("pyper.task.timeouts", source, task(task, t -> t.survived().timeouts()))
                    .description("Attempts of the task's function that ran past its timeout")
                    .baseUnit("attempts")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionCounter.builder("pyper.task.skipped", source, task(task, t -> t.survived().skipped()))
                    .description("Inputs dropped after their invocation failed for good (skipFailures)")
                    .baseUnit("items")
                    .tags(tagged)
                    .register(registry));
            into.add(FunctionCounter.builder("pyper.task.dead.lettered", source, task(task, t -> t.survived().deadLettered()))
                    .description("Inputs handed to the dead-letter sink after their invocation failed for good")
                    .baseUnit("items")
                    .tags(tagged)
                    .register(registry));
            into.add(TimeGauge.builder("pyper.task.calls.p99", source, TimeUnit.NANOSECONDS,
                            task(task, Totals.TaskTotals::p99Nanos))
                    .description("The 99th percentile of one call's time (of the active runs: the largest)")
                    .tags(tagged)
                    .register(registry));
            into.add(Gauge.builder("pyper.task.workers", source, task(task, Totals.TaskTotals::workers))
                    .description("Workers the task has (in the active runs of a metered pipeline)")
                    .baseUnit("workers")
                    .tags(tagged)
                    .register(registry));
            into.add(Gauge.builder("pyper.task.busy", source, task(task, Totals.TaskTotals::busy))
                    .description("Workers inside the task's function now")
                    .baseUnit("workers")
                    .tags(tagged)
                    .register(registry));
            into.add(Gauge.builder("pyper.task.buffered", source, task(task, Totals.TaskTotals::buffered))
                    .description("Outputs of the task waiting in its output buffer now")
                    .baseUnit("items")
                    .tags(tagged)
                    .register(registry));
        }
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
