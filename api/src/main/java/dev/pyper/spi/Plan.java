package dev.pyper.spi;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A pipeline as an executor sees it: its tasks, first to last, as plain data (section 0).
 *
 * <p>The first task is the producer: it is called once with the run's input. A plan handed to
 * {@link dev.pyper.PipelineExecutor#start} has been checked: its producer has one worker and is not a join
 * (rule 1.4).
 *
 * @param tasks the tasks, at least one, first to last
 */
public record Plan(List<TaskSpec> tasks) implements Serializable {

    /**
     * Copies the list.
     *
     * @throws IllegalArgumentException if there is no task
     */
    public Plan {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one task");
        }
    }

    /**
     * Lists the tasks by name, in pyper's {@code repr} manner: {@code [createData | runningTotal]}.
     */
    @Override
    public String toString() {
        return tasks.stream().map(TaskSpec::name).collect(Collectors.joining(" | ", "[", "]"));
    }
}
