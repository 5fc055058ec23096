package dev.pyper.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * An async task (rule 5.1) inside Flink's async operator, whose capacity is the task's
 * {@code workers}: that many stages in flight at most, each result passed on as it completes
 * (or in input order when the task is {@code ordered()}).
 */
final class AsyncTaskFunction extends RichAsyncFunction<Item, Item> {

    private static final long serialVersionUID = 1L;

    private final RunRef run;
    private final int index;
    private transient TaskCall call;

    AsyncTaskFunction(RunRef run, int index) {
        this.run = run;
        this.index = index;
    }

    @Override
    public void open(OpenContext context) {
        call = TaskCall.open(run, index, 1); // one subtask; an async task is never multiprocess (rule 1.5)
        call.reportTo(getRuntimeContext());
    }

    @Override
    public void close() {
        if (call != null) {
            call.closeAsync();
        }
    }

    @Override
    public void asyncInvoke(Item item, ResultFuture<Item> result) {
        Object input = call.inputOf(item);
        TaskCall.AsyncStart start = call.startAsync(input);
        start.stage().whenComplete((value, error) -> {
            List<Item> outputs = new ArrayList<>();
            try {
                call.completeAsync(input, start.started(), value, error, o -> outputs.add(call.output(o)));
            } catch (TaskFailure failure) {
                result.completeExceptionally(failure);
                return;
            }
            result.complete(outputs);
        });
    }
}
