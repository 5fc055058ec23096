package dev.pyper;

import dev.pyper.function.ThrowingFunction;
import java.util.function.Function;

/**
 * A pipeline with a consumer at its end, as a function of the pipeline's input: what
 * {@link Pipeline#consume} and {@link Pipeline#consumeAsync} return (rules 1.8, 2.7).
 *
 * <p>It is both a plain {@link Function}, whose {@link #apply} throws nothing checked (a failed
 * run arrives as the unchecked {@link PipelineException}), and a serializable
 * {@link ThrowingFunction}, so that it can be a task's function and nest a pipeline in another
 * (rule 1.8).
 *
 * @param <I> the pipeline's input type
 * @param <R> the consumer's result type
 */
@FunctionalInterface
public interface PipelineFunction<I, R> extends Function<I, R>, ThrowingFunction<I, R> {

    /**
     * Runs the pipeline on {@code input}, hands its outputs to the consumer, closes the run and
     * returns the consumer's result.
     *
     * @param input the pipeline's input
     * @return what the consumer made of the outputs
     * @throws PipelineException if the run failed (rule 4.1), or the consumer threw a checked
     *     exception (its cause); an unchecked exception of the consumer passes unchanged
     */
    @Override
    R apply(I input);
}
