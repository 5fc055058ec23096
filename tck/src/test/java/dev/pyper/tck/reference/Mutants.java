package dev.pyper.tck.reference;

import dev.pyper.Emitter;
import dev.pyper.PipelineException;
import dev.pyper.RunMetrics;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.FailurePolicy;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TokenBucket;
import dev.pyper.tck.Tck;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The broken executors: each is the {@link ReferenceExecutor} with one bug that a real
 * implementer could write, put in at one of its seams. {@code MutationTest} runs the kit's tests
 * of the rule each one breaks and expects every invocation of them to fail, while the reference
 * passes the same tests; tck/README.md has the table (bug, rule, test).
 *
 * <p>Public, with the mutants that the model-based suite runs too (model-tests'
 * {@code BrokenEnginesAreCaughtTest}, through the kit's test-jar): its random pipelines must catch
 * the same broken executors.
 */
public final class Mutants {

    private Mutants() {}

    // ---- buffers and workers ----

    /** Rule 2.6: every task runs unthrottled. */
    public static final class IgnoresThrottle extends ReferenceExecutor {
        @Override
        protected int capacity(TaskSpec task) {
            return 0;
        }
    }

    /** Rule 2.6: a throttled buffer holds t + 1 outputs (an off-by-one in the "full" test). */
    static final class ThrottleHoldsOneMore extends ReferenceExecutor {
        @Override
        protected int capacity(TaskSpec task) {
            return task.throttle() == 0 ? 0 : task.throttle() + 1;
        }
    }

    /** Rule 10.10: a keyed task runs as if it had no key: a key's inputs at once, in any order. */
    static final class KeysIgnored extends ReferenceExecutor {
        @Override
        protected boolean keepsKeysApart(TaskSpec task) {
            return false;
        }
    }

    /** Rule 10.8: a batch's list waits until it is full or the stream ends, whatever its maxWait. */
    static final class BatchIgnoresMaxWait extends ReferenceExecutor {
        @Override
        protected long batchMaxWaitNanos(dev.pyper.spi.Batching batching) {
            return Long.MAX_VALUE;
        }
    }

    /** Rule 10.8: a batch's time restarts at each input, so a steady trickle never lets a list go. */
    static final class BatchWaitsFromItsLastInput extends ReferenceExecutor {
        @Override
        protected boolean batchTimerRestartsOnEachInput(dev.pyper.spi.Batching batching) {
            return true;
        }
    }

    /**
     * Rule 10.1: the burst is given to every worker (a bucket of burst × workers tokens), as if
     * each worker had a bucket of its own when the run starts.
     */
    static final class BurstPerWorker extends ReferenceExecutor {
        @Override
        protected TokenBucket tokens(TaskSpec task) {
            FailurePolicy policy = task.failurePolicy();
            if (policy.rate() == null) {
                return TokenBucket.NONE;
            }
            FailurePolicy wider = new FailurePolicy(
                    policy.retry(),
                    policy.timeout(),
                    policy.onFailure(),
                    policy.rate().burst(policy.rate().burst() * task.workers()));
            return TokenBucket.of(new TaskSpec(
                    task.name(),
                    task.kind(),
                    task.function(),
                    task.workers(),
                    task.throttle(),
                    task.multiprocess(),
                    task.ordered(),
                    wider));
        }
    }

    /** Rule 2.5: a task with workers(n) gets one thread, so its invocations run one at a time. */
    static final class WorkersOneAtATime extends ReferenceExecutor {
        @Override
        protected int threads(TaskSpec task) {
            return 1;
        }
    }

    /** Rule 2.1 (end of the stream): the end wakes one of the consumers waiting on an empty buffer, not all of them. */
    static final class LostWakeUpAtTheEnd extends ReferenceExecutor {
        @Override
        protected boolean endWakesEveryConsumer() {
            return false;
        }
    }

    // ---- what the tasks see and pass on ----

    /** Rule 2.1: the producer is called twice with the run's input. */
    static final class ProducerCalledTwice extends ReferenceExecutor {
        @Override
        protected Object[] producerInputs(Object input) {
            return new Object[] {input, input};
        }
    }

    /** Rule 2.1: the producer is called without the run's input (null). */
    static final class ProducerInputDropped extends ReferenceExecutor {
        @Override
        protected Object[] producerInputs(Object input) {
            return new Object[] {null};
        }
    }

    /** Rules 2.2 and 8.4: a null output is dropped. */
    static final class NullOutputsDropped extends ReferenceExecutor {
        @Override
        protected boolean passesNulls() {
            return false;
        }
    }

    /** Rule 2.3: a branch's elements are passed on only once its whole iterable has been read. */
    static final class BranchReadToTheEndFirst extends ReferenceExecutor {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected void invoke(TaskSpec task, Object input, Emitter<Object> out) throws Throwable {
            if (task.kind() != TaskSpec.Kind.BRANCH) {
                super.invoke(task, input, out);
                return;
            }
            Object result = ((ThrowingFunction) task.function()).apply(input);
            List<Object> all = new ArrayList<>();
            if (result instanceof Iterable<?> iterable) {
                iterable.forEach(all::add);
                task.emitEach(all, out);
            } else {
                task.emitEach(result, out); // null or not iterable: the reference's error
            }
        }
    }

    /** Rule 2.4: several join workers each read every item (a broadcast instead of one shared stream). */
    static final class JoinWorkersEachSeeEveryItem extends ReferenceExecutor {
        @Override
        protected int copiesForJoin(TaskSpec join) {
            return join.workers();
        }
    }

    /** Rule 5.1: an async task starts a stage per input without waiting, so every input is in flight at once. */
    static final class AsyncStagesUnbounded extends ReferenceExecutor {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected void invoke(TaskSpec task, Object input, Emitter<Object> out) throws Throwable {
            if (task.kind() != TaskSpec.Kind.ASYNC) {
                super.invoke(task, input, out);
                return;
            }
            CompletionStage<Object> stage = (CompletionStage<Object>) ((ThrowingFunction) task.function()).apply(input);
            stage.whenComplete((value, failure) -> {
                if (failure == null) {
                    try {
                        out.emit(value);
                    } catch (RuntimeException cancelled) {
                        // the run has ended meanwhile
                    }
                }
            });
        }
    }

    // ---- ordering ----

    /** Rule 3.3: the reorder window holds workers + 1 inputs. */
    static final class WindowWiderThanWorkers extends ReferenceExecutor {
        @Override
        protected int reorderWindow(TaskSpec task) {
            return task.workers() + 1;
        }
    }

    /** Rule 3.3: once its input has ended, an ordered task passes the outputs of the inputs still in flight as they complete. */
    static final class OrderLostOnceInputEnded extends ReferenceExecutor {
        @Override
        protected boolean keepsOrderAfterInputEnded() {
            return false;
        }
    }

    /** Rules 3.1 (and 2.1): the caller gets the outputs in swapped pairs, 2 1 4 3 …. */
    public static final class SwapsOutputPairs extends ReferenceExecutor {
        @Override
        protected <O> Run<O> wrap(Run<O> run) {
            return new Wrapped<O>(run) {
                private final ArrayDeque<O> ready = new ArrayDeque<>();

                @Override
                public boolean next(Consumer<? super O> action) {
                    if (ready.isEmpty()) {
                        List<O> pair = new ArrayList<>(2);
                        if (!run.next(pair::add)) {
                            return false;
                        }
                        run.next(pair::add);
                        for (int i = pair.size() - 1; i >= 0; i--) {
                            ready.add(pair.get(i));
                        }
                    }
                    action.accept(ready.poll());
                    return true;
                }
            };
        }
    }

    /** Rules 2.3 and 3.1: the last output never reaches the caller. */
    public static final class DropsTheLastOutput extends ReferenceExecutor {
        @Override
        protected <O> Run<O> wrap(Run<O> run) {
            return new Wrapped<O>(run) {
                private O held;
                private boolean holding;

                @Override
                public boolean next(Consumer<? super O> action) {
                    if (!holding && !run.next(o -> held = o)) {
                        return false;
                    }
                    holding = true;
                    O out = held;
                    if (!run.next(o -> held = o)) {
                        return false; // `out` was the last one: dropped
                    }
                    action.accept(out);
                    return true;
                }
            };
        }
    }

    // ---- failures and cancellation ----

    /** Rule 4.1: a failed run ends as if it had completed. */
    public static final class SwallowsFailures extends ReferenceExecutor {
        @Override
        protected <O> Run<O> wrap(Run<O> run) {
            return new Wrapped<O>(run) {
                @Override
                public boolean next(Consumer<? super O> action) {
                    try {
                        return run.next(action);
                    } catch (PipelineException swallowed) {
                        return false;
                    }
                }
            };
        }
    }

    /** Rule 4.3: each failure replaces the one before as the cause (the later one wins). */
    static final class LaterFailureBecomesTheCause extends ReferenceExecutor {
        @Override
        protected int causeIndex(int count) {
            return count - 1;
        }
    }

    /**
     * Rule 4.2: a failure interrupts only the failing task's workers, and the caller gets the
     * exception without waiting for the other tasks' workers, which go on.
     */
    static final class FailureStopsOnlyTheFailingTask extends ReferenceExecutor {
        @Override
        protected boolean interrupts(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
            return cause != ReferenceRun.Cause.FAILED || worker.task().equals(failing);
        }

        @Override
        protected boolean awaits(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
            return cause != ReferenceRun.Cause.FAILED || worker.task().equals(failing);
        }
    }

    /** Rule 4.4: an early close() neither interrupts nor waits for the producer (blocked in a call, it goes on). */
    static final class CloseForgetsTheProducer extends ReferenceExecutor {
        @Override
        protected boolean interrupts(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
            return cause != ReferenceRun.Cause.CLOSED || !worker.producer();
        }

        @Override
        protected boolean awaits(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
            return cause != ReferenceRun.Cause.CLOSED || !worker.producer();
        }
    }

    /** Rules 4.4 and 8.7: close() interrupts the workers but returns before they have ended; what they do comes after it. */
    static final class CloseReturnsBeforeTheWorkersEnd extends ReferenceExecutor {
        @Override
        protected boolean awaits(ReferenceRun.WorkerInfo worker, ReferenceRun.Cause cause, TaskSpec failing) {
            return cause != ReferenceRun.Cause.CLOSED;
        }
    }

    /** Rule 4.4: an interrupted caller's run is cancelled, but its interrupt flag is left cleared. */
    static final class ClearsTheCallersInterruptFlag extends ReferenceExecutor {
        @Override
        protected boolean keepsTheCallersInterruptFlag() {
            return false;
        }
    }

    /** Rule 4.5: every early close() leaves a platform thread behind. */
    static final class LeaksAThreadPerEarlyClose extends ReferenceExecutor {
        @Override
        protected void closedEarly(Plan plan) {
            Leak.start("pyper-ref-" + plan.tasks().get(0).name() + "-leaked");
        }
    }

    /** Rule 4.5: every run leaves a platform thread behind. */
    public static final class LeaksAThreadPerRun extends ReferenceExecutor {
        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            Leak.start("pyper-ref-" + plan.tasks().get(0).name() + "-leaked");
            return super.start(plan, input);
        }
    }

    /** Rule 8.2: emit() returns normally once the run is cancelled (the output is dropped) instead of throwing. */
    static final class EmitIgnoresCancellation extends ReferenceExecutor {
        @Override
        protected boolean emitThrowsAfterCancellation() {
            return false;
        }
    }

    /**
     * Rule 8.3: a join that returns before reading all of its input does not stop the tasks before
     * it; they go on until their input ends. (Its buffers hold 10,000 items at most, so that an
     * infinite producer blocks instead of filling the test JVM's heap.)
     */
    static final class JoinCannotStopTheTasksBeforeIt extends ReferenceExecutor {
        @Override
        protected boolean abandonsTheInputOfAFinishedTask() {
            return false;
        }

        @Override
        protected int capacity(TaskSpec task) {
            return task.throttle() == 0 ? 10_000 : task.throttle();
        }
    }

    /** Rule 8.5: failed invocations are not counted. */
    static final class FailedInvocationsNotCounted extends ReferenceExecutor {
        @Override
        protected boolean countsAsFailed(Throwable thrown) {
            return false;
        }
    }

    /** Rule 8.5: an output counts as out before the next buffer has taken it (a producer blocked in emit is one ahead). */
    static final class OutputsCountedBeforeHandOff extends ReferenceExecutor {
        @Override
        protected boolean countsOutputsAfterHandOff() {
            return false;
        }
    }

    // ---- hangs ----

    /**
     * Rule 2.1 (and every rule after it): the caller's first pull of each run blocks until the
     * executor is closed (or the caller is interrupted), then goes on as the reference's, which finds
     * the run ended by the close. A hang: the kit catches it with a bounded wait for the first
     * output, the model-based suite with its per-case timeout and thread dump.
     */
    public static final class FirstPullHangs extends ReferenceExecutor {
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        protected <O> Run<O> wrap(Run<O> run) {
            return new Wrapped<O>(run) {
                private boolean pulled;

                @Override
                public boolean next(Consumer<? super O> action) {
                    if (!pulled) {
                        pulled = true;
                        try {
                            closed.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread()
                                    .interrupt(); // the reference's pull cancels the run for it (rule 4.4)
                        }
                    }
                    return run.next(action);
                }
            };
        }

        @Override
        public void close() {
            closed.countDown();
            super.close();
        }
    }

    // ---- helpers ----

    /** A run that passes everything to the reference's run; the run mutants change {@code next}. */
    private abstract static class Wrapped<O> implements Run<O> {
        final Run<O> run;

        Wrapped(Run<O> run) {
            this.run = run;
        }

        @Override
        public RunMetrics metrics() {
            return run.metrics();
        }

        @Override
        public void close() {
            run.close();
        }
    }

    /**
     * Leaked threads: alive well past the kit's leak check (which waits {@link Tck#timeout()}), then
     * gone, so that they do not pile up.
     */
    static final class Leak {
        private Leak() {}

        static void start(String name) {
            long until = System.nanoTime() + 3 * Tck.timeout().toNanos();
            Thread.ofPlatform().daemon(true).name(name).start(() -> {
                for (long left; (left = until - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                }
            });
        }
    }
}
