package dev.pyper.micrometer;

import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import dev.pyper.TaskMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The source of a {@link MeteredPipeline}: every run started through it.
 *
 * <p>A run is held from its start until a read finds it finished; that read folds its final,
 * exact metrics into the totals of the ended runs and lets it go. So the counters only grow
 * (a run's counts never go back, and its final ones are exact), and a finished run is held at
 * most until the next read: the next scrape, the next start, or the close of its output stream.
 * All state is guarded by this.
 */
final class ManyRuns extends MeterSource {

    private final List<PipelineRun<?>> live = new ArrayList<>();
    private boolean released;
    /** Null until the first run tells them; the arrays below are made then. */
    private List<String> names;

    private long[] itemsIn;
    private long[] itemsOut;
    private long[] calls;
    private long[] failed;
    private Totals.Survived[] survived;
    private double[] callNanos;
    /** The p99 of the run that ended last: what a task's p99 reads while no run is going. */
    private long[] lastP99;
    /** The call time reported so far, so that it never goes back (a live run's mean is sampled). */
    private double[] reportedCallNanos;

    private long endedRuns;
    private long endedNanos;

    /**
     * Watches a run that has just started.
     *
     * @return whether this run is the first, whose metrics told the task names
     */
    synchronized boolean add(PipelineRun<?> run) {
        if (released) {
            return false;
        }
        boolean first = names == null;
        if (first) {
            names = uniqueNames(run.metrics().tasks());
            int n = names.size();
            itemsIn = new long[n];
            itemsOut = new long[n];
            calls = new long[n];
            failed = new long[n];
            survived = new Totals.Survived[n];
            java.util.Arrays.fill(survived, Totals.Survived.NONE);
            callNanos = new double[n];
            lastP99 = new long[n];
            reportedCallNanos = new double[n];
        } else {
            sweep(); // so that a pipeline run often, and never read, holds no ended run for long
        }
        live.add(run);
        return first;
    }

    /** Lets go of the runs that have finished, now (a run's output stream was closed). */
    synchronized void letGoOfEnded() {
        if (!released && names != null) {
            sweep();
        }
    }

    @Override
    synchronized List<String> taskNames() {
        return names;
    }

    @Override
    synchronized Totals read() {
        if (released) {
            return null;
        }
        if (names == null) {
            return new Totals(List.of(), 0, 0, 0, 0);
        }
        List<RunMetrics> going = sweep();
        long oldest = 0;
        for (RunMetrics run : going) {
            oldest = Math.max(oldest, run.elapsed().toNanos());
        }
        List<Totals.TaskTotals> tasks = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            long in = itemsIn[i];
            long out = itemsOut[i];
            long called = calls[i];
            long fails = failed[i];
            Totals.Survived outlived = survived[i];
            double nanos = callNanos[i];
            long p99 = going.isEmpty() ? lastP99[i] : 0;
            int workers = 0;
            int busy = 0;
            int buffered = 0;
            for (RunMetrics run : going) {
                TaskMetrics t = run.tasks().get(i);
                in += t.itemsIn();
                out += t.itemsOut();
                called += t.invocations();
                fails += t.failed();
                outlived = outlived.plus(Totals.Survived.of(t));
                nanos += nanosInCalls(t);
                p99 = Math.max(p99, t.p99Time().toNanos());
                workers += t.workers();
                busy += t.busyWorkers();
                buffered += t.buffered();
            }
            reportedCallNanos[i] = Math.max(reportedCallNanos[i], nanos);
            tasks.add(new Totals.TaskTotals(
                    in, out, called, fails, reportedCallNanos[i], p99, workers, busy, buffered, outlived));
        }
        return new Totals(tasks, going.size(), endedRuns, endedNanos, oldest);
    }

    /** Lets go of the finished runs, their final metrics added to the totals; returns the metrics of the others. */
    private List<RunMetrics> sweep() {
        List<RunMetrics> going = new ArrayList<>(live.size());
        for (Iterator<PipelineRun<?>> it = live.iterator(); it.hasNext(); ) {
            RunMetrics run = it.next().metrics();
            if (run.finished()) {
                fold(run);
                it.remove();
            } else {
                going.add(run);
            }
        }
        return going;
    }

    /** Adds a finished run's final metrics to the totals of the ended runs. */
    private void fold(RunMetrics run) {
        for (int i = 0; i < names.size(); i++) {
            TaskMetrics t = run.tasks().get(i);
            itemsIn[i] += t.itemsIn();
            itemsOut[i] += t.itemsOut();
            calls[i] += t.invocations();
            failed[i] += t.failed();
            survived[i] = survived[i].plus(Totals.Survived.of(t));
            callNanos[i] += nanosInCalls(t);
            lastP99[i] = t.p99Time().toNanos();
        }
        endedRuns++;
        endedNanos += run.elapsed().toNanos();
    }

    @Override
    synchronized void release() {
        released = true;
        live.clear();
    }
}
