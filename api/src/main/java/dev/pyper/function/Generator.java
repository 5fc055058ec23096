package dev.pyper.function;

import dev.pyper.Emitter;
import java.io.Serializable;

/**
 * The generator form of a branch or join task: it hands its outputs over one at a time through an
 * {@link Emitter}, lazily, as pyper's {@code yield} does (rules 1.6, 2.3).
 *
 * <p>{@code Task.generator((Integer x, Emitter<Integer> out) -> { out.emit(x); out.emit(x + 1); })}
 * passes each output on as soon as it is emitted; with {@code Task.joinGenerator} the input is a
 * {@code Stream} of the previous task's outputs.
 *
 * @param <T> the input type (a {@code Stream} for a join)
 * @param <R> the output type
 */
@FunctionalInterface
public interface Generator<T, R> extends Serializable {

    /**
     * Produces the outputs for one input.
     *
     * @param input the input
     * @param out where each output goes; valid only during this call
     * @throws Exception anything, as for {@link ThrowingFunction#apply}
     */
    void generate(T input, Emitter<R> out) throws Exception;
}
