package dev.pyper.model;

import java.util.Collections;
import java.util.List;

/**
 * The oracle: a pipeline evaluated sequentially with plain lists, stage after stage, each stage
 * on all of its inputs in order. It also says whether the real run promises this order.
 *
 * <p>Order is promised end to end only where every stage keeps it: one worker (rule 3.1) or
 * {@code ordered()} (rule 3.3), and no nested pipeline that loses it. A join with several workers
 * never keeps it (rule 3.4) and splits its input, which is why such joins only get functions
 * whose output multiset ignores the split (see {@link JoinFunctions}).
 *
 * <p>The model ignores faults except to note which ones fire: every invocation of a full run
 * happens unless a failure ends it first, so a run whose model fires any fault must fail with one
 * of the fired faults as its cause, and whatever it output before failing is a prefix (order
 * promised) or a sub-multiset of the fault-free outputs.
 */
final class Model {

    private Model() {}

    /** What the model expects of one run. */
    record Expectation(List<Integer> outputs, boolean ordered) {}

    static Expectation evaluate(List<StageShape> stages, Integer input, FaultLog log) {
        List<Integer> values = Collections.singletonList(input);
        boolean ordered = true;
        for (StageShape stage : stages) {
            values = stage.function().model(values, stage.workers(), log);
            ordered &= stage.keepsOrder();
        }
        return new Expectation(values, ordered);
    }
}
