package dev.pyper.model;

import dev.pyper.Option;
import dev.pyper.Pipeline;
import dev.pyper.PipelineExecutor;
import dev.pyper.Task;
import dev.pyper.function.ThrowingFunction;
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
 * @param limit 0 to consume every inner output; else the consumer takes only the first
 *     {@code limit} and closes the inner run early (only where the inner order is promised and no
 *     fault is planted inside, so that the model knows which outputs come first)
 */
record Nested(List<StageShape> inner, boolean flatten, boolean innerOrdered, int limit) implements StageFunction {

    @Override
    public Pipeline<Integer, Integer> task(PipelineExecutor executor, Option... options) {
        Pipeline<Integer, Integer> pipeline = StageShape.pipeline(inner, executor);
        if (flatten) {
            return Task.branch(
                    limit == 0 ? pipeline.consume(Stream::toList) : pipeline.consume(new First(limit)), options);
        }
        return Task.task(pipeline.consume(new FoldStream(innerOrdered, limit)), options);
    }

    @Override
    public List<Integer> model(List<Integer> inputs, int workers, FaultLog log) {
        List<Integer> out = new ArrayList<>();
        for (Integer x : inputs) {
            List<Integer> innerOutputs = Model.evaluate(inner, x, log.deeper()).outputs();
            if (limit > 0 && innerOutputs.size() > limit) {
                innerOutputs = innerOutputs.subList(0, limit);
            }
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
                + (limit > 0 ? "(first " + limit + " only)" : "")
                + StageShape.describe(inner);
    }

    /** The consumer of the task form: folds the inner outputs (the first {@code limit}, if not 0) into one value. */
    record FoldStream(boolean orderSensitive, int limit) implements ThrowingFunction<Stream<Integer>, Integer> {
        @Override
        public Integer apply(Stream<Integer> outputs) {
            return Values.fold((limit == 0 ? outputs : outputs.limit(limit)).toList(), orderSensitive);
        }
    }

    /** A consumer that takes the first {@code limit} inner outputs; closing the stream then cancels the inner run. */
    record First(int limit) implements ThrowingFunction<Stream<Integer>, List<Integer>> {
        @Override
        public List<Integer> apply(Stream<Integer> outputs) {
            return outputs.limit(limit).toList();
        }
    }
}
