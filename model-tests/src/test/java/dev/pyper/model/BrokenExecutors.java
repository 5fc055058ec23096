package dev.pyper.model;

import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.RunMetrics;
import dev.pyper.spi.Plan;
import dev.pyper.spi.Run;
import dev.pyper.spi.TaskSpec;
import dev.pyper.threads.ThreadExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Executors that each break one rule, by wrapping a real {@link ThreadExecutor}: the model suite
 * must catch every one of them (issue 7, "judged by"). They rewrite the plan an executor sees, or
 * the run it returns; the engine itself stays correct.
 */
final class BrokenExecutors {

    private BrokenExecutors() {
    }

    /** Breaks rule 2.6: every task runs unthrottled. */
    static PipelineExecutor ignoringThrottle() {
        return new PlanRewriting("ignores-throttle", t -> t.with(t.name(), t.workers(), 0, t.multiprocess(), t.ordered()));
    }

    /** Breaks rule 3.1: every one-worker task after the producer (joins aside) gets four unordered workers. */
    static PipelineExecutor reorderingOneWorkerStages() {
        return new PlanRewriting("reorders-one-worker-stages", t -> t.workers() == 1 && !t.kind().isJoin()
                ? t.with(t.name(), 4, t.throttle(), t.multiprocess(), false) : t);
    }

    /** Breaks rule 3.1 at the caller's end: the outputs of the last task come in swapped pairs (2, 1, 4, 3, …). */
    static PipelineExecutor swappingOutputPairs() {
        return new RunWrapping("swaps-output-pairs") {
            @Override
            <O> Run<O> wrap(Run<O> run) {
                return new SwapPairs<>(run);
            }
        };
    }

    /** Breaks rule 2.1: the run's last output never reaches the caller. */
    static PipelineExecutor droppingTheLastOutput() {
        return new RunWrapping("drops-last-output") {
            @Override
            <O> Run<O> wrap(Run<O> run) {
                return new DropLast<>(run);
            }
        };
    }

    /** Breaks rule 4.1: a failed run ends as if it had completed. */
    static PipelineExecutor swallowingFailures() {
        return new RunWrapping("swallows-failures") {
            @Override
            <O> Run<O> wrap(Run<O> run) {
                return new Swallowing<>(run);
            }
        };
    }

    /** Breaks rule 2.1 (and every rule after it): the caller's first pull never returns, until the executor closes. */
    static PipelineExecutor hanging() {
        return new Hanging();
    }

    /** Breaks rule 4.5: every run leaves a thread named like a worker running until the executor closes. */
    static PipelineExecutor leakingAThread() {
        return new Leaking();
    }

    private static class Wrapper implements PipelineExecutor {
        final ThreadExecutor real = new ThreadExecutor();
        private final String name;

        Wrapper(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            return real.start(plan, input);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    private static final class PlanRewriting extends Wrapper {
        private final UnaryOperator<TaskSpec> rewrite;

        PlanRewriting(String name, UnaryOperator<TaskSpec> rewrite) {
            super(name);
            this.rewrite = rewrite;
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            List<TaskSpec> tasks = new ArrayList<>(plan.tasks());
            for (int i = 1; i < tasks.size(); i++) {
                tasks.set(i, rewrite.apply(tasks.get(i)));
            }
            TaskSpec producer = tasks.get(0);
            tasks.set(0, producer.with(producer.name(), 1, rewrite.apply(producer).throttle(), producer.multiprocess(), producer.ordered()));
            return real.start(new Plan(tasks), input);
        }
    }

    private abstract static class RunWrapping extends Wrapper {
        RunWrapping(String name) {
            super(name);
        }

        abstract <O> Run<O> wrap(Run<O> run);

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            return wrap(real.start(plan, input));
        }
    }

    /** Holds one output back; at the end, the one held is lost. */
    private static final class DropLast<O> implements Run<O> {
        private final Run<O> run;
        private O held;
        private boolean holding;

        DropLast(Run<O> run) {
            this.run = run;
        }

        @Override
        public boolean next(Consumer<? super O> action) {
            if (!holding && !run.next(o -> {
                held = o;
                holding = true;
            })) {
                return false;
            }
            O out = held;
            holding = false;
            if (!run.next(o -> {
                held = o;
                holding = true;
            })) {
                return false; // drops {@code out}
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
    }

    /** Passes each pair of outputs on second first; a last odd one as it is. */
    private static final class SwapPairs<O> implements Run<O> {
        private final Run<O> run;
        private final java.util.ArrayDeque<O> ready = new java.util.ArrayDeque<>();

        SwapPairs(Run<O> run) {
            this.run = run;
        }

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

        @Override
        public RunMetrics metrics() {
            return run.metrics();
        }

        @Override
        public void close() {
            run.close();
        }
    }

    private static final class Swallowing<O> implements Run<O> {
        private final Run<O> run;

        Swallowing(Run<O> run) {
            this.run = run;
        }

        @Override
        public boolean next(Consumer<? super O> action) {
            try {
                return run.next(action);
            } catch (PipelineException e) {
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
    }

    private static final class Leaking extends Wrapper {
        private final CountDownLatch closed = new CountDownLatch(1);
        private final List<Thread> leaked = new ArrayList<>();

        Leaking() {
            super("leaks-a-thread");
        }

        @Override
        public <O> Run<O> start(Plan plan, Object input) {
            Thread t = new Thread(() -> {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pyper-" + plan.tasks().get(0).name() + "-leaked");
            t.setDaemon(true);
            t.start();
            synchronized (leaked) {
                leaked.add(t);
            }
            return real.start(plan, input);
        }

        @Override
        public void close() {
            closed.countDown();
            synchronized (leaked) {
                for (Thread t : leaked) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            real.close();
        }
    }

    private static final class Hanging extends RunWrapping {
        private final CountDownLatch closed = new CountDownLatch(1);

        Hanging() {
            super("hangs");
        }

        @Override
        <O> Run<O> wrap(Run<O> run) {
            return new Run<>() {
                @Override
                public boolean next(Consumer<? super O> action) {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
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

        @Override
        public void close() {
            closed.countDown();
            super.close();
        }
    }
}
