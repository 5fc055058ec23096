package dev.pyper.flink;

import dev.pyper.Emitter;
import dev.pyper.engine.AsyncCalls;
import dev.pyper.engine.Invoker;
import dev.pyper.engine.OnDemandProcesses;
import dev.pyper.spi.CallCounter;
import dev.pyper.spi.ContextPropagator;
import dev.pyper.spi.FailurePolicy;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.Throwables;
import dev.pyper.spi.TokenBucket;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.execution.CancelTaskException;

/**
 * Calls one task's function the way its kind says (rules 2.2 to 2.4, 5.1) and turns whatever it
 * throws into a {@link TaskFailure} recorded with the run (rules 4.1, 4.3), counting it in the
 * task's {@link TaskCounters} (rule 8.5). One per operator instance; used by the thread that runs
 * the invocation.
 *
 * <p>A {@code multiprocess} task's invocations go to a worker process of its own (rule 6.1),
 * started on the first one, on the thread that makes them; {@link #close()} gives it back. Its
 * function runs there with the same kind rules, and what it throws, or how the process died,
 * comes back as the failure of the invocation.
 *
 * <p>Every invocation, each attempt of an async one included, runs with the context of the thread
 * that started the run restored (rule 8.8), and the thread is left as it was after it: a worker
 * process opened for a multiprocess task takes that context along.
 */
final class TaskCall {

    private final TaskSpec task;
    private final RunScope scope;
    private final boolean producer;
    private final int index;
    /** This call's worker number (its subtask's or thread's, from 1): names its worker process. */
    private final int worker;
    /** Whether this call resolved its scope, and so closes the worker processes that a remote scope opened. */
    private final boolean ownsScope;
    /** The worker process of a multiprocess task, from its first invocation on; null before and for other tasks. */
    private Invoker process;
    /**
     * This call's own counts: written by one thread at a time (async invocations take
     * {@link #asyncCounting}, as they end on any thread).
     */
    private final TaskCounters.Counts counters;
    /**
     * Set when an emit of this call's thread is refused because the job is ending (rule 8.2): the
     * invocation it ends has not failed (rule 8.5). Written and read by the invocations' one thread.
     */
    private boolean emitRefused;
    /**
     * The task's rate limit in this run (rule 10.1): the operator's, shared by the calls of its
     * threads. A task with a rate runs as one subtask ({@link JobTranslator}), so this is the task's one bucket.
     */
    private final TokenBucket tokens;
    /** One attempt for the task's failure policy (section 9): a worker process is opened before the attempt's time runs. */
    private final FailurePolicy.Attempt attempt = new FailurePolicy.Attempt() {
        @Override
        public void call(Object input, Emitter<Object> out) throws Exception {
            // restored again here: under a timeout the attempt runs on a thread of its own (rule 9.4)
            try (ContextPropagator.Scope context = scope.context().restore()) {
                invoke(input, out);
            }
        }

        @Override
        public void prepare() throws Exception {
            if (task.multiprocess() && process == null) {
                process = scope.processes().open(task, worker);
            }
        }

        @Override
        public boolean lostItsWorker() {
            return task.multiprocess() && process == null; // the last attempt closed the worker process it lost
        }

        @Override
        public boolean endsWhenInterrupted() {
            return task.multiprocess(); // its worker process is killed if it does not answer an interrupt
        }
    };

    private final ReentrantLock asyncCounting = new ReentrantLock();
    /**
     * An async task's invocations, started, ended and cancelled as every executor does (rules 5.1,
     * 9.8), with the run's context restored around each call of the user's code (rule 8.8); null
     * for other tasks.
     */
    private final AsyncCalls async;

    private TaskCall(RunScope scope, int index, int worker, boolean ownsScope, TokenBucket tokens) {
        this.task = scope.plan().tasks().get(index);
        this.tokens = tokens == null ? TokenBucket.of(task) : tokens;
        this.scope = scope;
        this.producer = index == 0;
        this.index = index;
        this.worker = worker;
        this.ownsScope = ownsScope;
        this.counters = scope.counters().task(index).writer();
        this.async = task.kind().isAsync() ? new AsyncCalls(task, this.tokens, scope.context()) : null;
    }

    /**
     * The call of task {@code index} of the run, resolved where the operator runs.
     *
     * @param worker the operator instance's worker number, from 1
     */
    static TaskCall open(RunRef ref, int index, int worker) {
        return new TaskCall(ref.resolve(), index, worker, true, null);
    }

    /**
     * On a remote cluster, hands this operator's counters to Flink as an accumulator, which carries
     * them to the caller (rule 8.5). On the embedded cluster the caller reads them where they are.
     */
    void reportTo(RuntimeContext context) {
        if (scope.remote()) {
            context.addAccumulator(
                    TaskAccumulator.name(index),
                    new TaskAccumulator(scope.counters().task(index)));
        }
    }

    /**
     * A call of the same task in the same operator, with counts (and a worker process) of its own,
     * and the operator's rate limit, for another thread that calls the function. Close it before
     * this one.
     *
     * @param worker that thread's worker number, from 1
     */
    TaskCall forAnotherThread(int worker) {
        return new TaskCall(scope, index, worker, false, tokens);
    }

    TaskSpec task() {
        return task;
    }

    /** This call's counter of invocations, written only by the thread that uses this call. */
    CallCounter counter() {
        return counters.calls();
    }

    /** The input of an invocation: the run's input for the producer, else the item's value. */
    Object inputOf(Item item) {
        return producer ? scope.input() : item.value();
    }

    /** An output of this task as an item for the next one (by reference where it cannot be serialized, rule 2.2). */
    Item output(Object value) {
        return Item.of(value, scope.handoff());
    }

    /**
     * Runs a plain, branch or generator invocation, passing each output to {@code out} as soon as
     * it is produced (rule 2.3). A task that a join after it has left without a consumer (rule 8.3)
     * drops its input, and an invocation that such an end cuts short ends quietly.
     *
     * @throws TaskFailure if the function threw, or a branch returned something not iterable
     */
    void apply(Object input, Consumer<Object> out) {
        if (task.kind().isJoin() || task.kind().isAsync()) {
            throw new IllegalStateException("task kind " + task.kind() + " is not called per input");
        }
        if (scope.earlyEnds().abandoned(index)) {
            return;
        }
        counters.itemIn();
        long started = counters.started();
        boolean threw = true;
        // each attempt restores the run's context itself; a policy's own calls (a worker process
        // opened, a dead-letter sink) need it around the whole invocation (null: nothing to close)
        try (ContextPropagator.Scope context =
                task.failurePolicy().isNone() ? null : scope.context().restore()) {
            task.failurePolicy().invoke(task, input, emitter(out), attempt, counters.calls(), tokens);
            threw = false;
        } catch (Throwable t) {
            threw = hasFailed(t);
            if (EarlyEnds.Abandoned.in(t)) {
                return;
            }
            throw failure(input, true, t);
        } finally {
            counters.ended(started, threw);
        }
    }

    /**
     * Takes one input of a batch task, which calls no function (rule 10.5): counts it in, unless a
     * join after this task has returned early (rule 8.3), when it is dropped.
     *
     * @return whether to add it to the batch
     */
    boolean batchInput() {
        if (scope.earlyEnds().abandoned(index)) {
            return false;
        }
        counters.itemIn();
        return true;
    }

    /** A batch task's batch as the item for the next task, counted as one output (rules 10.5, 10.9). */
    Item batchOutput(Object batch) {
        counters.itemOut();
        return output(batch);
    }

    /**
     * Runs a join invocation on its share of the input stream (rule 2.4).
     *
     * @throws TaskFailure if the function threw
     */
    void join(Stream<Object> in, Consumer<Object> out) {
        if (!task.kind().isJoin()) {
            throw new IllegalStateException("task kind " + task.kind() + " is not a join");
        }
        long started = counters.started();
        boolean threw = true;
        try (ContextPropagator.Scope context = scope.context().restore()) {
            invoke(in.peek(item -> counters.itemIn()), emitter(out));
            threw = false;
        } catch (Throwable t) {
            threw = hasFailed(t);
            if (EarlyEnds.Abandoned.in(t)) {
                return;
            }
            throw failure(null, false, t);
        } finally {
            counters.ended(started, threw);
        }
        scope.earlyEnds().joinReturned(index); // once every worker has, the tasks before it stop (rule 8.3)
    }

    /** One invocation, in this JVM or, for a multiprocess task, in this call's worker process (rule 6.1). */
    private void invoke(Object input, Emitter<Object> out) throws Exception {
        if (!task.multiprocess()) {
            task.invoke(input, out);
            return;
        }
        if (process == null) {
            process = scope.processes().open(task, worker);
        }
        try {
            process.invoke(input, out);
        } catch (Exception | Error e) {
            if (!process.usable()) { // its worker process is lost: a retry (rule 9.2) opens a new one
                Invoker lost = process;
                process = null;
                try {
                    lost.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    /**
     * Gives this call's worker process back (warm to the executor's pool on the embedded cluster),
     * and ends the worker processes that the operator's own scope started on a remote one (rule
     * 6.2). Call once no thread makes invocations through this call any more.
     *
     * @throws Exception if the worker process could not be ended cleanly
     */
    void close() throws Exception {
        try (OnDemandProcesses owned = ownsScope && scope.remote() ? scope.processes() : null) {
            if (process != null) {
                Invoker closing = process;
                process = null;
                closing.close();
            }
        }
    }

    /**
     * Closes every call of {@code others}, then {@code last} (the one that resolved the scope), each
     * even if one before failed: a worker process left open would outlive the job.
     *
     * @throws Exception the first failure, with the later ones suppressed
     */
    static void closeAll(Iterable<TaskCall> others, TaskCall last) throws Exception {
        Exception first = null;
        for (TaskCall call : others) {
            first = closeNoting(call, first);
        }
        first = closeNoting(last, first);
        if (first != null) {
            throw first;
        }
    }

    private static Exception closeNoting(TaskCall call, Exception first) {
        try {
            call.close();
            return first;
        } catch (Exception e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }

    /**
     * Starts an async invocation (rule 5.1). Once its stage has completed, pass its outcome to
     * {@link #completeAsync}, which ends the invocation.
     *
     * @return the time it started, for {@link #completeAsync}, and its stage
     * @throws TaskFailure if the function threw or returned no stage
     */
    @SuppressWarnings("unchecked")
    AsyncStart startAsync(Object input) {
        long started;
        asyncCounting.lock();
        try {
            counters.itemIn();
            started = counters.started();
        } finally {
            asyncCounting.unlock();
        }
        try {
            return new AsyncStart(started, (CompletionStage<Object>) async.start(input));
        } catch (Throwable t) {
            asyncEnded(started, 0, true);
            throw failure(input, true, t);
        }
    }

    /**
     * When the async operator closes (its input ended and every stage is out, or the job is being
     * cancelled): under a failure policy, no retry starts any more, the pending ones are cancelled,
     * and the attempts under way have returned before the operator is gone (rules 4.5, 9.8).
     */
    void closeAsync() {
        async.stopRetries();
    }

    /**
     * Ends the async invocation that started at {@code started}: passes on the outputs of its
     * completed stage, its value or, for an async branch, each element; or records its failure.
     *
     * @throws TaskFailure if the stage failed, or an async branch's value is not iterable
     */
    void completeAsync(Object input, long started, Object result, Throwable error, Consumer<Object> out) {
        int[] outputs = {0}; // counted under the lock at the end: stages complete on any thread
        boolean threw = true;
        try {
            Object value;
            asyncCounting.lock(); // section 9: retries and timeouts counted; skip, dead letter or fail
            try {
                value = async.value(input, result, error, counters.calls());
            } finally {
                asyncCounting.unlock();
            }
            if (!scope.earlyEnds().abandoned(index)) { // else a join after this task has returned (rule 8.3)
                async.passOn(
                        value,
                        output -> { // on the thread that completed the stage: no cancellation check
                            outputs[0]++;
                            out.accept(output);
                        });
            }
            threw = false;
        } catch (Throwable t) {
            throw failure(input, true, t);
        } finally {
            asyncEnded(started, outputs[0], threw);
        }
    }

    /** Counts the end of an async invocation and its outputs, from whichever thread completed it. */
    private void asyncEnded(long started, int outputs, boolean threw) {
        asyncCounting.lock();
        try {
            counters.itemsOut(outputs);
            counters.ended(started, threw);
        } finally {
            asyncCounting.unlock();
        }
    }

    /**
     * An async invocation under way.
     *
     * @param started when it started, as {@link System#nanoTime()}
     * @param stage its stage: the function's, or under a failure policy the policy's invocation
     *     ({@link AsyncCalls#start})
     */
    record AsyncStart(long started, CompletionStage<Object> stage) {}

    /** Records a failure of this task with the run and returns it to be thrown. */
    TaskFailure failure(Object input, boolean hasInput, Throwable error) {
        if (error instanceof TaskFailure already) {
            return already;
        }
        TaskFailure failure = TaskFailure.of(task.name(), input, hasInput, Throwables.unwrap(error));
        scope.failures().record(failure);
        return failure;
    }

    /**
     * An emitter that hands each output on at once, and refuses with a {@link CancellationException}
     * once the job is being cancelled (rule 8.2), or a join after this task has returned early
     * (rule 8.3). An output that waits for a network buffer when Flink cancels the job ends with
     * Flink's own exception ({@code CancelTaskException}, or an interrupt): the emit throws a
     * {@code CancellationException} then too, with the thread's interrupt flag kept.
     */
    private Emitter<Object> emitter(Consumer<Object> out) {
        return output -> {
            if (Thread.currentThread().isInterrupted()) {
                emitRefused = true;
                throw new CancellationException("the run was cancelled or has failed");
            }
            if (scope.earlyEnds().abandoned(index)) {
                throw new EarlyEnds.Abandoned();
            }
            counters.itemOut();
            try {
                out.accept(output);
            } catch (CancellationException e) {
                emitRefused = true;
                throw e;
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted() && !endsTheJob(e)) {
                    throw e;
                }
                emitRefused = true;
                throw (CancellationException)
                        new CancellationException("the run was cancelled or has failed").initCause(e);
            }
        };
    }

    /**
     * Whether an invocation that threw {@code t} counts as failed (rule 8.5): not if a join's early
     * return (rule 8.3) or the job's end (an emit refused, a wait interrupted) ended it.
     */
    private boolean hasFailed(Throwable t) {
        return !EarlyEnds.Abandoned.in(t)
                && !(Throwables.causedByEnding(t)
                        && (emitRefused || Thread.currentThread().isInterrupted()));
    }

    /**
     * Whether {@code e} is how Flink's network stack ends a record that waits while the job is
     * cancelled: its {@code CancelTaskException} or an interrupt, whose flag is set again.
     */
    private static boolean endsTheJob(Throwable e) {
        int depth = 0;
        for (Throwable c = e; c != null && depth++ < 16; c = c.getCause()) {
            if (c instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // the wait took the flag: keep it (rule 8.2)
                return true;
            }
            if (c instanceof CancelTaskException) {
                return true;
            }
        }
        return false;
    }
}
