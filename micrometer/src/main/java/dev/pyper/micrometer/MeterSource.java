package dev.pyper.micrometer;

import dev.pyper.TaskMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The object that a binding's meters read, through {@link #read()}; the meters hold it weakly
 * (Micrometer's default), so that they never keep it, or the runs it watches, alive.
 */
abstract class MeterSource {

    /**
     * The tasks' names as the meters' {@code task} tag, in pipeline order, each unique: a name that
     * two tasks share gets {@code #2}, {@code #3}, … from its second task on.
     *
     * @return the names, or null while no run has told them
     */
    abstract List<String> taskNames();

    /**
     * Sums what the watched runs have done now.
     *
     * @return the sums, or null once released: the meters then read NaN
     */
    abstract Totals read();

    /** Lets go of every run; {@link #read()} returns null from now on. */
    abstract void release();

    static List<String> uniqueNames(List<TaskMetrics> tasks) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> names = new ArrayList<>(tasks.size());
        for (TaskMetrics task : tasks) {
            int n = seen.merge(task.name(), 1, Integer::sum);
            names.add(n == 1 ? task.name() : task.name() + "#" + n);
        }
        return List.copyOf(names);
    }

    /** The time spent in the function by a task's calls so far, from its sampled mean. */
    static double nanosInCalls(TaskMetrics task) {
        return (double) task.meanTime().toNanos() * task.invocations();
    }
}
