package dev.pyper.engine;

import dev.pyper.TaskMetrics;
import dev.pyper.spi.CallCounter;
import dev.pyper.spi.TaskSpec;
import dev.pyper.spi.TimeHistogram;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The metrics of one stage, kept so cheaply that they are always on.
 *
 * <h2>Where each figure comes from</h2>
 * <ul>
 *   <li>items in and out, buffered: the channels count them under the locks they take anyway.</li>
 *   <li>invocations, failures, busy: each worker writes its own {@link CallCounter} with plain
 *       stores, no atomics; a snapshot sums them with plain reads. A worker of an unordered task
 *       counts the calls of a batch once, at the end of the batch, so a snapshot taken while the
 *       run is going lags by less than a batch ({@value Stage#MAX_BATCH} calls) per worker; once
 *       every worker has ended (which the run's lock publishes) it is exact.</li>
 *   <li>time in the function: sampled, as {@link CallCounter} says (every slow call, a worker's
 *       first calls, then about one fast call in a thousand), because two clock reads would cost
 *       more than a fast function. Whether to time is decided once per batch, so the loop that
 *       runs a batch of fast calls reads and writes no counter at all: an A/B on the fastest hand-off (W1) could
 *       not tell it from an engine with the counters compiled out. Samples go to a
 *       {@link TimeHistogram} shared by the stage's workers: contention is rare at the sampling
 *       rate.</li>
 *   <li>a keyed task's waits for a busy key (rule 10.10): its {@link KeyGate} counts them in the
 *       counter of the worker that claims or takes the input, under the gate's lock.</li>
 * </ul>
 */
final class StageMetrics {

    private final TaskSpec task;
    private final Channel input;
    private final Channel output;
    /** Made by each worker as it starts: a run of 10,000 workers that starts few of them allocates few. */
    private final AtomicReferenceArray<CallCounter> workers;

    private final IntSupplier busy;
    /** The sampled call times, shared by the stage's workers. */
    private final TimeHistogram times = new TimeHistogram();

    /**
     * @param counters how many writers of counters the stage has (its worker threads)
     * @param busy how many invocations are under way, where the counters cannot tell (async
     *     stages); null to sum the workers' busy flags
     */
    StageMetrics(TaskSpec task, Channel input, Channel output, int counters, IntSupplier busy) {
        this.task = task;
        this.input = input;
        this.output = output;
        this.busy = busy;
        this.workers = new AtomicReferenceArray<>(counters);
    }

    /** The counters of worker number {@code n}, from 1, made on its first call; called and written only by that worker. */
    CallCounter worker(int n) {
        CallCounter mine = workers.getPlain(n - 1);
        if (mine == null) {
            mine = new CallCounter(times);
            workers.setRelease(n - 1, mine);
        }
        return mine;
    }

    TaskMetrics snapshot() {
        CallCounter.Totals totals = CallCounter.Totals.NONE;
        for (int i = 0; i < workers.length(); i++) {
            CallCounter w = workers.getAcquire(i);
            if (w != null) { // else not started
                totals = totals.plus(w);
            }
        }
        int busy = this.busy != null ? this.busy.getAsInt() : totals.busy();
        return new TaskMetrics(
                task.name(),
                task.workers(),
                input.takenCount(),
                output.putCount(),
                totals.failed(),
                busy,
                output.buffered(),
                totals.invocations(),
                totals.meanTime(),
                Duration.ofNanos(times.percentile(0.99)),
                totals.retries(),
                totals.timeouts(),
                totals.skipped(),
                totals.deadLettered(),
                totals.rateDelayed(),
                Duration.ofNanos(totals.rateWaitNanos()),
                totals.keyDelayed(),
                Duration.ofNanos(totals.keyWaitNanos()));
    }
}
