package dev.pyper.model;

import dev.pyper.Emitter;
import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.function.Generator;
import dev.pyper.function.ThrowingFunction;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;

/**
 * The random functions that take one input at a time, one record per kind of task (rules 2.2,
 * 2.3, 5.1). Each checks its fault before producing anything.
 */
final class PerInputFunctions {

    private PerInputFunctions() {}

    /** {@code Task.task}: one output per input; with {@code nulls}, about one in six is {@code null} (rules 2.2, 8.4). */
    record Plain(int salt, boolean nulls, Site site)
            implements ThrowingFunction<Integer, Integer>, StageFunction.PerInput {
        @Override
        public Integer apply(Integer x) throws Exception {
            site.enter();
            try {
                site.start(x);
                return output(x);
            } finally {
                site.exit();
            }
        }

        private Integer output(Integer x) {
            return nulls && Values.mix(x, salt ^ 0x2545F491) % 6 == 0 ? null : Values.mix(x, salt);
        }

        @Override
        public List<Integer> outputs(Integer x) {
            return Collections.singletonList(output(x));
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.task(this, options);
        }

        @Override
        public String label() {
            return "plain" + (nulls ? "(some null)" : "") + site;
        }
    }

    /** {@code Task.branch} returning a list of 0 to {@code maxOut} outputs. */
    record Branch(int salt, int maxOut, Site site)
            implements ThrowingFunction<Integer, List<Integer>>, StageFunction.PerInput {
        @Override
        public List<Integer> apply(Integer x) throws Exception {
            site.enter();
            try {
                site.start(x);
                return Values.spread(x, salt, maxOut);
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(Integer x) {
            return Values.spread(x, salt, maxOut);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.branch(this, options);
        }

        @Override
        public String label() {
            return "branch(0.." + maxOut + ")" + site;
        }
    }

    /** {@code Task.generator((in, out) -> …)}: emits 0 to {@code maxOut} outputs one at a time. */
    record Generate(int salt, int maxOut, Site site) implements Generator<Integer, Integer>, StageFunction.PerInput {
        @Override
        public void generate(Integer x, Emitter<Integer> out) throws Exception {
            site.enter();
            try {
                site.start(x);
                for (int o : Values.spread(x, salt, maxOut)) {
                    site.emitting();
                    out.emit(o);
                }
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(Integer x) {
            return Values.spread(x, salt, maxOut);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.generator(this, options);
        }

        @Override
        public boolean countsEmits() {
            return true;
        }

        @Override
        public String label() {
            return "generator(0.." + maxOut + ")" + site;
        }
    }

    /** {@code Task.async}: the output is computed on another thread; a fault may fail the stage there. */
    record Async(int salt, Site site)
            implements ThrowingFunction<Integer, CompletionStage<Integer>>, StageFunction.PerInput {
        @Override
        public CompletionStage<Integer> apply(Integer x) throws Exception {
            site.enter();
            try {
                if (site.fault() != null && site.fault().inFuture() || site.flaky() != null && (salt & 1) == 1) {
                    site.begin(); // the fault fires, or the flaky attempt fails, in the stage below (rule 9.8)
                    if (site.fault() != null && !site.fault().inFuture()) {
                        site.check(x);
                    }
                    return elsewhere(() -> {
                        if (site.fault() != null && site.fault().inFuture()) {
                            site.fault().check(x);
                        }
                        if (site.flaky() != null) {
                            site.flaky().attempt(x, null);
                        }
                        return Values.mix(x, salt);
                    });
                }
                site.start(x);
                return elsewhere(() -> Values.mix(x, salt));
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(Integer x) {
            return List.of(Values.mix(x, salt));
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.async(this, options);
        }

        @Override
        public String label() {
            return "async" + site;
        }
    }

    /** {@code Task.asyncBranch}: a list of outputs, computed on another thread. */
    record AsyncBranch(int salt, int maxOut, Site site)
            implements ThrowingFunction<Integer, CompletionStage<List<Integer>>>, StageFunction.PerInput {
        @Override
        public CompletionStage<List<Integer>> apply(Integer x) throws Exception {
            site.enter();
            try {
                if (site.fault() != null && site.fault().inFuture() || site.flaky() != null && (salt & 1) == 1) {
                    site.begin(); // the fault fires, or the flaky attempt fails, in the stage below (rule 9.8)
                    if (site.fault() != null && !site.fault().inFuture()) {
                        site.check(x);
                    }
                    return elsewhere(() -> {
                        if (site.fault() != null && site.fault().inFuture()) {
                            site.fault().check(x);
                        }
                        if (site.flaky() != null) {
                            site.flaky().attempt(x, null);
                        }
                        return Values.spread(x, salt, maxOut);
                    });
                }
                site.start(x);
                return elsewhere(() -> Values.spread(x, salt, maxOut));
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(Integer x) {
            return Values.spread(x, salt, maxOut);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return Task.asyncBranch(this, options);
        }

        @Override
        public String label() {
            return "asyncBranch(0.." + maxOut + ")" + site;
        }
    }

    /** A computation that may throw anything, for {@link #elsewhere}. */
    @FunctionalInterface
    interface Computation<T> {
        T compute() throws Exception;
    }

    /** Runs the computation on the common pool and completes the stage with its result or failure. */
    static <T> CompletionStage<T> elsewhere(Computation<T> computation) {
        CompletableFuture<T> stage = new CompletableFuture<>();
        ForkJoinPool.commonPool().execute(() -> {
            try {
                stage.complete(computation.compute());
            } catch (Throwable t) {
                stage.completeExceptionally(t);
            }
        });
        return stage;
    }
}
