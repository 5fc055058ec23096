package dev.pyper.model;

import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * One random task's function together with its model: the real task that an executor runs, and
 * the outputs that a plain sequential evaluation expects of it.
 *
 * <p>Every real function is a deterministic, serializable record (rule 1.6): the same pipeline can
 * run in a worker process and be evaluated by the model.
 */
interface StageFunction {

    /** A short description for failure reports and task names. */
    String label();

    /**
     * The real task: the factory of its kind, given the function and the options.
     *
     * @param executor the executor under test, for nested pipelines
     * @param options the stage's options (see {@link StageShape#options()})
     */
    Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options);

    /**
     * The model: the outputs of this stage for all of its inputs, in order, evaluated
     * sequentially; notes every fault that would fire.
     *
     * @param inputs the stage's inputs, in the order the model produced them
     * @param workers the stage's workers (a join is called once per worker, rule 2.4)
     * @param log where fired faults go
     */
    List<Integer> model(List<Integer> inputs, int workers, FaultLog log);

    /** Whether the outputs of one invocation come out in a promised order (false for a nested pipeline that loses order). */
    default boolean keepsOrderWithin() {
        return true;
    }

    /** Whether the function counts its starts with the {@link Probe}, so that the stage before can be throttle-checked. */
    default boolean countsStarts() {
        return true;
    }

    /** Whether the function reads all of its input (a join may return early, rule 8.3). */
    default boolean readsAllInputs() {
        return true;
    }

    /** Whether the function emits through an {@code Emitter} and counts each output, so that its throttle can be checked. */
    default boolean countsEmits() {
        return false;
    }

    /** The failures this function survives (section 9), or null. */
    default Flaky flaky() {
        return null;
    }

    /**
     * What each invocation is keyed on, one per invocation, in the model's order: the input's
     * value ({@link Values#of}) for a task that takes one item per invocation, a list's
     * {@link ListFunctions#key} for one that takes lists. {@link Flaky} failures count per key.
     */
    default List<Integer> invocationKeys(List<Integer> inputs) {
        return inputs.stream().map(Values::of).toList();
    }

    /** A function applied to each input on its own: plain, branch, generator and async tasks. */
    interface PerInput extends StageFunction {

        /** The site: fault, pause and probe. */
        Site site();

        /** The outputs for one input. */
        List<Integer> outputs(Integer x);

        @Override
        default Flaky flaky() {
            return site().flaky();
        }

        @Override
        default List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
            List<Integer> out = new ArrayList<>();
            for (Integer x : inputs) {
                site().model(x, log);
                if (!site().drops(x)) {
                    out.addAll(outputs(x));
                }
            }
            return out;
        }
    }
}
