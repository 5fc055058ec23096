package dev.pyper.tck.reference;

import dev.pyper.Emitter;
import dev.pyper.PipelineExecutor;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.Batching;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TokenBucket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The kit's own reference executor, written from the public contract alone (README, tck/README,
 * docs/SPEC.md and the api module), without the engine: a platform thread per worker, bounded
 * buffers with a lock and two conditions, every task kind, {@code ordered()} with a reorder
 * window of {@code workers} inputs, first-failure-wins cancellation that interrupts every worker
 * and waits for them all, and run metrics (rule 8.5). It has no worker processes, so it declares
 * section 6 unsupported (rule 7.2).
 *
 * <p>It exists so that the kit can be tested: it must pass the whole kit, and each of its
 * deliberately broken variants ({@link Mutants}) must fail the kit's tests of the rule it breaks
 * ({@code MutationTest}). The protected methods below are the seams where the variants put their
 * bug; each says what the reference does there. The model-based suite (model-tests) runs it and
 * some of its variants too, from the kit's test-jar.
 */
public class ReferenceExecutor implements PipelineExecutor {

    /** The name under which {@link ReferenceExecutorProvider} registers it. */
    public static final String NAME = "reference";

    private final Set<ReferenceRun<?>> runs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Makes an executor with no run. */
    public ReferenceExecutor() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <O> Run<O> start(Plan plan, Object input) {
        if (closed) {
            throw new IllegalStateException("the executor '" + name() + "' is closed; it starts no new run (rule 8.7)");
        }
        for (TaskSpec task : plan.tasks()) {
            if (task.multiprocess()) {
                throw new IllegalArgumentException("task '" + task.name() + "' is multiprocess(), and executor '"
                        + name() + "' has no worker processes (section 6 is declared unsupported)");
            }
        }
        ReferenceRun<O> run = new ReferenceRun<>(this, plan, input);
        runs.add(run);
        run.begin();
        return wrap(run);
    }

    @Override
    public Map<String, String> unsupportedRules() {
        return Map.of(
                "6",
                "the reference executor runs every invocation on a thread of the caller's JVM: it has no worker processes");
    }

    /** Ends every run still going (its next pull throws "the executor was closed") and waits for all of their workers. */
    @Override
    public void close() {
        closed = true;
        for (ReferenceRun<?> run : runs) {
            run.cancel(ReferenceRun.Cause.EXECUTOR_CLOSED, null);
        }
        for (ReferenceRun<?> run : runs) {
            run.awaitEveryWorker();
        }
        runs.clear();
    }

    /** Called by a run once the caller has its end, its failure or has closed it. */
    void forget(ReferenceRun<?> run) {
        runs.remove(run);
    }

    // ---- the seams of the mutants; each returns what the reference does ----

    /**
     * The run the caller gets.
     *
     * @param run the reference's run
     * @param <O> output type
     * @return {@code run} itself
     */
    protected <O> Run<O> wrap(Run<O> run) {
        return run;
    }

    /**
     * The capacity of a task's output buffer (rule 2.6).
     *
     * @param task the task
     * @return its throttle: 0 (unbounded) or t; for a batch task, t's inputs in whole lists (rule 10.7)
     */
    protected int capacity(TaskSpec task) {
        return task.kind() == TaskSpec.Kind.BATCH ? Batching.of(task).batchesFor(task.throttle()) : task.throttle();
    }

    /**
     * Whether a keyed task keeps the inputs of one key apart, one at a time in input order
     * (rule 10.10).
     *
     * @param task a task given {@code byKey}
     * @return true
     */
    protected boolean keepsKeysApart(TaskSpec task) {
        return true;
    }

    /**
     * Whether each input of a batch task's list sets the list's {@code maxWait} timer again
     * (rule 10.8).
     *
     * @param batching the task's batching
     * @return false: the time counts from the list's first input
     */
    protected boolean batchTimerRestartsOnEachInput(Batching batching) {
        return false;
    }

    /**
     * The {@code maxWait} of a batch task's lists, in nanoseconds of the {@code PolicyClock} (rule 10.8).
     *
     * @param batching the task's batching
     * @return its {@code maxWait}, {@link Long#MAX_VALUE} for none
     */
    protected long batchMaxWaitNanos(Batching batching) {
        return batching.maxWaitNanos();
    }

    /**
     * How many threads a task gets (rules 2.5, 2.9).
     *
     * @param task the task
     * @return its workers
     */
    protected int threads(TaskSpec task) {
        return task.workers();
    }

    /**
     * The bucket of a task's rate limit for one run, shared by its workers (rule 10.1).
     *
     * @param task the task
     * @return one bucket for the run: {@link TokenBucket#of}
     */
    protected TokenBucket tokens(TaskSpec task) {
        return TokenBucket.of(task);
    }

    /**
     * How many inputs an {@code ordered()} task may have in flight or held (rule 3.3).
     *
     * @param task the task
     * @return its workers
     */
    protected int reorderWindow(TaskSpec task) {
        return task.workers();
    }

    /**
     * Whether an ordered task keeps the input order after its input has ended too (rule 3.3).
     *
     * @return true
     */
    protected boolean keepsOrderAfterInputEnded() {
        return true;
    }

    /**
     * The input the producer is called with, and how often (rule 2.1).
     *
     * @param input the run's input
     * @return {@code input}, once
     */
    protected Object[] producerInputs(Object input) {
        return new Object[] {input};
    }

    /**
     * Makes one invocation of a task that is not a join, passing its outputs to {@code out}
     * (rules 2.2, 2.3, 5.1): {@link TaskSpec#invoke} for blocking kinds; for async kinds the
     * function's stage is awaited and its value (or each element) passed on.
     *
     * @param task the task
     * @param input its input (or a join's stream)
     * @param out where outputs go
     * @throws Throwable whatever the function or its stage threw
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected void invoke(TaskSpec task, Object input, Emitter<Object> out) throws Throwable {
        switch (task.kind()) {
            case ASYNC -> out.emit(await(task, ((ThrowingFunction) task.function()).apply(input)));
            case ASYNC_BRANCH -> task.emitEach(await(task, ((ThrowingFunction) task.function()).apply(input)), out);
            default -> task.invoke(input, out);
        }
    }

    /**
     * Waits for an async task's stage (rule 5.1).
     *
     * @param task the task, for the message if the stage is null
     * @param stage what its function returned
     * @return the stage's value
     * @throws Throwable the stage's failure, or an interrupt
     */
    static Object await(TaskSpec task, Object stage) throws Throwable {
        if (!(stage instanceof CompletionStage<?> pending)) {
            throw new IllegalStateException(
                    "async task '" + task.name() + "' returned " + stage + " instead of a CompletionStage");
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        pending.whenComplete((value, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(value);
            }
        });
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            pending.toCompletableFuture()
                    .cancel(true); // the run's cancellation, or a timeout (rule 9.8): the stage is cancelled
            throw e;
        }
    }

    /**
     * How many copies of each item a join's workers see between them (rule 2.4).
     *
     * @param join the join task
     * @return 1: each item goes to exactly one of them
     */
    protected int copiesForJoin(TaskSpec join) {
        return 1;
    }

    /**
     * Whether a null output is passed on (rules 2.2, 8.4).
     *
     * @return true
     */
    protected boolean passesNulls() {
        return true;
    }

    /**
     * Whether {@code emit} throws once the run is cancelled (rule 8.2).
     *
     * @return true
     */
    protected boolean emitThrowsAfterCancellation() {
        return true;
    }

    /**
     * Whether the end of a buffer wakes every consumer waiting on it, or just one.
     *
     * @return true: every one
     */
    protected boolean endWakesEveryConsumer() {
        return true;
    }

    /**
     * Whether the tasks before a join are stopped when every worker of the join has returned (rule 8.3).
     *
     * @return true
     */
    protected boolean abandonsTheInputOfAFinishedTask() {
        return true;
    }

    /**
     * Which failure of a run is the cause; the others are suppressed (rule 4.3).
     *
     * @param count how many failures were recorded, in the order they happened
     * @return 0: the first
     */
    protected int causeIndex(int count) {
        return 0;
    }

    /**
     * Whether a worker is interrupted when a run is cancelled (rules 4.2, 4.4).
     *
     * @param worker the worker's task and whether it is the producer
     * @param cause why the run is cancelled
     * @param failing the task that failed, for {@code FAILED}
     * @return true: every worker
     */
    protected boolean interrupts(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
        return true;
    }

    /**
     * Whether the caller waits for a worker before it gets the run's end or failure, or before
     * {@code close()} returns (rules 4.2, 4.4, 4.5).
     *
     * @param worker the worker
     * @param cause why the run ended, or null for a normal end
     * @param failing the task that failed, for {@code FAILED}
     * @return true: every worker
     */
    protected boolean awaits(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
        return true;
    }

    /**
     * Called when the caller closed a run that was still going, once close() has done its work.
     *
     * @param plan the run's plan
     */
    protected void closedEarly(Plan plan) {}

    /**
     * Whether the caller's interrupt flag is set again when an interrupt cancels its run (rule 4.4).
     *
     * @return true
     */
    protected boolean keepsTheCallersInterruptFlag() {
        return true;
    }

    /**
     * Whether an invocation that threw counts as failed in the metrics (rule 8.5).
     *
     * @param thrown what it threw (never the executor's own stop signal)
     * @return true
     */
    protected boolean countsAsFailed(Throwable thrown) {
        return true;
    }

    /**
     * Whether an output counts as out only once the next buffer has taken it (rule 8.5).
     *
     * @return true
     */
    protected boolean countsOutputsAfterHandOff() {
        return true;
    }
}
