package dev.pyper.flink;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A plain, branch or generator task as a Flink operator: each of its {@code workers} subtasks
 * calls the function for the items Flink spreads to it (rules 2.2, 2.3, 2.5), on the subtask's
 * own thread, handing each output on as it is produced.
 */
final class TaskFunction extends RichFlatMapFunction<Item, Item> {

    private static final long serialVersionUID = 1L;

    private final RunRef run;
    private final int index;
    private transient TaskCall call;

    TaskFunction(RunRef run, int index) {
        this.run = run;
        this.index = index;
    }

    @Override
    public void open(OpenContext context) {
        call = TaskCall.open(run, index, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1);
        call.reportTo(getRuntimeContext());
    }

    @Override
    public void close() throws Exception {
        try {
            if (call != null) {
                call.close();
            }
        } finally {
            super.close();
        }
    }

    @Override
    public void flatMap(Item item, Collector<Item> out) {
        call.apply(call.inputOf(item), value -> out.collect(call.output(value)));
    }
}
