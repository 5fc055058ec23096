package dev.pyper.flink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code ordered()} task with several workers (rule 3.3): one Flink subtask whose
 * {@code workers} threads run the invocations concurrently, inside Flink's ordered async operator
 * with a capacity of {@code workers}. The operator passes results on in input order and holds at
 * most {@code workers} inputs in flight or finished-but-held: the bounded reorder window. A task
 * with a {@code rate} and several workers runs the same way, in the unordered async operator unless
 * it is also ordered: its threads share the call's one bucket, so the rate holds for the whole task
 * however the job is spread (rule 10.1).
 *
 * <p>The threads are this function's own, named after the task; {@link #close()} (on the end,
 * failure or cancellation of the job) interrupts them and waits until they have ended (rules 4.2,
 * 4.5), then gives back their worker processes if the task is {@code multiprocess}.
 */
final class OrderedWorkersFunction extends RichAsyncFunction<Item, Item> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OrderedWorkersFunction.class);

    private final RunRef run;
    private final int index;
    private transient TaskCall call;
    /** Each worker thread's own call, so that each counts on its own (see {@link TaskCounters}) and has its own worker process. */
    private transient ThreadLocal<TaskCall> calls;
    /** Every call of {@link #calls}, to close them when the threads have ended. */
    private transient ConcurrentLinkedQueue<TaskCall> threadCalls;

    private transient ExecutorService workers;

    OrderedWorkersFunction(RunRef run, int index) {
        this.run = run;
        this.index = index;
    }

    @Override
    public void open(OpenContext context) {
        call = TaskCall.open(run, index, 1);
        call.reportTo(getRuntimeContext());
        threadCalls = new ConcurrentLinkedQueue<>();
        AtomicInteger threads = new AtomicInteger();
        calls = ThreadLocal.withInitial(() -> {
            TaskCall own = call.forAnotherThread(threads.incrementAndGet());
            threadCalls.add(own);
            return own;
        });
        AtomicInteger number = new AtomicInteger();
        String name = "pyper-flink-" + call.task().name() + "-";
        workers = Executors.newFixedThreadPool(
                call.task().workers(),
                body -> Thread.ofPlatform()
                        .name(name + number.incrementAndGet())
                        .daemon(true)
                        .unstarted(body));
    }

    @Override
    public void asyncInvoke(Item item, ResultFuture<Item> result) {
        Object input = call.inputOf(item);
        workers.execute(() -> {
            List<Item> outputs = new ArrayList<>();
            try {
                calls.get().apply(input, value -> outputs.add(call.output(value)));
            } catch (TaskFailure failure) {
                result.completeExceptionally(failure);
                return;
            }
            result.complete(outputs.isEmpty() ? Collections.emptyList() : outputs);
        });
    }

    @Override
    public void close() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn(
                        "Task '{}': workers still running 10 s after the job ended; waiting for them",
                        call.task().name());
                workers.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
            }
        }
        try {
            if (call != null) {
                TaskCall.closeAll(threadCalls, call);
            }
        } finally {
            super.close();
        }
    }
}
