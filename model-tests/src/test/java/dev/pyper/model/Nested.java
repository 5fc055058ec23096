package dev.pyper.model;

import dev.pyper.Pipeline;
import dev.pyper.Task;
import dev.pyper.function.ThrowingFunction;
import dev.pyper.spi.PipelineExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A nested pipeline as one task (rule 1.8): {@code Task.branch(inner.consume(Stream::toList))}
 * passes every inner output on; {@code Task.task(inner.consume(fold))} passes one folded value
 * per input. The inner pipeline runs on the executor under test.
 *
 * @param inner the inner pipeline's stages
 * @param flatten branch form (true) or one folded output per input (false)
 * @param innerOrdered whether the inner pipeline promises its output order; the fold is
 *     order-sensitive only then
 */
record Nested(List<StageShape> inner, boolean flatten, boolean innerOrdered) implements StageFunction {

    @Override
    public Task<Integer, Integer> task(PipelineExecutor executor) {
        Pipeline<Integer, Integer> pipeline = StageShape.pipeline(inner, executor);
        if (flatten) {
            return Task.<Integer, Integer>branch(pipeline.consume(Stream::toList));
        }
        return Task.task(pipeline.consume(new FoldStream(innerOrdered)));
    }

    @Override
    public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
        List<Integer> out = new ArrayList<>();
        for (int x : inputs) {
            List<Integer> innerOutputs = Model.evaluate(inner, x, log.deeper()).outputs();
            if (flatten) {
                out.addAll(innerOutputs);
            } else {
                out.add(Values.fold(innerOutputs, innerOrdered));
            }
        }
        return out;
    }

    @Override
    public boolean keepsOrderWithin() {
        return !flatten || innerOrdered;
    }

    @Override
    public boolean countsStarts() {
        return false;
    }

    @Override
    public String label() {
        return (flatten ? "nestedBranch" : "nestedTask(fold" + (innerOrdered ? " in order" : " as sum") + ")")
                + StageShape.describe(inner);
    }

    /** The consumer of the task form: folds the inner outputs into one value. */
    record FoldStream(boolean orderSensitive) implements ThrowingFunction<Stream<Integer>, Integer> {
        @Override
        public Integer apply(Stream<Integer> outputs) {
            return Values.fold(outputs.toList(), orderSensitive);
        }
    }
}
