package dev.pyper;

import java.time.Duration;
import java.util.List;

/**
 * What a run has done so far, per task, first task to last: a snapshot (see {@link TaskMetrics}).
 *
 * @param tasks one entry per task, in pipeline order
 * @param elapsed the time since the run started
 * @param finished whether every worker of the run has ended
 */
public record RunMetrics(List<TaskMetrics> tasks, Duration elapsed, boolean finished) {

    /** Copies the list. */
    public RunMetrics {
        tasks = List.copyOf(tasks);
    }
}
