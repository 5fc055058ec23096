package dev.pyper.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.pyper.PipelineException;
import dev.pyper.RunMetrics;
import dev.pyper.spi.Abbreviation;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.Throwables;
import dev.pyper.spi.Uninterruptibly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: the caller's end of the last channel, the record of the run's workers, and the first
 * failure (rules 4.1 to 4.5).
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li><b>running</b>: workers {@linkplain #enter enter} and {@linkplain #exit exit}; the caller
 *       pulls outputs from the outlet.</li>
 *   <li><b>ending</b>, reached once, by the first of: a failure ({@link #fail}), the caller's
 *       {@link #close()} or interrupt, or the end of the outputs. Every channel is cancelled and
 *       every entered worker interrupted, so that blocked workers wake at once (rule 4.4).</li>
 *   <li><b>done</b>: the caller has waited until no worker is left ({@code live == 0}), then
 *       returned the end, or thrown the failure (rule 4.2).</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * The failure is guarded by {@code lock}; {@code ending} is written under it and is volatile so
 * that workers can poll it between items. The worker registry is an array with a slot per
 * worker and {@code live} an atomic count, so that thousands of workers starting and ending at
 * once neither queue on the run's lock nor share a hash table: a worker registers, then checks
 * {@code ending}; cancellation sets {@code ending}, then interrupts every registered worker, under
 * the lock; so a worker either sees the run ending or is interrupted. A worker deregisters, and if
 * the run is ending waits for the lock (so for any interrupt under way), then clears its interrupt
 * flag: a pooled thread never carries this run's interrupt into the next job. The last worker to
 * end signals {@code allEnded} under the lock, under which the caller checks {@code live}. The
 * outlet fields ({@code outputs}, {@code done}) belong to the caller's thread.
 */
final class RunHandle<O> implements Run<O> {

    private static final Logger LOG = LoggerFactory.getLogger(RunHandle.class);
    private static final long WARN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Plan plan;
    private final Engine engine;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allEnded = lock.newCondition();
    /** The registered worker threads, a slot per worker of the run (see {@link #reserveSlots}). */
    private AtomicReferenceArray<Thread> workers = new AtomicReferenceArray<>(0);

    private int reserved;
    private final List<Channel> channels = new ArrayList<>();
    /** What wakes the run's workers waiting outside a channel: reorder windows' and key gates' cancel(). */
    private final List<Runnable> waits = new ArrayList<>();

    private final List<StageMetrics> stageMetrics = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;
    private Channel outlet;
    private Batch outputs;
    private final AtomicInteger live = new AtomicInteger();
    private volatile boolean ending;

    @GuardedBy("lock")
    private Throwable firstFailure;

    @GuardedBy("lock")
    private String failedTask;

    @GuardedBy("lock")
    private String failedInput;

    @GuardedBy("lock")
    private final List<Throwable> laterFailures = new ArrayList<>();

    private boolean done;
    private PipelineException thrown;
    /** Why the run was cancelled from outside, if it was: the caller's close, the executor's close. */
    private volatile String cancelledBecause;

    RunHandle(Plan plan, Engine engine) {
        this.plan = plan;
        this.engine = engine;
    }

    Plan plan() {
        return plan;
    }

    void addChannel(Channel channel) {
        channels.add(channel);
    }

    /**
     * A wait of the run's workers outside its channels (an ordered stage's window, a keyed stage's
     * gate), woken with the channels when the run is cancelled.
     */
    void addWait(Runnable cancel) {
        waits.add(cancel);
    }

    void addStage(StageMetrics metrics) {
        stageMetrics.add(metrics);
    }

    @Override
    public RunMetrics metrics() {
        long end = endNanos;
        Duration elapsed = Duration.ofNanos((end == 0 ? System.nanoTime() : end) - startNanos);
        return new RunMetrics(stageMetrics.stream().map(StageMetrics::snapshot).toList(), elapsed, end != 0);
    }

    void setOutlet(Channel outlet, int batch) {
        this.outlet = outlet;
        this.outputs = new Batch(outlet, batch);
    }

    /**
     * Reserves registry slots for {@code threads} workers of a stage while the run is set up;
     * returns the first. Worker n of the stage registers in slot {@code first + n - 1}.
     */
    int reserveSlots(int threads) {
        int first = reserved;
        reserved += threads;
        return first;
    }

    /** Counts the workers about to be launched (every reserved slot), before any of them can exit. */
    void expect() {
        workers = new AtomicReferenceArray<>(reserved);
        live.addAndGet(reserved);
    }

    boolean isEnding() {
        return ending;
    }

    /**
     * Registers the calling worker thread so that cancellation can interrupt it.
     *
     * @return false if the run is already ending: the worker must not start work
     */
    boolean enter(int slot, Thread worker) {
        if (ending) {
            return false;
        }
        workers.set(slot, worker);
        return !ending; // else cancellation may have missed this worker: it must not start work
    }

    /** Deregisters the calling worker thread, counts its end, and clears its interrupt flag. */
    @SuppressWarnings("LockNotBeforeTry") // an empty lock-unlock: a barrier behind a cancellation under way
    void exit(int slot) {
        workers.set(slot, null);
        if (ending) {
            // Cancellation may have read this slot before it was cleared and be interrupting now, under
            // the lock: wait for it to finish, so that no interrupt of this run arrives after the clear below.
            lock.lock();
            lock.unlock();
        }
        Thread.interrupted(); // a pooled thread must not carry this run's interrupt into its next job
        ended();
    }

    /** Counts the end of a worker that was never launched. */
    void exitUnlaunched() {
        ended();
    }

    private void ended() {
        boolean last = live.decrementAndGet() == 0;
        if (last) {
            lock.lock();
            try {
                endNanos = System.nanoTime();
                allEnded.signalAll();
            } finally {
                lock.unlock();
            }
        }
        if (last) {
            engine.ended(this);
            if (LOG.isDebugEnabled()) {
                LOG.debug("Run of {} ended: {}", plan, summary());
            }
        }
    }

    /**
     * Records a failure of a task. The first one ends the run (rule 4.2); later ones are kept as
     * suppressed (rule 4.3), except the interrupts and cancellations that ending caused.
     *
     * @param task the task at fault
     * @param input the input being processed, shown shortened; {@code null} where there was none
     * @param error what went wrong
     */
    void fail(String task, String input, Throwable error) {
        Throwable cause = Throwables.unwrap(error);
        boolean first = false;
        lock.lock();
        try {
            if (!ending) {
                first = true;
                firstFailure = cause;
                failedTask = task;
                failedInput = input;
                cancelLocked();
            } else if (firstFailure != null && !Throwables.causedByEnding(cause)) {
                laterFailures.add(cause);
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            // one line: the caller receives the exception with its stack; the stack is logged at DEBUG
            LOG.warn(
                    "Run of {}: task '{}' failed{}: {}; cancelling the run",
                    plan,
                    task,
                    input == null ? "" : " on " + input,
                    String.valueOf(cause));
            LOG.debug("Run of {}: the failure of task '{}'", plan, task, cause);
        }
    }

    /**
     * Cancels the run for a reason outside it; a pull that was waiting then throws a
     * {@code PipelineException} with that reason, unless the run had already failed or ended.
     */
    void cancelFromOutside(String reason) {
        lock.lock();
        try {
            if (!ending) {
                cancelledBecause = reason;
            }
            cancelLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the run: channels wake their waiters, workers are interrupted. */
    void cancel() {
        lock.lock();
        try {
            cancelLocked();
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void cancelLocked() {
        if (ending) {
            return;
        }
        // Channels first, then the flag: a worker that sees `ending` and stops between items must
        // find its output channel cancelled already, so that its end cannot end that channel's
        // stream normally and hand a join downstream a short input as if it were whole.
        // indexed loops: no iterator to allocate, as this may run in a full heap
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).cancel();
        }
        for (int i = 0; i < waits.size(); i++) {
            waits.get(i).run(); // a worker whose interrupt was taken before it came to wait for a slot or a turn
        }
        ending = true;
        for (int i = 0; i < workers.length(); i++) {
            Thread t = workers.get(i);
            if (t != null) {
                t.interrupt();
            }
        }
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).retireUnstarted();
        }
    }

    private List<String> registered() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < workers.length(); i++) {
            Thread t = workers.get(i);
            if (t != null) {
                names.add(t.getName());
            }
        }
        return names;
    }

    // ---- the caller's side -------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public boolean next(Consumer<? super O> action) {
        if (!outputs.hasNext() && !refill()) {
            return false;
        }
        action.accept((O) outputs.next());
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEachRemaining(Consumer<? super O> action) {
        while (outputs.hasNext() || refill()) {
            while (outputs.hasNext()) {
                action.accept((O) outputs.next());
            }
        }
    }

    /** Takes the next batch of outputs; at the end, waits for the workers and reports the outcome. */
    private boolean refill() {
        if (done) {
            if (thrown != null) {
                throw thrown;
            }
            return false;
        }
        try {
            if (outlet.take(outputs)) {
                return true;
            }
            // The end of the stream: whatever still runs (upstream of a join that returned early) is of no use.
            lock.lock();
            try {
                if (firstFailure == null) {
                    cancelLocked();
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            cancel();
            awaitWorkers();
            done = true;
            Thread.currentThread().interrupt();
            thrown = new PipelineException(null, "Interrupted while waiting for the outputs of " + plan, e);
            throw thrown;
        } catch (Signal cancelled) {
            // a failure, or close() from another thread: the outcome is decided below
        }
        awaitWorkers();
        done = true;
        thrown = outcome();
        if (thrown != null) {
            throw thrown;
        }
        return false;
    }

    /** The exception for the caller, made on the caller's thread so that its stack shows the pull. */
    private PipelineException outcome() {
        lock.lock();
        try {
            if (firstFailure != null) {
                PipelineException e = new PipelineException(
                        failedTask,
                        "Task '" + failedTask + "' failed" + (failedInput == null ? "" : " on " + failedInput) + ": "
                                + firstFailure,
                        firstFailure);
                laterFailures.forEach(e::addSuppressed);
                return e;
            }
            if (cancelledBecause != null) {
                return new PipelineException(null, "The run of " + plan + " ended early: " + cancelledBecause, null);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        cancelFromOutside("its output stream was closed while being read");
        awaitWorkers();
        done = true;
    }

    /**
     * Waits, without a bound, until every worker of the run has ended (rules 4.2, 4.5). Keeps the
     * caller's interrupt for afterwards; warns once if workers ignore cancellation for long.
     */
    @SuppressWarnings("WaitNotInLoop") // the waits are in Uninterruptibly.until's loop, which rechecks
    private void awaitWorkers() {
        lock.lock();
        try {
            long warnAt = System.nanoTime() + WARN_AFTER_NANOS;
            Uninterruptibly.until(
                    () -> workersEnded() || allEnded.awaitNanos(warnAt - System.nanoTime()) <= 0 || workersEnded());
            if (!workersEnded()) {
                if (live.get() > 0) {
                    LOG.warn(
                            "Run of {}: still waiting for {} worker(s) to end after cancellation: {}",
                            plan,
                            live.get(),
                            registered());
                }
                Uninterruptibly.until(() -> {
                    if (!workersEnded()) {
                        allEnded.await();
                    }
                    return workersEnded();
                });
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether every worker has ended; the last one sets {@code endNanos}, under the lock, after its count. Under the lock. */
    private boolean workersEnded() {
        return live.get() == 0 && endNanos != 0;
    }

    /** The totals of a run for its end-of-run log line: items in and out, per task. */
    private String summary() {
        StringBuilder b = new StringBuilder();
        for (var t : metrics().tasks()) {
            b.append(t.name())
                    .append(": ")
                    .append(t.itemsIn())
                    .append(" in, ")
                    .append(t.itemsOut())
                    .append(" out");
            if (t.failed() > 0) {
                b.append(", ").append(t.failed()).append(" failed");
            }
            b.append("; ");
        }
        return b.append("in ")
                .append(metrics().elapsed().toMillis())
                .append(" ms")
                .toString();
    }

    // ---- failures ----------------------------------------------------------------------------

    /** The input as a failure message shows it: its text, abbreviated (rule 4.1), never failing. */
    static String describe(Object input) {
        return "input " + Abbreviation.of(input);
    }
}
