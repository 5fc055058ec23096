package dev.pyper.threads.broken;

import dev.pyper.PipelineException;
import dev.pyper.RunMetrics;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** The broken executors, one rule each. */
final class Mutations {

    private Mutations() {
    }

    /** Breaks rule 2.6: every task runs unthrottled. */
    static final class IgnoresThrottle extends BrokenExecutor {
        @Override
        Plan mutate(Plan plan) {
            return new Plan(plan.tasks().stream()
                    .map(t -> t.with(t.name(), t.workers(), 0, t.multiprocess(), t.ordered())).toList());
        }
    }

    /**
     * Breaks rule 2.6 by one output: every throttled buffer holds one more than its throttle, so
     * the producer runs t + workers + 2 outputs ahead instead of t + workers + 1.
     */
    static final class ThrottlePlusOne extends BrokenExecutor {
        @Override
        Plan mutate(Plan plan) {
            return new Plan(plan.tasks().stream()
                    .map(t -> t.with(t.name(), t.workers(), t.throttle() == 0 ? 0 : t.throttle() + 1, t.multiprocess(),
                            t.ordered()))
                    .toList());
        }
    }

    /**
     * Breaks rule 4.5 where only the kit's ledger of invocations sees it: closing a run returns at
     * once and leaves it going. The executor's own close() still ends every run and thread, so the
     * JVM is back where it was after each test and the leak census alone passes it.
     */
    static final class IgnoresClose extends BrokenExecutor {
        @Override
        <O> Run<O> mutate(Run<O> run) {
            return new Run<>() {
                @Override
                public boolean next(Consumer<? super O> action) {
                    return run.next(action);
                }

                @Override
                public RunMetrics metrics() {
                    return run.metrics();
                }

                @Override
                public void close() {
                    // left to the executor's close()
                }
            };
        }
    }

    /** Breaks rules 2.3 and 3.1 (and more): the last output never reaches the caller. */
    static final class DropsTheLastItem extends BrokenExecutor {
        @Override
        <O> Run<O> mutate(Run<O> run) {
            return new Run<>() {
                private O held;
                private boolean holding;

                @Override
                public boolean next(Consumer<? super O> action) {
                    if (!holding) {
                        if (!run.next(o -> held = o)) {
                            return false;
                        }
                        holding = true;
                    }
                    O out = held;
                    if (!run.next(o -> held = o)) {
                        return false; // `out` was the last one: dropped
                    }
                    action.accept(out);
                    return true;
                }

                @Override
                public RunMetrics metrics() {
                    return run.metrics();
                }

                @Override
                public void close() {
                    run.close();
                }
            };
        }
    }

    /** Breaks rule 3.1: outputs of one-worker stages come out with neighbours swapped. */
    static final class ReordersOneWorkerStage extends BrokenExecutor {
        @Override
        <O> Run<O> mutate(Run<O> run) {
            return new Run<>() {
                private final ArrayDeque<O> pair = new ArrayDeque<>();

                @Override
                public boolean next(Consumer<? super O> action) {
                    if (pair.isEmpty()) {
                        run.next(pair::addFirst);
                        run.next(pair::addFirst); // the second arrives first
                    }
                    if (pair.isEmpty()) {
                        return false;
                    }
                    action.accept(pair.pollFirst());
                    return true;
                }

                @Override
                public RunMetrics metrics() {
                    return run.metrics();
                }

                @Override
                public void close() {
                    run.close();
                }
            };
        }
    }

    /** Breaks rule 4.1: a failed run just ends. */
    static final class SwallowsErrors extends BrokenExecutor {
        @Override
        <O> Run<O> mutate(Run<O> run) {
            return new Run<>() {
                @Override
                public boolean next(Consumer<? super O> action) {
                    try {
                        return run.next(action);
                    } catch (PipelineException swallowed) {
                        return false;
                    }
                }

                @Override
                public RunMetrics metrics() {
                    return run.metrics();
                }

                @Override
                public void close() {
                    run.close();
                }
            };
        }
    }

    /** Breaks rule 4.5: every run leaves a thread behind. */
    static final class LeaksAThread extends BrokenExecutor {
        /** Opened by the test at the end, so the leaked threads do end. */
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        <O> Run<O> mutate(Run<O> run) {
            Thread leaked = new Thread(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pyper-leaked");
            leaked.setDaemon(true);
            leaked.start();
            return run;
        }
    }
}
