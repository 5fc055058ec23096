package dev.pyper.model;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.PipelineFunction;
import dev.pyper.PipelineRun;
import dev.pyper.RunMetrics;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one {@link ModelCase} on an executor, on the calling thread, and checks the outcome
 * against the model: the outputs (rules 3.1 to 3.3), the failure and its cause (rules 4.1, 4.3),
 * the caller's side of cancellation (rule 4.4), that no invocation is still running when the
 * caller has the outcome (rules 4.2, 4.5) and that throttled stages stay within their bound
 * (rule 2.6). Throws {@link AssertionError} on the first disagreement.
 */
final class CaseRunner {

    /** How long closing a stream early may take: "promptly" (rule 4.4), generous for a loaded machine. */
    static final long CLOSE_BOUND_MILLIS = 5_000;

    private final ModelCase c;
    private final PipelineExecutor executor;
    private final OutcomeCheck check;
    private final ResilienceCheck resilience;
    private final FlowCheck flow;
    private final KeyCheck keys;
    private Probe.Counters probe;
    private boolean countedExactly;
    private boolean flowCounted;

    CaseRunner(ModelCase c, PipelineExecutor executor) {
        this.c = c;
        this.executor = executor;
        this.check = new OutcomeCheck(c);
        this.resilience = new ResilienceCheck(c);
        this.flow = new FlowCheck(c);
        this.keys = new KeyCheck(c);
    }

    /**
     * Runs the case; the calling thread's interrupt flag is clear afterwards.
     *
     * @return how the run ended, for the suite's tally
     */
    String run() {
        probe = Probe.open(
                c.caseId(),
                c.leadBounds(),
                c.stages().stream().mapToInt(StageShape::workers).toArray());
        try {
            Pipeline<Integer, Integer> pipeline = StageShape.pipeline(c.stages(), executor);
            switch (c.consumer()) {
                case ALL -> readAll(pipeline);
                case CLOSE_EARLY -> closeEarly(pipeline);
                case THROW -> consumerThrows(pipeline);
                case INTERRUPT -> interrupted(pipeline, false);
                case INTERRUPT_WAITING -> interrupted(pipeline, true);
            }
            String workers = probe.workersViolation();
            if (workers != null) {
                throw new AssertionError("A stage ran more invocations at once than it has workers: " + workers);
            }
            String lead = probe.leadViolation();
            if (lead != null) {
                throw new AssertionError("A throttled stage ran too far ahead: " + lead);
            }
            if (resilience.applies()) {
                resilience.bounds();
            }
            flow.bounds();
            keys.turns();
            return check.outcome()
                    + (countedExactly ? " (section 9 counts exact)" : "")
                    + (flowCounted ? " (section 10 counts exact)" : "");
        } finally {
            Probe.close(c.caseId());
            Thread.interrupted();
        }
    }

    private void readAll(Pipeline<Integer, Integer> pipeline) {
        List<Integer> got = new ArrayList<>();
        RunMetrics metrics;
        long started = System.nanoTime();
        long elapsed;
        try (PipelineRun<Integer> run = pipeline.start(c.input());
                Stream<Integer> outputs = run.outputs()) {
            Iterator<Integer> it = outputs.iterator();
            try {
                while (it.hasNext()) {
                    take(it, got);
                }
            } catch (PipelineException e) {
                noInvocationRunning("when the failure reached the caller (rule 4.2)");
                check.injectedFailure(e, got);
                return;
            }
            elapsed = System.nanoTime() - started;
            noInvocationRunning("when the end of the outputs reached the caller (rule 4.5)");
            metrics = run.metrics(); // exact once the outputs have ended
        }
        check.completeOutputs(got);
        if (resilience.applies() && resilience.exact()) {
            resilience.exactCounts(metrics);
            countedExactly = true;
        }
        if (flow.applies() && resilience.exact()) {
            flow.exactCounts(metrics, elapsed);
            flowCounted = true;
        }
    }

    private void closeEarly(Pipeline<Integer, Integer> pipeline) {
        List<Integer> got = new ArrayList<>();
        PipelineException failure = null;
        boolean ended = false;
        Stream<Integer> outputs = pipeline.stream(c.input());
        long closeNanos;
        try {
            Iterator<Integer> it = outputs.iterator();
            while (got.size() < c.k()) {
                if (!it.hasNext()) {
                    ended = true;
                    break;
                }
                take(it, got);
            }
        } catch (PipelineException e) {
            failure = e;
        } finally {
            long start = System.nanoTime();
            outputs.close();
            closeNanos = System.nanoTime() - start;
        }
        noInvocationRunning("after close() returned (rule 4.4)");
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(closeNanos);
        if (closeMillis > CLOSE_BOUND_MILLIS) {
            throw new AssertionError("Closing the output stream after " + got.size() + " outputs took " + closeMillis
                    + " ms (bound " + CLOSE_BOUND_MILLIS + " ms, rule 4.4)");
        }
        if (failure != null) {
            check.injectedFailure(failure, got);
        } else if (ended) {
            check.completeOutputs(got);
        } else {
            check.partialOutputs(got, "before the early close");
        }
    }

    private void consumerThrows(Pipeline<Integer, Integer> pipeline) {
        List<Integer> got = new ArrayList<>();
        ConsumerFailure boom = new ConsumerFailure();
        int k = c.k();
        long caseId = c.caseId();
        int last = c.stages().size();
        PipelineFunction<Integer, List<Integer>> consume = pipeline.consume(outputs -> {
            Iterator<Integer> it = outputs.iterator();
            while (it.hasNext()) {
                if (got.size() == k) {
                    throw boom;
                }
                got.add(it.next());
                Probe.started(caseId, last);
            }
            return got;
        });
        try {
            consume.apply(c.input());
        } catch (PipelineException e) {
            if (e.getCause()
                    instanceof ConsumerFailure) { // checked: the function wraps it, once (PipelineFunction.apply)
                noInvocationRunning("when the consumer's exception reached the caller (rule 4.4)");
                if (e.getCause() != boom) {
                    throw new AssertionError("consume() threw another ConsumerFailure than the consumer's", e);
                }
                check.partialOutputs(got, "before the consumer threw");
                return;
            }
            noInvocationRunning("when the failure reached the caller (rule 4.2)");
            check.injectedFailure(e, got);
            return;
        }
        noInvocationRunning("when consume() returned (rule 2.7)");
        check.completeOutputs(got);
    }

    /**
     * After k outputs the caller is interrupted: by itself, between pulls, or by another thread
     * once the caller waits inside a pull. Either way it must keep its interrupt flag, and the run
     * ends with a {@code PipelineException} caused by the interrupt, or normally if it had already
     * produced everything (rule 4.4).
     */
    private void interrupted(Pipeline<Integer, Integer> pipeline, boolean whileWaiting) {
        List<Integer> got = new ArrayList<>();
        Interrupter interrupter = new Interrupter(Thread.currentThread());
        PipelineException failure = null;
        try (Stream<Integer> outputs = pipeline.stream(c.input())) {
            Iterator<Integer> it = outputs.iterator();
            while (true) {
                if (got.size() == c.k() && !interrupter.armed()) {
                    interrupter.arm(whileWaiting);
                }
                if (!it.hasNext()) {
                    break;
                }
                take(it, got);
            }
        } catch (PipelineException e) {
            failure = e;
        }
        boolean interrupted = interrupter.disarm();
        boolean flag = Thread.interrupted();
        noInvocationRunning("when the interrupted caller got the outcome (rule 4.4)");
        if (interrupted && !flag) {
            throw new AssertionError(
                    "The caller, interrupted after " + c.k() + " outputs, lost its interrupt flag (rule 4.4)"
                            + (failure == null ? "; the run ended normally" : "; the run threw " + failure),
                    failure);
        }
        if (!interrupted && flag) {
            throw new AssertionError("The caller's interrupt flag is set, yet nobody interrupted it");
        }
        if (failure == null) {
            check.completeOutputs(got);
        } else if (interrupted && failure.getCause() instanceof InterruptedException) {
            check.partialOutputs(got, "before the interrupt ended the run");
        } else {
            check.injectedFailure(failure, got);
        }
    }

    private void take(Iterator<Integer> it, List<Integer> got) {
        got.add(it.next());
        Probe.started(c.caseId(), c.stages().size());
    }

    private void noInvocationRunning(String when) {
        int running = probe.inFlight();
        if (running != 0) {
            throw new AssertionError(running + " invocation(s) of the pipeline's functions still running " + when);
        }
    }

    /**
     * The consumer's own exception, checked: {@code consume}'s function must pass it on as the
     * cause of a {@code PipelineException}, the very instance, wrapped once.
     */
    static final class ConsumerFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ConsumerFailure() {
            super("the consumer gives up");
        }
    }
}
