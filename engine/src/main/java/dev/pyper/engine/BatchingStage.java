package dev.pyper.engine;

import dev.pyper.spi.Batching;
import dev.pyper.spi.PolicyClock;
import dev.pyper.spi.TaskSpec;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * A batch task (rules 10.5 to 10.8): one thread that takes inputs into a batch of at most
 * {@code size} and puts the batch into the output channel, as one item, when it is full, when its
 * {@code maxWait} has passed since it took its first input, or at the end of the input; never
 * empty. (Not to be confused with {@link Batch}, a worker's cursor over the items it took under
 * one lock.)
 *
 * <h2>Time</h2>
 * When a batch takes its first input, a timer is set for {@code maxWait} on the JVM's
 * {@link PolicyClock} (rule 10.8). When it fires, on the clock's timer thread, it marks that
 * batch's {@link Deadline} passed and wakes the take ({@link Channel#takeUntil}), which then
 * returns and the batch goes as it is. A batch that goes first (full, or at the end) cancels its
 * timer; a timer that fires late marks only its own batch's deadline, which nobody reads any more.
 * No thread sleeps, so a test moves time with a clock of its own.
 *
 * <h2>Back-pressure</h2>
 * The put of a batch waits on a full output channel as any output does (rule 2.6); meanwhile
 * nothing is taken, the input channel fills to the throttle of the task before, and that task
 * pauses (rule 10.7). The stage holds at most {@code size} inputs.
 *
 * <h2>End, failure, cancellation</h2>
 * At the end of the input the last batch goes if it holds anything. When the run fails or is
 * cancelled, the channels throw {@link Signal}: the batch in hand is dropped with the run, which
 * hands the caller its failure or its close, never a short result as if it were whole; its timer
 * is cancelled. When nobody consumes the batches any more (a join after it returned, rule 8.3),
 * the put ends this stage quietly, and leaving stops the stage before it, as a worker stage does.
 * The one thread owns the batch and its deadline; the timer thread touches only the deadline's
 * flag and the channel's lock.
 */
final class BatchingStage implements Stage {

    private final TaskSpec task;
    private final Batching batching;
    private final RunHandle<?> run;
    private final Channel input;
    private final Channel output;
    private final Channel upstreamInput;
    private final StageMetrics metrics;
    /** This stage's slot in the run's worker registry. */
    private final int slot;

    /**
     * @param upstreamInput the input channel of the stage before, stopped when this stage abandons
     *     its own input
     */
    BatchingStage(TaskSpec task, RunHandle<?> run, Channel input, Channel output, Channel upstreamInput) {
        this.task = task;
        this.batching = Batching.of(task);
        this.run = run;
        this.input = input;
        this.output = output;
        this.upstreamInput = upstreamInput;
        this.metrics = new StageMetrics(task, input, output, 1, null); // items in, batches out; no invocations
        this.slot = run.reserveSlots(1);
    }

    @Override
    public TaskSpec task() {
        return task;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public StageMetrics metrics() {
        return metrics;
    }

    @Override
    public void work(int n) {
        try {
            if (run.enter(slot, Thread.currentThread())) {
                fill();
            }
        } catch (Throwable t) {
            if (!Signal.isAbandoned(t)) {
                run.fail(task.name(), null, t); // a cancellation's signal or interrupt is not kept as a failure
            }
        } finally {
            try {
                leave();
            } finally {
                run.exit(slot);
            }
        }
    }

    @Override
    public void notLaunched() {
        leave();
        run.exitUnlaunched();
    }

    private void leave() {
        Stage.leave(input, output, upstreamInput);
    }

    /** Fills batches and puts them, until the input ends. */
    private void fill() throws InterruptedException {
        int size = batching.size();
        List<Object> batch = batching.open();
        Deadline deadline = Deadline.NONE;
        try {
            while (true) {
                int taken = input.takeUntil(batch, size - batch.size(), deadline);
                if (taken < 0) {
                    break;
                }
                if (taken == batch.size() && taken < size && batching.hasMaxWait()) {
                    deadline = Deadline.arm(batching.maxWaitNanos(), input); // its first inputs: time starts now
                }
                if (batch.size() == size || deadline.getAsBoolean()) {
                    deadline.cancel();
                    deadline = Deadline.NONE;
                    output.put(batching.seal(batch));
                    batch = batching.open();
                }
            }
            if (!batch.isEmpty()) {
                output.put(batching.seal(batch));
            }
        } finally {
            deadline.cancel();
        }
    }

    /** The {@code maxWait} of one batch: marked passed by a timer of the {@link PolicyClock}, which then wakes the take. */
    private static final class Deadline implements BooleanSupplier {

        /** The deadline of an empty batch, or of one without {@code maxWait}: it never passes. */
        static final Deadline NONE = new Deadline();

        private volatile boolean passed;
        private volatile Future<?> timer;

        /** A deadline {@code nanos} of the JVM's clock from now, whose timer wakes the takers of {@code input}. */
        static Deadline arm(long nanos, Channel input) {
            Deadline deadline = new Deadline();
            deadline.timer = PolicyClock.current()
                    .schedule(
                            () -> {
                                deadline.passed = true;
                                input.wakeTakers();
                            },
                            nanos);
            return deadline;
        }

        @Override
        public boolean getAsBoolean() {
            return passed;
        }

        /** Cancels the timer, if it has not fired; a deadline that has passed stays passed. */
        void cancel() {
            Future<?> pending = timer;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
