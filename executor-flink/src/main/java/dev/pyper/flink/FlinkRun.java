package dev.pyper.flink;

import dev.pyper.PipelineException;
import dev.pyper.RunMetrics;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.Uninterruptibly;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.SerializedThrowable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline as a Flink job, as the caller pulls it (rules 2.1, 4.1 to 4.4, 8.7).
 *
 * <p>The run ends when the job reaches a terminal state, which Flink reports only after every
 * subtask has ended, and with it every invocation (operators' {@code close()} waits for the
 * threads they start): so a pull that returns the end or throws the failure does so after
 * nothing of the run is left (rules 4.2, 4.5). Closing cancels the job and waits for that same
 * state. A failure reaches the caller as a {@link PipelineException} with the user's exception as
 * its cause: on the embedded cluster the very object thrown, with later failures suppressed;
 * from a remote cluster the copy that Flink serialized, found in Flink's wrappers.
 *
 * <p>A run logs through SLF4J as the in-JVM executors' do (rule 8.6): its start at {@code DEBUG};
 * when its job has ended, a failure at {@code WARN} as one line (the task, the input abbreviated,
 * the exception; the stack trace at {@code DEBUG}), then its end with each task's totals at
 * {@code DEBUG}. A run that the caller or the executor closed while its job ran logs no failure:
 * its tasks were interrupted on purpose.
 *
 * <p>One caller thread pulls; {@link #close()} and {@link #abort} may come from any thread.
 */
final class FlinkRun<O> implements Run<O> {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkRun.class);

    private final Plan plan;
    private final JobClient job;
    private final RunOutputs outputs;
    private final Failures failures;
    /** The run's metrics: the counters themselves on the embedded cluster; for a remote run, the outputs taken. */
    private final RunCounters counters;
    /** For a remote run: its TaskManagers' counters as they stood at the job's end (fails if the job failed). */
    private final CompletableFuture<Map<String, Object>> finalAccumulators;
    /** For a remote run: the last metrics its cluster answered with, for when it does not answer. */
    private volatile RunMetrics lastRemote;
    /** For a remote run: its metrics as the cluster gave them once the job had ended. */
    private volatile RunMetrics finalRemote;

    private final Consumer<FlinkRun<?>> release;
    /** Completes, never exceptionally, once the job is terminal: with its failure, or null if it finished. */
    private final CompletableFuture<Throwable> ended;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile String closedBecause;
    /** Whether the run was closed before its job had ended: then the job's end, failure or not, is the cancellation's. */
    private volatile boolean closedWhileRunning;

    private boolean finished;

    /**
     * @param counters the run's counters
     * @param remote whether the job runs on a remote cluster, whose counters come as accumulators
     */
    @SuppressWarnings("FutureReturnValueIgnored") // callbacks on the job's end; nobody waits on their stages
    FlinkRun(
            Plan plan,
            JobClient job,
            RunOutputs outputs,
            Failures failures,
            RunCounters counters,
            boolean remote,
            Runnable onEnd,
            Consumer<FlinkRun<?>> release) {
        this.plan = plan;
        this.job = job;
        this.outputs = outputs;
        this.failures = failures;
        this.counters = counters;
        this.release = release;
        // one request for the job's result: a remote client asks the cluster anew on every call
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        this.ended = result.handle((done, error) -> error);
        this.finalAccumulators = remote ? result.thenApply(JobExecutionResult::getAllAccumulatorResults) : null;
        ended.thenRun(this::stopClock);
        ended.thenRun(onEnd);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Starting a run of {} as Flink job {} with workers {}",
                    plan,
                    job.getJobID(),
                    plan.tasks().stream().map(t -> t.name() + "=" + t.workers()).toList());
        }
        result.whenComplete(this::logEnd);
    }

    /** Logs how the job ended (rule 8.6); never throws, as it runs on a thread of Flink's client. */
    private void logEnd(JobExecutionResult done, Throwable error) {
        try {
            stopClock();
            boolean closedByUs = closedWhileRunning; // a close after a failure reached the caller does not hide it
            if (error != null && !closedByUs) {
                logFailure(error);
            }
            if (LOG.isDebugEnabled()) {
                String outcome = error == null ? "" : closedByUs ? " (cancelled: " + closedBecause + ")" : " (failed)";
                LOG.debug("Run of {} (Flink job {}) ended{}: {}", plan, job.getJobID(), outcome, totals(done));
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Could not log the end of {}: {}", this, e.toString());
        }
    }

    /** The failure as one WARN line, its stack trace at DEBUG. */
    private void logFailure(Throwable jobError) {
        Failures.Failure first = failures.first();
        TaskFailure failure = first != null ? first.failure() : findTaskFailure(jobError);
        if (failure != null) {
            Throwable cause = first != null ? first.cause() : failure.getCause();
            LOG.warn("Run of {}: {}", plan, failure.getMessage());
            LOG.debug("Run of {}: the failure of task '{}'", plan, failure.taskName(), cause);
        } else {
            LOG.warn("Run of {}: the Flink job failed: {}", plan, describe(jobError));
            LOG.debug("Run of {}: the failure of the Flink job", plan, jobError);
        }
    }

    /** Each task's items in and out (and failed invocations) for the end line; a remote job that failed reports none. */
    private String totals(JobExecutionResult done) {
        RunMetrics metrics;
        if (finalAccumulators == null) {
            metrics = counters.snapshot();
        } else if (done != null) {
            Map<String, Object> accumulators = done.getAllAccumulatorResults();
            metrics = counters.snapshot(
                    index -> accumulators.get(TaskAccumulator.name(index)) instanceof TaskCounters.Sums sums
                            ? sums
                            : TaskCounters.Sums.ZERO);
        } else {
            return "the cluster reports no totals for a job that did not finish";
        }
        StringBuilder b = new StringBuilder();
        for (var t : metrics.tasks()) {
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
                .append(metrics.elapsed().toMillis())
                .append(" ms")
                .toString();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean next(Consumer<? super O> action) {
        if (finished) {
            return false;
        }
        if (closed.get()) {
            throw closedException();
        }
        Object value;
        try {
            value = outputs.next();
        } catch (InterruptedException e) {
            abort("the caller was interrupted");
            Thread.currentThread().interrupt();
            throw new PipelineException(
                    null, "Interrupted while waiting for an output of " + plan + "; the run was cancelled", e);
        } catch (RuntimeException e) {
            if (closed.get()) {
                throw closedException();
            }
            Throwable error = awaitEnd();
            released();
            throw failure(error != null ? error : e);
        }
        if (value == OutputChannel.END) {
            Throwable error = awaitEnd();
            if (closed.get()) {
                throw closedException();
            }
            released();
            if (error != null) {
                throw failure(error);
            }
            finished = true;
            return false;
        }
        counters.taken();
        action.accept((O) value);
        return true;
    }

    /**
     * What the run has done so far (rule 8.5). On the embedded cluster, read from the counters
     * themselves. On a remote one, from the accumulators that the TaskManagers send the JobManager
     * with their heartbeats (so up to a heartbeat interval old, 10 s by default) and at the job's
     * end (then exact); each call asks the cluster, waiting up to 2 s, and a cluster that does not
     * answer gets the last figures it gave.
     */
    @Override
    public RunMetrics metrics() {
        if (finalAccumulators == null) {
            return counters.snapshot();
        }
        RunMetrics done = finalRemote;
        if (done != null) {
            return done; // they no longer change
        }
        boolean finished = ended.isDone();
        if (finished) {
            stopClock(); // the future's own call of it may still be under way
        }
        Map<String, Object> accumulators;
        try {
            accumulators = finished ? finalOrArchived() : job.getAccumulators().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return remoteFallback();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("No metrics from the cluster for {}: {}", this, e.toString());
            return remoteFallback();
        }
        RunMetrics metrics = counters.snapshot(
                index -> accumulators.get(TaskAccumulator.name(index)) instanceof TaskCounters.Sums sums
                        ? sums
                        : TaskCounters.Sums.ZERO);
        lastRemote = metrics;
        if (finished) {
            finalRemote = metrics;
        }
        return metrics;
    }

    /** A finished job's accumulators: from its result, or for a job that failed (which has none), from the cluster's archive. */
    private Map<String, Object> finalOrArchived() throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return finalAccumulators.get(2, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            return job.getAccumulators().get(2, TimeUnit.SECONDS);
        }
    }

    private RunMetrics remoteFallback() {
        RunMetrics last = lastRemote;
        return last != null ? last : counters.snapshot(index -> TaskCounters.Sums.ZERO);
    }

    @Override
    public void close() {
        if (finished) {
            closed.set(true);
            return;
        }
        abort("the run was closed");
    }

    /** Cancels the job unless it has ended, and waits until it has; a pull then throws with {@code reason}. */
    void abort(String reason) {
        if (!closed.compareAndSet(false, true)) {
            awaitEnd();
            return;
        }
        closedBecause = reason;
        closedWhileRunning = !ended.isDone();
        if (!ended.isDone()) {
            job.cancel().exceptionally(e -> null); // it may have ended meanwhile
        }
        outputs.cancel(); // after the job's cancel, so that a sink waiting for room ends by Flink's interrupt, not by
        // failing
        awaitEnd();
        released();
    }

    /** Hands the run back to its executor, once. */
    private void released() {
        if (released.compareAndSet(false, true)) {
            release.accept(this);
        }
    }

    private PipelineException closedException() {
        return new PipelineException(null, "The run of " + plan + " has ended: " + closedBecause, null);
    }

    /** The job is terminal: the metrics' time stops, and they are final. Idempotent. */
    private void stopClock() {
        counters.ended();
    }

    /** Waits, without giving in to interrupts (the flag is kept), until the job is terminal; then its metrics are final. */
    private Throwable awaitEnd() {
        long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Uninterruptibly.until(() -> ended(warnAt - System.nanoTime()) || System.nanoTime() - warnAt >= 0);
        if (!ended.isDone()) {
            LOG.warn("The Flink job {} of {} has not ended 10 s after it was asked to; waiting", job.getJobID(), plan);
            Uninterruptibly.until(() -> ended(TimeUnit.SECONDS.toNanos(1)));
        }
        stopClock(); // the future's own call of it may still be under way
        return ended.join(); // handle() never fails: its value is the job's error, or null
    }

    /** Waits up to {@code nanos} for the job's end; returns whether it has ended. */
    private boolean ended(long nanos) throws InterruptedException {
        try {
            ended.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // handle() never fails; kept for completeness
        }
    }

    /** The caller's view of a failed job (rules 4.1, 4.3). */
    private PipelineException failure(Throwable jobError) {
        Failures.Failure first = failures.first();
        if (first != null) {
            PipelineException e = new PipelineException(
                    first.failure().taskName(), first.failure().getMessage(), first.cause());
            failures.later().forEach(e::addSuppressed);
            return e;
        }
        TaskFailure shipped = findTaskFailure(jobError);
        if (shipped != null) {
            return new PipelineException(shipped.taskName(), shipped.getMessage(), shipped.getCause());
        }
        return new PipelineException(null, "The Flink job of " + plan + " failed: " + describe(jobError), jobError);
    }

    /**
     * What made the job fail, below Flink's wrappers (the client's {@code CompletionException},
     * {@code ProgramInvocationException}, {@code JobExecutionException}, the restart strategy's
     * {@code JobException}), with up to three of its causes: for a TaskManager that was lost, such
     * as {@code JobMasterException: TaskManager with id … is no longer reachable.}, or Flink's
     * network error that names it ({@code … [ taskmanager-2 ] …}) and the socket's error below.
     * Serialized copies are deserialized; a wrapper whose message only repeats its cause is left out.
     */
    static String describe(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Throwable t = error;
        while (t != null && chain.size() < 64) {
            Throwable original = t instanceof SerializedThrowable serialized ? original(serialized) : t;
            if (original != t) {
                t = original;
                continue;
            }
            chain.add(t);
            t = t.getCause();
        }
        int start = 0;
        for (int i = 0; i < chain.size() - 1; i++) {
            Throwable wrapper = chain.get(i);
            if (wrapper instanceof JobException
                    || wrapper instanceof JobExecutionException
                    || wrapper instanceof CompletionException
                    || wrapper instanceof ExecutionException) {
                start = i + 1;
            }
        }
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (int i = start; i < chain.size() && shown < 4; i++) {
            Throwable cause = i + 1 < chain.size() ? chain.get(i + 1) : null;
            if (cause != null && String.valueOf(cause).equals(chain.get(i).getMessage())) {
                continue; // new Exception(cause): its message is the cause's
            }
            b.append(shown++ == 0 ? "" : "; caused by ").append(chain.get(i));
        }
        return b.toString();
    }

    /** What Flink kept serialized, deserialized where it can be; else {@code serialized} itself. */
    private static Throwable original(SerializedThrowable serialized) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return serialized.deserializeError(context != null ? context : FlinkRun.class.getClassLoader());
    }

    /** The task failure in Flink's chain of wrappers, deserializing what Flink kept serialized. */
    private static TaskFailure findTaskFailure(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 64; depth++) {
            if (t instanceof TaskFailure failure) {
                return failure;
            }
            Throwable original = t instanceof SerializedThrowable serialized ? original(serialized) : t;
            if (original != t) {
                t = original;
                continue;
            }
            t = t.getCause();
        }
        return null;
    }

    @Override
    public String toString() {
        return "FlinkRun[" + plan + ", job " + job.getJobID() + "]";
    }
}
