package dev.pyper.micrometer;

import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.util.ArrayList;
import java.util.List;

/** The source of a {@link PipelineRunMetrics}: one run, held until the binding is closed. */
final class OneRun extends MeterSource {

    private final List<String> names;
    /** Guarded by this; null once released. */
    private PipelineRun<?> run;
    /** The call time reported so far, per task, so that it never goes back (the mean is sampled). Guarded by this. */
    private final double[] callNanos;

    OneRun(PipelineRun<?> run) {
        this.run = run;
        this.names = uniqueNames(run.metrics().tasks());
        this.callNanos = new double[names.size()];
    }

    @Override
    List<String> taskNames() {
        return names;
    }

    @Override
    synchronized Totals read() {
        if (run == null) {
            return null;
        }
        RunMetrics metrics = run.metrics();
        List<Totals.TaskTotals> tasks = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            TaskMetrics t = metrics.tasks().get(i);
            callNanos[i] = Math.max(callNanos[i], nanosInCalls(t));
            tasks.add(new Totals.TaskTotals(
                    t.itemsIn(),
                    t.itemsOut(),
                    t.invocations(),
                    t.failed(),
                    callNanos[i],
                    t.p99Time().toNanos(),
                    t.workers(),
                    t.busyWorkers(),
                    t.buffered(),
                    Totals.Survived.of(t)));
        }
        boolean ended = metrics.finished();
        long elapsed = metrics.elapsed().toNanos();
        return new Totals(tasks, ended ? 0 : 1, ended ? 1 : 0, ended ? elapsed : 0, elapsed);
    }

    @Override
    synchronized void release() {
        run = null;
    }
}
