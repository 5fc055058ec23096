package dev.pyper.tck;

import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.RunMetrics;
import dev.pyper.spi.Abbreviation;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The executor under test as the kit's tests use it: every run's invocations recorded in a
 * {@link RunLedger}, and checked, each time the caller gets a result, for anything of the run
 * that is still executing (rule 4.5: "after completion, failure or cancellation, nothing of the
 * run is busy").
 *
 * <p>The checks happen when the caller has its result: when a pull returns the end of the outputs
 * ({@code next} returns false, {@code forEachRemaining} returns), when a
 * {@code PipelineException} leaves a pull (not one thrown by the caller's own action), and when
 * {@code close()} returns. A violation throws an {@code AssertionError} there, naming the run, the
 * tasks, how many of their invocations were still running and in which processes; and because a
 * test may catch it (or a close in try-with-resources may suppress it), it is also kept here for
 * {@link ExecutorVerification} to fail the test with after it ends.
 */
final class WatchedExecutor implements PipelineExecutor {

    private final PipelineExecutor executor;
    private final List<String> violations = new ArrayList<>();

    WatchedExecutor(PipelineExecutor executor) {
        this.executor = executor;
    }

    @Override
    public String name() {
        return executor.name();
    }

    @Override
    public <O> Run<O> start(Plan plan, Object input) {
        RunLedger ledger = RunLedger.open(plan);
        Run<O> run;
        try {
            run = executor.start(ledger.track(plan), input);
        } catch (RuntimeException | Error e) {
            ledger.release();
            throw e;
        }
        return new WatchedRun<>(run, ledger, plan.toString());
    }

    @Override
    public Map<String, String> unsupportedRules() {
        return executor.unsupportedRules();
    }

    @Override
    public void close() {
        executor.close();
    }

    /**
     * Every violation found so far, in the order found.
     *
     * @return the messages
     */
    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    private void record(String violation) {
        synchronized (violations) {
            violations.add(violation);
        }
    }

    /** A run of the executor, checked against its ledger whenever the caller gets a result. */
    private final class WatchedRun<O> implements Run<O> {
        private final Run<O> run;
        private final RunLedger ledger;
        private final String plan;
        /** Pulls under way: the ledger goes back to the pool only once none is, after close(). */
        private final AtomicInteger pulls = new AtomicInteger();

        private volatile boolean closed;
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicBoolean reported = new AtomicBoolean();

        WatchedRun(Run<O> run, RunLedger ledger, String plan) {
            this.run = run;
            this.ledger = ledger;
            this.plan = plan;
        }

        @Override
        public boolean next(Consumer<? super O> action) {
            pulls.incrementAndGet();
            try {
                if (closed) {
                    return run.next(action); // after close(): its ledger may be in another run's hands
                }
                Guarded<O> guarded = new Guarded<>(action);
                boolean more;
                try {
                    more = run.next(guarded);
                } catch (PipelineException e) {
                    if (!guarded.inAction) {
                        check("handed the caller its failure (" + describe(e) + ")", e);
                    }
                    throw e;
                }
                if (!more) {
                    check("handed the caller the end of its outputs", null);
                }
                return more;
            } finally {
                leave();
            }
        }

        @Override
        public void forEachRemaining(Consumer<? super O> action) {
            pulls.incrementAndGet();
            try {
                if (closed) {
                    run.forEachRemaining(action);
                    return;
                }
                Guarded<O> guarded = new Guarded<>(action);
                try {
                    run.forEachRemaining(guarded);
                } catch (PipelineException e) {
                    if (!guarded.inAction) {
                        check("handed the caller its failure (" + describe(e) + ")", e);
                    }
                    throw e;
                }
                check("handed the caller the end of its outputs", null);
            } finally {
                leave();
            }
        }

        @Override
        public RunMetrics metrics() {
            return run.metrics();
        }

        @Override
        public void close() {
            if (closed) {
                run.close();
                return;
            }
            run.close();
            try {
                check("returned from close()", null);
            } finally {
                closed = true;
                if (pulls.get() == 0) {
                    release();
                }
            }
        }

        /** The end of a pull: the last one out after close() gives the ledger back. */
        private void leave() {
            if (pulls.decrementAndGet() == 0 && closed) {
                release();
            }
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                ledger.release();
            }
        }

        /** Fails (once per run) if any invocation of the run is still executing in a live process. */
        private void check(String when, Throwable failure) {
            String busy = ledger.busy();
            if (busy == null || !reported.compareAndSet(false, true)) {
                return;
            }
            String message = "Rule 4.5: the run of " + plan + " " + when + ", yet " + busy
                    + ". Nothing of a run may be busy once the caller has its result";
            record(message);
            AssertionError error = new AssertionError(message);
            if (failure != null) {
                error.addSuppressed(failure);
            }
            throw error;
        }

        private static String describe(Throwable e) {
            return e.getClass().getSimpleName() + ": " + Abbreviation.of(e.getMessage());
        }
    }

    /** The caller's action, noting whether an exception came from it rather than from the run. */
    private static final class Guarded<O> implements Consumer<O> {
        private final Consumer<? super O> action;
        boolean inAction;

        Guarded(Consumer<? super O> action) {
            this.action = action;
        }

        @Override
        public void accept(O output) {
            inAction = true;
            action.accept(output);
            inAction = false;
        }
    }
}
