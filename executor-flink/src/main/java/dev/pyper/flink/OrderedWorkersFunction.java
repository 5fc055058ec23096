package dev.pyper.flink;

import dev.pyper.spi.KeyTurns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>A keyed task ({@code byKey}, rules 10.10 to 10.14) runs the same way, whatever its workers.
 * The operator hands inputs over one at a time, in the order they come, on its own thread, which
 * asks each input's key and claims it in {@link KeyTurns}: an input whose key is free goes to a
 * worker thread, which then runs, one after another, the inputs that wait for that key; an input
 * whose key is busy waits for it, holding one of the operator's {@code workers} places. So one
 * key runs one input at a time, in order, different keys run at once, and at most {@code workers}
 * inputs are in flight or waiting (rule 10.11). The inputs that wait for a busy key are counted by
 * the operator's thread, in its own call's counter, and the time each waited by the worker thread
 * that takes its turn, in that thread's (rule 10.10).
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
    /** A keyed task's turns, guarded by {@link #turnsLock}; null for a task without {@code byKey}. */
    private transient KeyTurns<Turn> turns;

    private transient ReentrantLock turnsLock;

    /** An input handed over, with the future of its outputs. */
    private record Turn(Object input, ResultFuture<Item> result) {}

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
        turns = call.task().keyed() ? new KeyTurns<>() : null;
        turnsLock = new ReentrantLock();
    }

    @Override
    public void asyncInvoke(Item item, ResultFuture<Item> result) {
        Turn turn = new Turn(call.inputOf(item), result);
        if (turns == null) {
            workers.execute(() -> run(turn));
            return;
        }
        Object key;
        try {
            key = call.task().keyOf(turn.input());
        } catch (Throwable t) { // the key function's failure is the task's (rule 10.12)
            result.completeExceptionally(call.failure(turn.input(), true, t));
            return;
        }
        boolean free;
        turnsLock.lock();
        try {
            free = turns.claim(key, turn, call.counter()); // this thread's own counter (rule 10.10)
        } finally {
            turnsLock.unlock();
        }
        if (free) {
            workers.execute(() -> {
                for (Turn next = turn; next != null; next = nextTurn(key)) {
                    if (!run(next)) {
                        turnsLock.lock();
                        try {
                            turns.drop(key); // the job fails: the inputs waiting for the key go nowhere
                        } finally {
                            turnsLock.unlock();
                        }
                        return;
                    }
                }
            });
        }
    }

    /** The next input of {@code key} for this worker thread, its wait counted in the thread's own counter. */
    private Turn nextTurn(Object key) {
        turnsLock.lock();
        try {
            return turns.next(key, calls.get().counter());
        } finally {
            turnsLock.unlock();
        }
    }

    /** One invocation on this worker thread; false if it failed the task. */
    private boolean run(Turn turn) {
        List<Item> outputs = new ArrayList<>();
        try {
            calls.get().apply(turn.input(), value -> outputs.add(call.output(value)));
        } catch (TaskFailure failure) {
            turn.result().completeExceptionally(failure);
            return false;
        }
        turn.result().complete(outputs.isEmpty() ? Collections.emptyList() : outputs);
        return true;
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
