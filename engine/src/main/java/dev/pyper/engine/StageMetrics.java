package dev.pyper.engine;

import dev.pyper.TaskMetrics;
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
 *   <li>invocations, failures, busy: each worker writes its own {@link WorkerCounters} with plain
 *       stores, no atomics; a snapshot sums them with plain reads. A worker of an unordered task
 *       counts the calls of a batch once, at the end of the batch, so a snapshot taken while the
 *       run is going lags by less than a batch ({@value Stage#MAX_BATCH} calls) per worker; once
 *       every worker has ended (which the run's lock publishes) it is exact.</li>
 *   <li>time in the function: sampled. A worker times every call while calls take longer than
 *       {@value #ALWAYS_TIME_NANOS} ns, and its first {@value #TIME_FIRST} calls, else about one
 *       call in {@value #SAMPLE_EVERY}, because two clock reads would cost more than a fast
 *       function. Whether to time is decided once per batch, so the loop that runs a batch of
 *       fast calls reads and writes no counter at all: an A/B on the fastest hand-off (W1) could
 *       not tell it from an engine with the counters compiled out. Samples go to a
 *       {@link TimeHistogram} shared by the stage's workers: contention is rare at the sampling
 *       rate.</li>
 * </ul>
 */
final class StageMetrics {

    /**
     * Whether workers count and time their calls: always, unless the JVM runs with
     * {@code -Dpyper.metrics.calls=false}, which exists for the benchmark that measures what the
     * counting costs (W10) and leaves invocations, failures, busy workers and function times at 0. A constant,
     * so that the JIT drops the counting altogether when it is off.
     */
    static final boolean COUNT_CALLS = !"false".equals(System.getProperty("pyper.metrics.calls"));

    /** A worker times one fast call in this many (a power of two). */
    static final int SAMPLE_EVERY = 1024;
    /** A worker times this many calls before it samples. */
    static final int TIME_FIRST = 64;
    private static final long ALWAYS_TIME_NANOS = 20_000;

    private final TaskSpec task;
    private final Channel input;
    private final Channel output;
    /** Made by each worker as it starts: a run of 10,000 workers that starts few of them allocates few. */
    private final AtomicReferenceArray<WorkerCounters> workers;
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
    WorkerCounters worker(int n) {
        WorkerCounters mine = workers.getPlain(n - 1);
        if (mine == null) {
            mine = new WorkerCounters(this);
            workers.setRelease(n - 1, mine);
        }
        return mine;
    }

    TaskMetrics snapshot() {
        long invocations = 0;
        long failed = 0;
        int busy = 0;
        long sampledNanos = 0;
        long samples = 0;
        for (int i = 0; i < workers.length(); i++) {
            WorkerCounters w = workers.getAcquire(i);
            if (w == null) {
                continue; // not started
            }
            invocations += w.invocations;
            failed += w.failed;
            busy += w.busy;
            sampledNanos += w.sampledNanos;
            samples += w.samples;
        }
        if (this.busy != null) {
            busy = this.busy.getAsInt();
        }
        Duration mean = Duration.ofNanos(samples == 0 ? 0 : sampledNanos / samples);
        return new TaskMetrics(task.name(), task.workers(), input.takenCount(), output.putCount(), failed, busy, output.buffered(),
                invocations, mean, Duration.ofNanos(times.percentile(0.99)));
    }

    /**
     * One worker's counters: plain fields, written by that worker only (see the class comment).
     */
    static final class WorkerCounters {
        private final StageMetrics stage;
        long invocations;
        long failed;
        int busy;
        long sampledNanos;
        long samples;
        /** The last timed call was slow: time every call. */
        private boolean timeEvery;
        /** The count of invocations at which the next fast call is timed. */
        private long nextTiming;

        WorkerCounters(StageMetrics stage) {
            this.stage = stage;
        }

        /** Whether the next call is to be timed: while calls are slow, for the first few, then one in {@value #SAMPLE_EVERY}. */
        boolean timingDue() {
            return COUNT_CALLS && (timeEvery || samples < TIME_FIRST || invocations >= nextTiming);
        }

        /** A call begins: returns its start time if it is to be timed, else 0. */
        long begin() {
            return timingDue() ? System.nanoTime() | 1 : 0;
        }

        /** Marks the worker busy: with a call or a batch of inputs. */
        void busy() {
            if (COUNT_CALLS) {
                busy = 1;
            }
        }

        /** Marks the worker idle: its call or batch is done. */
        void idle() {
            if (COUNT_CALLS) {
                busy = 0;
            }
        }

        /** Counts {@code calls} untimed calls that have ended, the last of which failed if {@code threw}. */
        void count(int calls, boolean threw) {
            if (!COUNT_CALLS) {
                return;
            }
            invocations += calls;
            if (threw) {
                failed++;
            }
        }

        /** Counts a call that started at {@code started} (a {@link System#nanoTime()}) and ended now, timed. */
        void timed(long started, boolean threw) {
            if (!COUNT_CALLS) {
                return;
            }
            long nanos = System.nanoTime() - started;
            sampledNanos += nanos;
            samples++;
            timeEvery = nanos >= ALWAYS_TIME_NANOS;
            stage.times.record(nanos);
            count(1, threw);
            nextTiming = invocations + SAMPLE_EVERY;
        }

        /** Counts the call that {@link #begin()} started, timed if it returned a start time. */
        void end(long started, boolean threw) {
            if (started != 0) {
                timed(started, threw);
            } else {
                count(1, threw);
            }
        }
    }
}
