package dev.pyper.model;

import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.function.ThrowingFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Batches (rules 10.5 to 10.9): a {@link Batch} task, which groups its inputs into lists, and the
 * tasks that take those lists: {@code flatten()} ({@link Flatten}), a branch that passes on one
 * value per element ({@link Each}), a plain task that maps a list to a list ({@link MapList}) and
 * one that folds a list into one value ({@link Fold}), and an async branch with one value per
 * element, computed on another thread ({@link AsyncEach}: a stage per list).
 *
 * <p>The model carries the items of a list edge flattened, in order, and the task that takes the
 * lists cuts them into lists of {@code size} again: every list is full but the last (rule 10.5).
 * That is the real grouping only where it is {@link #exact}: no {@code maxWait} that can cut a
 * list early, and the batch's input in a promised order. Elsewhere only what holds for any
 * grouping is modelled: the functions that may take such lists ({@code flatten()}, {@link Each},
 * {@link MapList}) have outputs that do not depend on the grouping, a planted fault fires on the
 * list that holds its value (so it fires exactly when the value is among the inputs), and
 * {@link Flaky} failures, which concern whole lists, are planted only where the grouping is exact.
 *
 * <p>The functions that take lists check each one: not empty, at most {@code size} inputs (rule
 * 10.6); a list that breaks this is counted in a tally that worker processes share, checked after
 * every run.
 */
final class ListFunctions {

    /** A maxWait that never passes during a case: the lists go as if it had none. */
    static final Duration LONG_WAIT = Duration.ofHours(1);

    private ListFunctions() {}

    /** The key of a list, a value in {@code [0, RANGE)}: what a {@link Flaky} list function is keyed on. */
    static int key(List<?> list) {
        int h = list.size();
        for (Object x : list) {
            h = Values.next(h, x instanceof Integer i ? i : null, true);
        }
        return h;
    }

    /** The model's lists of {@code size} of these items: full but the last (rule 10.5). */
    static List<List<Integer>> lists(List<Integer> items, int size) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            lists.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return lists;
    }

    /** Whether a batch's lists are known: no maxWait that can cut them early, input order promised. */
    static boolean exact(Duration maxWait, boolean orderedInput) {
        return orderedInput && (maxWait == null || maxWait.equals(LONG_WAIT));
    }

    /** Erases a task's element types: the model's pipelines are typed {@code Integer} throughout. */
    @SuppressWarnings("unchecked")
    static Pipeline<Integer, Integer> erased(Pipeline<?, ?> pipeline) {
        return (Pipeline<Integer, Integer>) pipeline;
    }

    /**
     * {@code Task.batch(size, maxWait)} or {@code batch(size)}: calls no function; the model passes
     * the items on as they are (the next task cuts them into lists).
     *
     * @param size the most inputs of a list, 1 to 5
     * @param maxWait null, a few milliseconds (lists may go early), or {@link #LONG_WAIT}
     */
    record Batch(int size, Duration maxWait) implements StageFunction {
        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return erased(
                    maxWait == null ? Task.<Integer>batch(size, options) : Task.<Integer>batch(size, maxWait, options));
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            return inputs;
        }

        @Override
        public boolean countsStarts() {
            return false;
        }

        /** Whether maxWait may cut a list early, so that only the bounds of {@link #lists} are promised. */
        boolean timed() {
            return maxWait != null && !maxWait.equals(LONG_WAIT);
        }

        @Override
        public String label() {
            return "batch(" + size + (maxWait == null ? "" : ", " + maxWait) + ")";
        }
    }

    /** {@code Task.flatten()}: the elements of each list, in order; the SDK's own function, so unchecked. */
    record Flatten(int size) implements StageFunction {
        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return erased(Task.<Integer>flatten(options));
        }

        @Override
        public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            return inputs;
        }

        @Override
        public boolean countsStarts() {
            return false;
        }

        @Override
        public List<Integer> invocationKeys(List<Integer> inputs) {
            return lists(inputs, size).stream().map(ListFunctions::key).toList();
        }

        @Override
        public String label() {
            return "flatten";
        }
    }

    /** What the functions that take lists share: the site, the size of the batch before them, the check of each list. */
    interface OnLists extends StageFunction {

        /** The site: fault (on the list that holds its value), pause, probe, flaky failures keyed on the list's key. */
        Site site();

        /** The batch's size. */
        int size();

        /** Lists that were empty or held more than {@link #size()}: slot 0. */
        SharedTally broken();

        /** This function's outputs for one list, flattened. */
        List<Integer> outputs(List<Integer> list);

        @Override
        default Flaky flaky() {
            return site().flaky();
        }

        /** Checks the list (rule 10.6), then starts on it as {@link Site#start} does. */
        default void start(List<Integer> list) throws Exception {
            if (list.isEmpty() || list.size() > size()) {
                broken().increment(0);
            }
            site().keyTurn(list);
            site().begin();
            if (site().fault() != null) {
                for (Integer x : list) {
                    site().fault().check(x);
                }
            }
            if (site().flaky() != null) {
                site().flaky().attempt(key(list), site());
            }
        }

        @Override
        default List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            List<Integer> out = new ArrayList<>();
            for (List<Integer> list : lists(inputs, size())) {
                Fault fault = site().fault();
                if (fault != null && list.stream().anyMatch(fault::firesOn)) {
                    log.fired(fault);
                }
                Flaky flaky = site().flaky();
                if (flaky != null) {
                    flaky.model(key(list), log);
                    if (flaky.drops(key(list))) {
                        continue;
                    }
                }
                out.addAll(outputs(list));
            }
            return out;
        }

        @Override
        default List<Integer> invocationKeys(List<Integer> inputs) {
            return lists(inputs, size()).stream().map(ListFunctions::key).toList();
        }
    }

    /** One value per element, each mixed with {@code salt}: what every element-wise list function returns. */
    static List<Integer> mixEach(List<Integer> list, int salt) {
        List<Integer> out = new ArrayList<>(list.size());
        for (Integer x : list) {
            out.add(Values.mix(x, salt));
        }
        return out;
    }

    /** {@code Task.branch(list -> …)}: one value per element, whatever the grouping. */
    record Each(int salt, int size, Site site, SharedTally broken)
            implements ThrowingFunction<List<Integer>, List<Integer>>, OnLists {
        @Override
        public List<Integer> apply(List<Integer> list) throws Exception {
            site.enter();
            try {
                start(list);
                return outputs(list);
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(List<Integer> list) {
            return mixEach(list, salt);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return erased(Task.branch(this, options));
        }

        @Override
        public String label() {
            return "eachOfList" + site;
        }
    }

    /** {@code Task.asyncBranch(list -> stage)}: one value per element, computed on another thread (rule 10.9). */
    record AsyncEach(int salt, int size, Site site, SharedTally broken)
            implements ThrowingFunction<List<Integer>, CompletionStage<List<Integer>>>, OnLists {
        @Override
        public CompletionStage<List<Integer>> apply(List<Integer> list) throws Exception {
            site.enter();
            try {
                start(list);
                return PerInputFunctions.elsewhere(() -> outputs(list));
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(List<Integer> list) {
            return mixEach(list, salt);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return erased(Task.asyncBranch(this, options));
        }

        @Override
        public String label() {
            return "asyncEachOfList" + site;
        }
    }

    /**
     * {@code Task.task(list -> list)}: a list of one value per element, as a bulk call returns
     * one result per item; the model carries them flattened, in the same lists.
     */
    record MapList(int salt, int size, Site site, SharedTally broken)
            implements ThrowingFunction<List<Integer>, List<Integer>>, OnLists {
        @Override
        public List<Integer> apply(List<Integer> list) throws Exception {
            site.enter();
            try {
                start(list);
                return outputs(list);
            } finally {
                site.exit();
            }
        }

        @Override
        public List<Integer> outputs(List<Integer> list) {
            return mixEach(list, salt);
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return erased(Task.task(this, options));
        }

        @Override
        public String label() {
            return "mapList" + site;
        }
    }

    /** {@code Task.task(list -> value)}: folds the list in order with its size; only where the lists are exact. */
    record Fold(int salt, int size, Site site, SharedTally broken)
            implements ThrowingFunction<List<Integer>, Integer>, OnLists {
        @Override
        public Integer apply(List<Integer> list) throws Exception {
            site.enter();
            try {
                start(list);
                return output(list);
            } finally {
                site.exit();
            }
        }

        private Integer output(List<Integer> list) {
            return Values.mix(key(list), salt);
        }

        @Override
        public List<Integer> outputs(List<Integer> list) {
            return List.of(output(list));
        }

        @Override
        public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
            return erased(Task.task(this, options));
        }

        @Override
        public String label() {
            return "foldList" + site;
        }
    }
}
