package dev.pyper.flink;

import java.io.IOException;
import java.io.ObjectOutputStream;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * Carries one subtask's {@link TaskCounters} from a remote TaskManager to the caller, as a Flink
 * accumulator: Flink sends each task's accumulators to the JobManager with every heartbeat and when
 * the task ends, merges those of one name over the subtasks, and hands the merged values to the
 * client ({@code JobClient.getAccumulators()}, and the job's result at its end).
 *
 * <p>On the TaskManager it reads the operator's live counters; what crosses is a
 * {@link TaskCounters.Sums} taken as it is serialized, and merging adds them up.
 */
final class TaskAccumulator implements Accumulator<Void, TaskCounters.Sums> {

    private static final long serialVersionUID = 1L;

    /** The name under which task number {@code index} reports. */
    static String name(int index) {
        return "pyper.task." + index;
    }

    /** The operator's counters, on the TaskManager that runs it; null once serialized or merged. */
    private transient TaskCounters live;

    private TaskCounters.Sums value;

    TaskAccumulator(TaskCounters live) {
        this.live = live;
        this.value = TaskCounters.Sums.ZERO;
    }

    private TaskAccumulator(TaskCounters.Sums value) {
        this.value = value;
    }

    @Override
    public void add(Void nothing) {
        throw new UnsupportedOperationException("pyper's counters are counted by its operators, not added to");
    }

    @Override
    public TaskCounters.Sums getLocalValue() {
        return live != null ? live.sums() : value;
    }

    @Override
    public void resetLocal() {
        live = null;
        value = TaskCounters.Sums.ZERO;
    }

    @Override
    public void merge(Accumulator<Void, TaskCounters.Sums> other) {
        value = getLocalValue().plus(other.getLocalValue());
        live = null;
    }

    @Override
    public TaskAccumulator clone() {
        return new TaskAccumulator(getLocalValue());
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        value = getLocalValue(); // what the counters say now is what crosses
        out.defaultWriteObject();
    }
}
