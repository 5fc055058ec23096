package dev.pyper.engine;

import dev.pyper.spi.Batching;
import dev.pyper.spi.TaskSpec;

/**
 * One task of a run, between the channel it takes inputs from and the channel it puts outputs
 * into: {@link WorkerStage} for tasks whose workers call the function and wait for it,
 * {@link AsyncStage} for async tasks, whose stages complete on other threads, and
 * {@link BatchingStage} for batch tasks, which call no function.
 */
interface Stage {

    /** Items a sole consumer takes under one lock. */
    int MAX_BATCH = 256;

    /** The task. */
    TaskSpec task();

    /** How many threads the engine launches for this stage. */
    int threads();

    /** The body of thread number {@code n} (from 1); never throws. */
    void work(int n);

    /** The bookkeeping of a thread that could not be launched: its end, without work. */
    void notLaunched();

    /**
     * Whether the engine leaves this stage's threads to {@link #startLazily} instead of launching
     * them up front.
     */
    default boolean startsLazily() {
        return false;
    }

    /** Arms lazy start: the stage launches its threads through {@code launcher} as inputs arrive. */
    default void startLazily(WorkerLauncher launcher) {
        throw new UnsupportedOperationException();
    }

    /** The name of worker thread {@code n} of {@code task}: {@code pyper-<task>-<n>}. */
    static String threadName(TaskSpec task, int n) {
        return "pyper-" + task.name() + "-" + n;
    }

    /** The stage's metrics. */
    StageMetrics metrics();

    /** How many threads of a stage of this task put into its output channel. */
    static int producers(TaskSpec task) {
        return task.kind().isAsync() ? 1 : task.workers();
    }

    /** How many threads of a stage of this task take from its input channel. */
    static int consumers(TaskSpec task) {
        return task.kind().isAsync() ? 1 : task.workers();
    }

    /**
     * The capacity of the channel a stage of this task puts into: its throttle; for a batch task,
     * whose throttle counts inputs, as many whole batches as it holds (rule 10.7).
     */
    static int capacity(TaskSpec task) {
        return task.kind() == TaskSpec.Kind.BATCH ? Batching.of(task).batchesFor(task.throttle()) : task.throttle();
    }

    /** How many items a sole consumer of a channel of this capacity takes at once (rule 2.6). */
    static int batchFor(int capacity) {
        return capacity == 0 ? MAX_BATCH : Math.max(1, Math.min(MAX_BATCH, capacity / 2));
    }

    /**
     * A worker of a stage has ended: one producer of {@code output} fewer, one consumer of
     * {@code input} fewer; the last consumer to go stops the stage before, whose outputs no one
     * takes any more ({@code upstreamInput}, its input, null for the producer).
     */
    static void leave(Channel input, Channel output, Channel upstreamInput) {
        try {
            output.producerDone();
        } finally {
            if (input.consumerDone() && upstreamInput != null) {
                upstreamInput.stop();
            }
        }
    }
}
