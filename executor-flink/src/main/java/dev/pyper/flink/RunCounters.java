package dev.pyper.flink;

import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import dev.pyper.spi.Plan;
import dev.pyper.spi.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A run's metrics (rule 8.5): on the embedded cluster the {@link TaskCounters} of each task (for a
 * remote run, the figures come from its TaskManagers through {@link TaskAccumulator}), the outputs
 * the caller has taken, and the run's start and end. Items between two tasks are in
 * Flink's network buffers; a task's {@code buffered} is what it has passed on and the next task
 * (or the caller) has not yet taken.
 */
final class RunCounters {

    private final Plan plan;
    private final TaskCounters[] tasks;
    private final LongAdder taken = new LongAdder();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    RunCounters(Plan plan) {
        this.plan = plan;
        this.tasks = new TaskCounters[plan.tasks().size()];
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new TaskCounters();
        }
    }

    /** The counters of task number {@code index}, from 0 for the producer. */
    TaskCounters task(int index) {
        return tasks[index];
    }

    /** The caller took an output of the last task. */
    void taken() {
        taken.increment();
    }

    /** The job has ended: the time stops (at the first call), and the figures are final. */
    void ended() {
        if (endNanos == 0) {
            endNanos = System.nanoTime() | 1; // two calls at once may both set it; either time is the end
        }
    }

    /** The run's metrics from this JVM's counters: those of a run on the embedded cluster. */
    RunMetrics snapshot() {
        return snapshot(index -> tasks[index].sums());
    }

    /**
     * The run's metrics from the given figures of each task: a remote run's, from its TaskManagers.
     *
     * @param sums the figures of task number {@code index}
     */
    RunMetrics snapshot(IntFunction<TaskCounters.Sums> sums) {
        long end = endNanos;
        List<TaskMetrics> metrics = new ArrayList<>(tasks.length);
        long takenDownstream =
                taken.sum(); // read downstream first, so that a count rarely runs ahead of the one before it
        TaskCounters.Sums[] figures = new TaskCounters.Sums[tasks.length];
        for (int i = tasks.length - 1; i >= 0; i--) {
            figures[i] = sums.apply(i);
        }
        for (int i = 0; i < tasks.length; i++) {
            TaskSpec spec = plan.tasks().get(i);
            TaskCounters.Sums t = figures[i];
            long next = i + 1 < tasks.length ? figures[i + 1].in() : takenDownstream;
            int buffered = (int) Math.min(Integer.MAX_VALUE, Math.max(0, t.out() - next));
            metrics.add(new TaskMetrics(
                    spec.name(),
                    spec.workers(),
                    t.in(),
                    t.out(),
                    t.calls().failed(),
                    t.calls().busy(),
                    buffered,
                    t.calls().invocations(),
                    t.calls().meanTime(),
                    Duration.ofNanos(t.p99Nanos()),
                    t.calls().retries(),
                    t.calls().timeouts(),
                    t.calls().skipped(),
                    t.calls().deadLettered(),
                    t.calls().rateDelayed(),
                    Duration.ofNanos(t.calls().rateWaitNanos()),
                    t.calls().keyDelayed(),
                    Duration.ofNanos(t.calls().keyWaitNanos())));
        }
        return new RunMetrics(metrics, Duration.ofNanos((end == 0 ? System.nanoTime() : end) - startNanos), end != 0);
    }
}
